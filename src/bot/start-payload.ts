/**
 * The question carried by a /start deep link (t.me/bot?start=…), from the inline mode's "open a private
 * chat" button. Telegram allows 64 characters of [A-Za-z0-9_-]; the question travels as base64url UTF-8.
 */
export const MAX_START_PAYLOAD = 64;

/** Encodes a question for a /start link, or undefined when it does not fit. */
export function encodeStartQuestion(question: string): string | undefined {
  const payload = Buffer.from(question, "utf8").toString("base64url");
  return payload.length <= MAX_START_PAYLOAD ? payload : undefined;
}

/** The question in a /start payload, or undefined when there is none or it is not one of ours. */
export function decodeStartQuestion(payload: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(payload)) return undefined;
  const question = Buffer.from(payload, "base64url").toString("utf8").trim();
  return question === "" || question.includes("\uFFFD") ? undefined : question;
}
