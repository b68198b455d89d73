import type { RunnerHandle } from "@grammyjs/runner";
import pino from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnswerPipeline } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { createBot, startBot } from "../../src/bot/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import { startBotApiStandIn, type BotApiStandIn } from "../support/bot-api-stand-in.js";
import { startOpenAIStandIn, type OpenAIStandIn, type RecordedRequest } from "../support/openai-stand-in.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { botDependencies } from "./fixture.js";
import { standInChat } from "../support/stand-in-chat.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
/** Streamed in many chunks, none of which may show in a draft: the model's text is unverified. */
const ANSWER = `يدرس أكثر من 35 ألف طالب طاجيكستاني في المؤسسات الروسية، ${"وفق ما ورد في الخبر، ".repeat(30)}`;

let index: SanadIndex;
let telegram: BotApiStandIn;
let model: OpenAIStandIn;
let handle: RunnerHandle;

beforeAll(async () => {
  index = await buildCorpusIndex();
});

beforeEach(async () => {
  telegram = await startBotApiStandIn();
  model = await startOpenAIStandIn();
  const logger = pino({ level: "silent" });
  const pipeline = await createAnswerPipeline({
    index,
    chat: standInChat(model, { apiKey: "sk-bot-test" }),
    topK: 3,
    logger,
  });
  const bot = createBot(botDependencies(pipeline), {
    token: telegram.token,
    apiRoot: telegram.apiRoot,
  });
  handle = await startBot(bot);
});

afterEach(async () => {
  await handle.stop();
  await telegram.close();
  await model.close();
});

/** The text of the sentence numbered `n` in the context of a recorded prompt. */
function contextLine(request: RecordedRequest | undefined, n: number): string {
  const body = request?.body as { messages: { role: string; content: string }[] } | undefined;
  const prefix = `[${n}] `;
  const line = (body?.messages.at(-1)?.content ?? "").split("\n").find((l) => l.startsWith(prefix));
  if (line === undefined) throw new Error(`no sentence [${n}] in the prompt`);
  return line.slice(prefix.length);
}

/** A reply citing the context line that holds "35 ألف", by its number in the prompt. */
function citingStudents(request: RecordedRequest) {
  const body = request.body as { messages: { role: string; content: string }[] };
  const line = (body.messages.at(-1)?.content ?? "").split("\n").find((l) => l.includes("35 ألف"));
  return { reply: `${ANSWER}[${/^\[(\d+)\]/.exec(line ?? "")?.[1] ?? "1"}].` };
}

describe("the bot with a model", () => {
  it("shows the best quote as a draft while the model writes, never its text, then the verified answer", async () => {
    model.chat.push(citingStudents);
    telegram.privateText(51, STUDENTS);
    await telegram.waitForCalls("sendMessage", 1, 15_000);
    const sent = telegram.sentMessages(51);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain("يدرس أكثر من 35 ألف طالب طاجيكستاني");
    expect(sent[0]?.text).toContain("[1]");
    expect(sent[0]?.text).toContain("المصدر: تاس (TASS)");
    // A private answer is no reply: the question is right above it.
    expect(sent[0]?.reply_parameters).toBeUndefined();
    const drafts = telegram.calls.filter((call) => call.method === "sendMessageDraft");
    // One draft, once the best sentence is found: «…» and that sentence quoted (the prompt's [1]).
    expect(drafts).toHaveLength(1);
    const [draft] = drafts;
    expect(draft?.payload.chat_id).toBe(51);
    expect(draft?.payload.text).toBe(`…\n«${contextLine(model.requests[0], 1)}»`);
    // The model's text is unverified while it is written: no draft shows any of it.
    for (const call of drafts) expect(String(call.payload.text)).not.toContain("وفق ما ورد في الخبر");
    // The draft came before the final message.
    const order = telegram.calls.map((call) => call.method);
    expect(order.indexOf("sendMessageDraft")).toBeLessThan(order.indexOf("sendMessage"));
  });

  it("translates an English question with the model, then answers it in Arabic with its sources", async () => {
    model.chat.push({ reply: STUDENTS }, citingStudents);
    telegram.privateText(53, "How many Tajik students study in Russia?");
    await telegram.waitForCalls("sendMessage", 1, 15_000);
    const [message] = telegram.sentMessages(53);
    expect(message?.text).toContain("يدرس أكثر من 35 ألف طالب طاجيكستاني");
    expect(message?.text).toContain("المصدر: تاس (TASS)");
    const asked = model.requests.map((request) => JSON.stringify(request.body));
    expect(asked).toHaveLength(2);
    expect(asked[0]).toContain("How many Tajik students study in Russia?");
    expect(asked[1]).toContain(STUDENTS);
  });

  it("answers from the article with a notice when the model server fails", async () => {
    model.chat.push({ status: 500 });
    telegram.privateText(52, STUDENTS);
    await telegram.waitForCalls("sendMessage", 1, 15_000);
    const [message] = telegram.sentMessages(52);
    const lines = message?.text.split("\n") ?? [];
    // The notice is a plain line of its own, first.
    expect(lines[0]).toBe(MESSAGES.llmFallback);
    expect(lines[1]).toBe("");
    expect(message?.text).toContain("35 ألف طالب");
    const types = (message?.entities as { type: string }[] | undefined)?.map((entity) => entity.type) ?? [];
    expect(types).not.toContain("italic");
    // Drafts showed the quote the fallback answers with, not the failed model's text.
    const drafts = telegram.calls.filter((call) => call.method === "sendMessageDraft");
    expect(drafts).toHaveLength(1);
    expect(String(drafts[0]?.payload.text)).toMatch(/^…\n«.*35 ألف طالب.*»$/su);
  });

  it("sends no draft for an answer written from the article's fields", async () => {
    telegram.privateText(54, "ما مصدر الخبر؟");
    await telegram.waitForCalls("sendMessage", 1, 15_000);
    const [message] = telegram.sentMessages(54);
    expect(message?.text).toContain("تاس (TASS)");
    expect(model.requests).toHaveLength(0);
    expect(telegram.calls.some((call) => call.method === "sendMessageDraft")).toBe(false);
  });
});
