import type { Answer } from "../answer/index.js";
import { formatReplyText } from "../reply/index.js";

/**
 * An answer as plain text for a terminal, laid out as every interface lays it out (src/reply): the
 * answer once, each cited article named once, the related sentences after them.
 */
export function formatAnswerText(answer: Answer): string {
  return formatReplyText(answer);
}
