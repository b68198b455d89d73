/**
 * The example question the replies offer, in one place: the welcome, the empty-question reply, the
 * not-Arabic reply and the bot's first example button all show this one. It names the second summit:
 * the article tells of two (Astana, 2022, and Dushanbe), and an example should be a question the
 * article answers without doubt.
 */
export const EXAMPLE_QUESTION = "متى تُعقد القمة الثانية لروسيا وآسيا الوسطى؟";

/** The words an answer is written with, in one place so that they read alike everywhere. */
export const MESSAGES = {
  /** The answer when nothing in the corpus supports one. */
  refusal: "لم أجد في المقالات المتاحة ما يجيب عن هذا السؤال.",
  /** The answer to a question with no word to search for (punctuation, or question words only). */
  emptyQuestion: `لم أجد في سؤالك كلمات أبحث عنها. اكتب سؤالك عن الخبر، مثل: ${EXAMPLE_QUESTION}`,
  /** Opens an answer whose evidence is thin: the closest sentences, without claiming they answer. */
  hedge: "لم أجد في المقالات المتاحة إجابة صريحة عن سؤالك، وهذا أقرب ما ورد فيها:",
  /** Tells the reader that the written answer could not be checked, and that what follows is quoted. */
  llmFallback: "تعذّر التحقق من الإجابة المصوغة، فإليك ما ورد في نص المقال حرفياً:",
  /** An answer about the article's source, from its fields. */
  aboutSource: (source: string, published: string | undefined) =>
    published === undefined ? `مصدر الخبر ${source}.` : `مصدر الخبر ${source}، ونُشر في ${published}.`,
  /** An answer about the article's date, from its fields. */
  aboutDate: (published: string, source: string | undefined) =>
    source === undefined ? `نُشر الخبر في ${published}.` : `نُشر الخبر في ${published}، ومصدره ${source}.`,
  /** An answer about the article's title, from its fields. */
  aboutTitle: (title: string, source: string | undefined, published: string | undefined) =>
    `عنوان الخبر «${title}»${source === undefined ? "" : `، ونشرته ${source}`}${published === undefined ? "" : ` في ${published}`}.`,
  /** The reply to a greeting: who answers, what to ask, and an example. */
  welcome: `أهلاً بك! أنا «سند»، أجيب عن أسئلتك حول الأخبار المتاحة وأعرض الجمل التي تسند كل إجابة من نص الخبر. اكتب سؤالك.\nمثال: ${EXAMPLE_QUESTION}`,
  /** The reply to thanks: you are welcome, and ask more. */
  thanks: "عفواً، يسعدني ذلك! اسألني ما شئت عن الأخبار المتاحة.",
  /**
   * The reply to a question not in Arabic that could not be translated: in Arabic, then in English for
   * a reader who may not read Arabic. It says how to ask; it never says that the articles do not answer.
   */
  notArabic: `أجيب عن الأسئلة باللغة العربية فقط. اكتب سؤالك بالعربية من فضلك، مثل: ${EXAMPLE_QUESTION}\nI answer questions in Arabic only. Please ask your question in Arabic.`,
} as const;
