import type { Update } from "grammy/types";

/** A private text message from `userId` as Telegram delivers it (to a webhook, or in getUpdates). */
export function privateTextUpdate(updateId: number, userId: number, text: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: "قارئ" },
      from: { id: userId, is_bot: false, first_name: "قارئ", language_code: "ar" },
      text,
    },
  };
}
