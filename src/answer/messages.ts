/** The words an answer is written with, in one place so that they read alike everywhere. */
export const MESSAGES = {
  /** The answer when nothing in the corpus supports one. */
  refusal: "لم أجد في المقالات المتاحة ما يجيب عن هذا السؤال.",
  /** The answer to a question with no word to search for (a greeting, punctuation only). */
  emptyQuestion:
    "لم أجد في سؤالك كلمات أبحث عنها. اكتب سؤالك عن الخبر، مثل: متى عُقدت قمة روسيا وآسيا الوسطى؟",
  /** Opens an answer whose evidence is thin: the closest sentences, without claiming they answer. */
  hedge: "لم أجد في المقال إجابة صريحة عن سؤالك، وهذا أقرب ما ورد فيه:",
  /** Tells the reader that the model's answer was replaced by one quoted from the article. */
  llmFallback: "تعذّر التحقق من إجابة النموذج، فهذه إجابة مقتبسة من نص المقال مباشرة.",
} as const;
