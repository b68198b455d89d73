import type { RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { Message } from "grammy/types";
import pino from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnswerPipeline, EXAMPLE_QUESTION, type AnswerPipeline } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { BOT_MESSAGES, createBot, EXAMPLE_QUESTIONS, startBot } from "../../src/bot/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import { startBotApiStandIn, type BotApiStandIn } from "../support/bot-api-stand-in.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { botDependencies } from "./fixture.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const ENGLISH = "How many Tajik students study at Russian institutions?";
const GROUP = -1001234567890;
const RLM = "\u200F";
const LRM = "\u200E";

let index: SanadIndex;
let server: BotApiStandIn;
let bot: Bot;
let handle: RunnerHandle;
let pipeline: AnswerPipeline;

beforeAll(async () => {
  index = await buildCorpusIndex();
});

beforeEach(async () => {
  server = await startBotApiStandIn();
  pipeline = await createAnswerPipeline({
    index,
    chat: undefined,
    topK: 3,
    logger: pino({ level: "silent" }),
  });
  bot = createBot(botDependencies(pipeline), { token: server.token, apiRoot: server.apiRoot });
  handle = await startBot(bot);
});

afterEach(async () => {
  await handle.stop();
  await server.close();
});

/** The text of the messages the bot sent to a chat. */
function sent(chatId: number): string[] {
  return server.sentMessages(chatId).map((message) => message.text);
}

describe("the bot against a Bot API server on 127.0.0.1 (long polling through the runner)", () => {
  it("registers its commands in Arabic and English", async () => {
    const calls = await server.waitForCalls("setMyCommands", 2);
    expect(calls.map((call) => call.payload.language_code)).toEqual(["ar", undefined]);
  });

  it("answers a private question as a reply, with the cited sentence quoted", async () => {
    const update = server.privateText(11, STUDENTS);
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.chat_id).toBe(11);
    expect(call?.payload.reply_parameters).toMatchObject({ message_id: update.message?.message_id });
    const [text] = sent(11);
    expect(text).toContain("35 ألف طالب");
    expect(text).toContain("المصادر:");
    const entities = call?.payload.entities as { type: string }[];
    expect(
      entities.some((entity) => entity.type === "blockquote" || entity.type === "expandable_blockquote"),
    ).toBe(true);
    expect(server.calls.some((c) => c.method === "sendChatAction")).toBe(true);
  });

  it("answers /ask@bot in a group and ignores other chatter", async () => {
    server.groupText(GROUP, 21, "صباح الخير يا جماعة");
    server.groupText(GROUP, 21, `/ask@${server.botInfo.username} ${STUDENTS}`);
    await server.waitForCalls("sendMessage", 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = sent(GROUP);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("35 ألف طالب");
  });

  it("answers a reply to its own answer as a follow-up in that conversation", async () => {
    server.groupText(GROUP, 21, `/ask@${server.botInfo.username} ${STUDENTS}`);
    await server.waitForCalls("sendMessage", 1);
    const answer = server.sentMessages(GROUP)[0];
    const replyTo: NonNullable<Message["reply_to_message"]> = {
      message_id: answer?.message_id ?? 0,
      date: Math.floor(Date.now() / 1000),
      chat: { id: GROUP, type: "supergroup", title: "group" },
      from: server.botInfo,
      text: answer?.text ?? "",
      reply_to_message: undefined,
    };
    server.groupText(GROUP, 22, "وكم معلماً يعمل هناك؟", { reply_to_message: replyTo });
    await server.waitForCalls("sendMessage", 2);
    expect(sent(GROUP)[1]).toContain("109");
  });

  it("answers in the forum topic it was asked in", async () => {
    server.groupText(GROUP, 21, `/ask@${server.botInfo.username} ${STUDENTS}`, {
      message_thread_id: 5,
      is_topic_message: true,
    });
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.message_thread_id).toBe(5);
  });

  it("replies to /ask without a question with how to ask", async () => {
    server.groupText(GROUP, 21, `/ask@${server.botInfo.username}`);
    await server.waitForCalls("sendMessage", 1);
    expect(sent(GROUP)).toEqual([BOT_MESSAGES.askWithoutQuestion]);
  });

  it("answers an inline query with the answer as an article", async () => {
    server.inlineQuery(31, STUDENTS);
    const [call] = await server.waitForCalls("answerInlineQuery", 1);
    const results = call?.payload.results as { input_message_content: { message_text: string } }[];
    expect(results).toHaveLength(1);
    expect(results[0]?.input_message_content.message_text).toContain("35 ألف طالب");
  });

  it("welcomes «مرحبا» in a private chat with an example question, as a reply, without sources", async () => {
    const update = server.privateText(51, "مرحبا");
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.reply_parameters).toMatchObject({ message_id: update.message?.message_id });
    expect(sent(51)).toEqual([MESSAGES.welcome]);
    expect(sent(51)[0]).toContain(`مثال: ${EXAMPLE_QUESTION}`);
    expect(EXAMPLE_QUESTIONS[0]).toBe(EXAMPLE_QUESTION);
    expect(call?.payload.entities ?? []).toEqual([]);
  });

  it("answers thanks with «عفواً …», and a question after a greeting with its answer", async () => {
    server.privateText(52, "شكراً جزيلاً");
    await server.waitForCalls("sendMessage", 1);
    server.privateText(52, `السلام عليكم، ${STUDENTS}`);
    await server.waitForCalls("sendMessage", 2);
    const [thanks, answer] = sent(52);
    expect(thanks).toBe(MESSAGES.thanks);
    expect(answer).toContain("35 ألف طالب");
    expect(answer).toContain("المصادر:");
  });

  it("answers an English question in Arabic and English, every line laid out right to left", async () => {
    server.privateText(53, ENGLISH);
    const [call] = await server.waitForCalls("sendMessage", 1);
    const [text] = sent(53);
    const lines = text?.split("\n") ?? [];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain("العربية");
    // The English line: a right-to-left mark in front, like every line of the bot's messages that opens
    // with a Latin letter, and a left-to-right mark after its final period.
    expect(lines[1]).toMatch(new RegExp(`^${RLM}I answer questions in Arabic.*\\.${LRM}$`));
    expect(text).not.toContain("المصادر:");
    expect(text).not.toContain(MESSAGES.refusal);
    expect(call?.payload.entities ?? []).toEqual([]);
  });

  it("replies to a sticker in Arabic", async () => {
    server.privateSticker(41);
    await server.waitForCalls("sendMessage", 1);
    expect(sent(41)).toEqual([BOT_MESSAGES.notText]);
  });

  it("keeps <b> and & in a question literal", async () => {
    server.privateText(42, "ما <b>مصدر</b> الخبر & الصورة؟");
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.parse_mode).toBeUndefined();
    expect(call?.response).toMatchObject({ ok: true });
  });

  it("still answers after a 429 from the server", async () => {
    server.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      retry_after: 1,
    });
    server.privateText(43, STUDENTS);
    const calls = await server.waitForCalls("sendMessage", 2);
    expect(calls[0]?.response).toMatchObject({ ok: false, error_code: 429 });
    expect(sent(43)[0]).toContain("35 ألف طالب");
  });

  it("sends plain text when the server rejects the formatting", async () => {
    server.failNext("sendMessage", {
      error_code: 400,
      description: "Bad Request: can't parse entities: test",
    });
    server.privateText(44, STUDENTS);
    const calls = await server.waitForCalls("sendMessage", 2);
    expect(calls[1]?.payload.entities).toBeUndefined();
    expect(sent(44)[0]).toContain("35 ألف طالب");
  });

  it("answers 50 chats asking at once, each in its own chat", async () => {
    const users = Array.from({ length: 50 }, (_, i) => 1000 + i);
    for (const user of users) server.privateText(user, STUDENTS);
    await server.waitForCalls("sendMessage", 50, 30_000);
    for (const user of users) {
      expect(sent(user)).toHaveLength(1);
      expect(sent(user)[0]).toContain("35 ألف طالب");
    }
  }, 40_000);
});
