import { Api, Context } from "grammy";
import type { Chat, Message, Update } from "grammy/types";
import { describe, expect, it } from "vitest";

import { conversationKey } from "../../src/bot/conversation-key.js";
import { standInBotInfo } from "../support/bot-api-stand-in.js";

const ME = standInBotInfo();
const USER = { id: 42, is_bot: false, first_name: "قارئ" };
const PRIVATE: Chat.PrivateChat = { id: 42, type: "private", first_name: "قارئ" };
const FORUM: Chat.SupergroupChat = { id: -1001234, type: "supergroup", title: "قمة دوشنبه", is_forum: true };

/** The context grammY makes for an update (no request is ever sent: the API is never called). */
const contextOf = (update: Omit<Update, "update_id">): Context =>
  new Context({ update_id: 1, ...update }, new Api("1:test-token-never-used-000000"), ME);

/** A text message in a private chat or a group: never a channel post. */
function message(
  chat: Chat.PrivateChat | Chat.SupergroupChat,
  fields: Partial<Omit<Message.TextMessage, "chat">> = {},
): Message.TextMessage & Update.NonChannel {
  return { message_id: 7, date: 0, chat, from: USER, text: "متى تعقد القمة؟", ...fields };
}

describe("conversationKey", () => {
  it.each<[string, Omit<Update, "update_id">, string | undefined]>([
    ["a private chat is its chat", { message: message(PRIVATE) }, "42"],
    [
      "a group without topics is its chat",
      { message: message({ ...FORUM, is_forum: undefined }) },
      "-1001234",
    ],
    [
      "a forum topic is its chat and topic",
      { message: message(FORUM, { message_thread_id: 17, is_topic_message: true }) },
      "-1001234:17",
    ],
    [
      "a reply thread that is no topic is the chat alone",
      { message: message(FORUM, { message_thread_id: 17 }) },
      "-1001234",
    ],
    [
      "a button under an answer in a topic is that topic",
      {
        callback_query: {
          id: "c",
          from: USER,
          chat_instance: "i",
          data: "ask:0",
          message: message(FORUM, { message_thread_id: 17, is_topic_message: true }),
        },
      },
      "-1001234:17",
    ],
    [
      "an inline query is its user, apart from the user's private chat",
      { inline_query: { id: "q", from: USER, query: "سؤال", offset: "" } },
      "inline:42",
    ],
    [
      "an update with neither chat nor user has none",
      { poll: { id: "p", question: "؟", options: [], total_voter_count: 0 } } as unknown as Omit<
        Update,
        "update_id"
      >,
      undefined,
    ],
  ])("%s", (_rule, update, expected) => {
    expect(conversationKey(contextOf(update))).toBe(expected);
  });

  it("gives a question and its follow-up in one topic the same key, and other topics other keys", () => {
    const topic = (thread: number) =>
      conversationKey(
        contextOf({ message: message(FORUM, { message_thread_id: thread, is_topic_message: true }) }),
      );
    expect(topic(17)).toBe(topic(17));
    expect(
      new Set([topic(17), topic(18), conversationKey(contextOf({ message: message(FORUM) }))]).size,
    ).toBe(3);
  });
});
