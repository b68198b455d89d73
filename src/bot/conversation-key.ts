import type { Context } from "grammy";

/**
 * The conversation an update belongs to: the chat, and the forum topic when there is one. One key for
 * both uses, so that they cannot drift apart: updates with the same key are answered in order (a
 * follow-up after its question), and a conversation's memory is kept under it.
 *
 * Inline queries have no chat: they are keyed by their user, apart from the user's private chat, so that
 * they never wait behind an answer being written there. Undefined for an update with neither chat nor user.
 *
 * @example conversationKey(ctx) // "-1001234:17" for topic 17 of a forum, "42" for a private chat
 */
export function conversationKey(ctx: Context): string | undefined {
  const chat = ctx.chat?.id;
  if (chat === undefined) return ctx.from ? `inline:${ctx.from.id}` : undefined;
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  return thread === undefined ? String(chat) : `${chat}:${thread}`;
}
