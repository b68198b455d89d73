import type { Answer, AnswerEvent } from "./types.js";

/**
 * The final answer of a stream of answer events, the drafts before it passed over: what `answer()` is for
 * every answerer that streams. Throws when the stream ends without one, which no answerer does.
 */
export async function finalAnswer(events: AsyncIterable<AnswerEvent>): Promise<Answer> {
  let final: Answer | undefined;
  for await (const event of events) if (event.type === "final") final = event.answer;
  if (!final) throw new Error("the answerer ended without an answer");
  return final;
}
