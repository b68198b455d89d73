import type { RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import type { InlineKeyboardMarkup, Message } from "grammy/types";
import pino from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnswerPipeline, EXAMPLE_QUESTION, type AnswerPipeline } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { BOT_MESSAGES, createBot, EXAMPLE_QUESTIONS, startBot } from "../../src/bot/index.js";
import { encodeStartQuestion } from "../../src/bot/start-payload.js";
import type { SanadIndex } from "../../src/index/index.js";
import { startBotApiStandIn, type BotApiStandIn } from "../support/bot-api-stand-in.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { endsOnWholeWord, entityTexts } from "../support/reply-lines.js";
import { botDependencies } from "./fixture.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const ENGLISH = "How many Tajik students study at Russian institutions?";
const GROUP = -1001234567890;
const RLM = "\u200F";
const LRM = "\u200E";
const SOURCE_LABEL = "المصدر:";
/** A question the articles hold nothing about: it is refused, not hedged. */
const UNRELATED = "كيف أطبخ الكسكسي المغربي؟";

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

  it("answers a private question without replying to it, naming the source once", async () => {
    server.privateText(11, STUDENTS);
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.chat_id).toBe(11);
    // The question is right above the answer in a private chat: a reply would only repeat it.
    expect(call?.payload.reply_parameters).toBeUndefined();
    expect(server.sentMessages(11)[0]?.reply_parameters).toBeUndefined();
    const [text] = sent(11);
    expect(text).toContain("35 ألف طالب");
    expect(text).toContain(`${SOURCE_LABEL} تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — `);
    expect(text?.split(SOURCE_LABEL)).toHaveLength(2);
    // Not a question the chat has not seen: it is not shown again.
    expect(text).not.toContain(STUDENTS);
    const entities = call?.payload.entities as { type: string }[];
    expect(
      entities.some((entity) => entity.type === "blockquote" || entity.type === "expandable_blockquote"),
    ).toBe(true);
    expect(call?.payload.reply_markup).toBeUndefined();
    expect(server.calls.some((c) => c.method === "sendChatAction")).toBe(true);
  });

  it("answers /ask@bot in a group and ignores other chatter", async () => {
    server.groupText(GROUP, 21, "صباح الخير يا جماعة");
    const asked = server.groupText(GROUP, 21, `/ask@${server.botInfo.username} ${STUDENTS}`);
    const [call] = await server.waitForCalls("sendMessage", 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = sent(GROUP);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("35 ألف طالب");
    // In a group the answer replies to the question it answers.
    expect(call?.payload.reply_parameters).toMatchObject({ message_id: asked.message?.message_id });
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

  it("answers an inline query with an article that opens with the question, previewed to a whole word", async () => {
    server.inlineQuery(31, STUDENTS);
    const [call] = await server.waitForCalls("answerInlineQuery", 1);
    const results = call?.payload.results as {
      title: string;
      description: string;
      input_message_content: { message_text: string };
    }[];
    expect(results).toHaveLength(1);
    const [result] = results;
    const text = result?.input_message_content.message_text ?? "";
    // Shared into another chat, the answer carries its question: nobody there saw it asked.
    expect(text.split("\n")[0]).toBe(`${RLM}❓ ${STUDENTS}`);
    expect(text).toContain("35 ألف طالب");
    expect(result?.title).toBe(STUDENTS);
    // The fact asked for comes first in the preview, and the preview ends on a whole word.
    expect(result?.description.startsWith("35 ألف")).toBe(true);
    expect(endsOnWholeWord(result?.description ?? "", text)).toBe(true);
  });

  it("previews a long inline answer cut at a word, with «…»", async () => {
    const question = "ما حجم التجارة بين روسيا وطاجيكستان؟";
    server.inlineQuery(32, question);
    const [call] = await server.waitForCalls("answerInlineQuery", 1);
    const [result] = call?.payload.results as {
      description: string;
      input_message_content: { message_text: string };
    }[];
    const description = result?.description ?? "";
    const text = result?.input_message_content.message_text ?? "";
    expect(text.split("\n")[0]).toBe(`${RLM}❓ ${question}`);
    expect(description.length).toBeLessThanOrEqual(200);
    expect(description.endsWith("…")).toBe(true);
    expect(endsOnWholeWord(description, text)).toBe(true);
  });

  it("welcomes «مرحبا» in a private chat with an example question, not as a reply, without sources", async () => {
    server.privateText(51, "مرحبا");
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.reply_parameters).toBeUndefined();
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
    expect(answer).toContain(SOURCE_LABEL);
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
    expect(text).not.toContain(SOURCE_LABEL);
    expect(text).not.toContain(MESSAGES.refusal);
    expect(call?.payload.entities ?? []).toEqual([]);
  });

  it("names the bot's @username in /help, for inline mode", async () => {
    server.privateText(61, "/help");
    await server.waitForCalls("sendMessage", 1);
    const [help] = sent(61);
    expect(help).toBe(BOT_MESSAGES.help(server.botInfo.username));
    expect(help).toContain(`@${server.botInfo.username}`);
  });

  it("lists the articles with /sources: title, source and written date", async () => {
    server.privateText(62, "/sources");
    await server.waitForCalls("sendMessage", 1);
    const lines = sent(62)[0]?.split("\n") ?? [];
    expect(lines[0]).toBe(BOT_MESSAGES.sourcesTitle);
    expect(lines.slice(1)).toEqual([
      "• بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية — تاس (TASS)، 9 أكتوبر/تشرين الأول 2025",
    ]);
  });

  it("answers an example button of /start with a new message that opens with the question", async () => {
    server.privateText(63, "/start");
    const [welcome] = await server.waitForCalls("sendMessage", 1);
    const keyboard = (welcome?.payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard;
    expect(keyboard).toEqual(
      EXAMPLE_QUESTIONS.map((question, i) => [{ text: question, callback_data: `ask:${i}` }]),
    );
    const welcomeId = server.sentMessages(63)[0]?.message_id ?? 0;
    server.callbackQuery(63, 63, "ask:0", welcomeId);
    const [, call] = await server.waitForCalls("sendMessage", 2);
    expect(server.calls.some((c) => c.method === "answerCallbackQuery" && c.response.ok)).toBe(true);
    // Not a reply to the welcome, which asked nothing: a message of its own, question first.
    expect(call?.payload.reply_parameters).toBeUndefined();
    const text = String(call?.payload.text);
    const [first, second] = text.split("\n");
    expect(first).toBe(`${RLM}❓ ${EXAMPLE_QUESTION}`);
    expect(second).toBe("");
    expect(entityTexts(text, call?.payload.entities, "bold")).toContain(EXAMPLE_QUESTION);
    expect(text).toContain("القمة الثانية لروسيا وآسيا الوسطى");
    expect(text).toContain(SOURCE_LABEL);
  });

  it("answers a /start deep link's question with a new message that opens with the question", async () => {
    const question = "ما حجم التجارة؟";
    const payload = encodeStartQuestion(question);
    expect(payload).toBeDefined();
    server.privateText(64, `/start ${payload ?? ""}`);
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.reply_parameters).toBeUndefined();
    const text = String(call?.payload.text);
    expect(text.split("\n")[0]).toBe(`${RLM}❓ ${question}`);
    expect(text).toContain("1.5 مليار دولار");
  });

  it("offers the example questions as buttons under a refusal, with the way forward", async () => {
    const answer = await pipeline.answerer.answer(UNRELATED);
    expect(answer.refused).toBe(true);
    server.privateText(65, UNRELATED);
    const [call] = await server.waitForCalls("sendMessage", 1);
    const lines = String(call?.payload.text).split("\n");
    expect(lines[0]).toBe(MESSAGES.refusal);
    expect(lines.at(-1)).toBe(BOT_MESSAGES.wayForward);
    const keyboard = (call?.payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard;
    expect(keyboard).toEqual(
      EXAMPLE_QUESTIONS.map((question, i) => [{ text: question, callback_data: `ask:${i}` }]),
    );
  });

  it("replies to a refused question in a group, the example buttons under it", async () => {
    const asked = server.groupText(GROUP, 21, `/ask@${server.botInfo.username} ${UNRELATED}`);
    const [call] = await server.waitForCalls("sendMessage", 1);
    expect(call?.payload.reply_parameters).toMatchObject({ message_id: asked.message?.message_id });
    expect(String(call?.payload.text).split("\n").at(-1)).toBe(BOT_MESSAGES.wayForward);
    const keyboard = (call?.payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard;
    expect(keyboard?.map((row) => row.length)).toEqual(EXAMPLE_QUESTIONS.map(() => 1));
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
