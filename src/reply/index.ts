/**
 * The reply layout every interface shares: what a reply shows, in what order, said once. The bot renders
 * it as a Telegram message with entities; the console and `ask` as plain text.
 */
export { layoutReply, keepMarkersWithWords, sourceOf } from "./layout.js";
export type { LayoutOptions, Quote, RelatedQuote, ReplyLayout, SourceBlock, Span } from "./layout.js";
export { formatReplyText, renderPlainText, sourceHeading } from "./plain-text.js";
export { REPLY_MESSAGES } from "./messages.js";
export { answerPreview } from "./preview.js";
