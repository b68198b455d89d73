import { EXAMPLE_QUESTION } from "../answer/index.js";

/** The words of the reply layout, shared by every interface so that a reply reads alike everywhere. */
export const REPLY_MESSAGES = {
  /** Opens the line that names a cited article. */
  source: "المصدر:",
  /** Opens the line that names the article a question about it was answered about. */
  title: "عنوان الخبر:",
  /** Opens the question when it is shown with its answer. */
  question: "السؤال:",
  /** The heading over sentences close to the answer's but not cited by it. */
  related: "جمل أخرى ذات صلة:",
  /** After a refusal, in plain text: what can be asked instead. */
  wayForward: `اسأل عمّا ورد في المقالات المتاحة، مثل: ${EXAMPLE_QUESTION}`,
} as const;
