import { EXAMPLE_QUESTION } from "../answer/index.js";

/** Everything the bot says to people, in Arabic, in one place. */
export const BOT_MESSAGES = {
  welcome: (titles: readonly string[]) =>
    [
      "أهلاً بك في «سند» 👋",
      titles.length === 1
        ? "أجيب عن أسئلتك حول الخبر التالي، وأعرض الجمل التي تسند كل إجابة من نص الخبر نفسه:"
        : "أجيب عن أسئلتك حول الأخبار التالية، وأعرض الجمل التي تسند كل إجابة من نص الخبر نفسه:",
      ...titles.map((title) => `• ${title}`),
      "",
      "اكتب سؤالك مباشرة، أو اختر أحد الأسئلة التالية. في المجموعات استعمل ‎/ask‎ متبوعاً بسؤالك، أو ردّ على إحدى إجاباتي.",
    ].join("\n"),
  /** How to ask; `username` is the bot's, which inline mode is used by (@sanad_bot سؤالك). */
  help: (username: string) =>
    [
      "كيف تسألني:",
      "• في المحادثة الخاصة: اكتب سؤالك كما هو.",
      "• في المجموعات: ‎/ask‎ متبوعاً بالسؤال، أو ردّ على إحدى إجاباتي لسؤال متابعة.",
      `• في أي محادثة: اكتب ‎@${username}‎ ثم سؤالك، واختر الإجابة لترسلها.`,
      "",
      "الأوامر: ‎/sources‎ المقالات المتاحة، ‎/reset‎ بدء محادثة جديدة، ‎/help‎ هذه الرسالة.",
    ].join("\n"),
  /** After a refusal: the example questions follow as buttons. */
  wayForward: "جرّب أحد الأسئلة أدناه، أو اعرض المقالات المتاحة بالأمر ‎/sources‎.",
  askWithoutQuestion: `اكتب سؤالك بعد الأمر، مثلاً: ‎/ask‎ ${EXAMPLE_QUESTION}`,
  sourcesTitle: "المقالات التي أجيب منها:",
  reset: "بدأنا محادثة جديدة: لن أربط أسئلتك القادمة بما سبق.",
  notText: "أفهم الأسئلة المكتوبة فقط. اكتب سؤالك نصاً من فضلك.",
  unknownCommand: "لا أعرف هذا الأمر. اكتب ‎/help‎ لمعرفة ما أستطيع.",
  tooLong: (limit: number) => `سؤالك طويل جداً: الحد ${limit} حرف. اختصره من فضلك.`,
  rateLimited: "أسئلة كثيرة في وقت قصير. انتظر دقيقة ثم اسأل من جديد.",
  busy: "ما زلت أجيب عن سؤالك السابق. أعد إرسال هذا السؤال بعد وصول الإجابة.",
  notAllowed: "هذا البوت غير متاح في هذه المحادثة.",
  failed: "تعذّرت الإجابة بسبب خطأ داخلي. جرّب مرة أخرى بعد قليل.",
  inlineSlow: "الإجابة تحتاج وقتاً أطول: اضغط لفتح محادثة خاصة بالسؤال.",
  inlineOpen: "افتح المحادثة مع سند",
} as const;

/** Example questions offered under the welcome, as buttons that ask them. */
export const EXAMPLE_QUESTIONS = [
  EXAMPLE_QUESTION,
  "كم عدد الطلاب الطاجيك في الجامعات الروسية؟",
  "ما حجم التجارة بين روسيا وطاجيكستان؟",
  "ما مصدر الخبر؟",
] as const;
