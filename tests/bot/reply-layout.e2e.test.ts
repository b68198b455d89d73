/**
 * The reply a reader trusts at a glance, through the real bot (long polling against the Bot API stand-in
 * on 127.0.0.1): the answer once, the source named with its written date, the question in view where the
 * chat does not show it, every line right to left, and a way forward after a refusal. Checked line by
 * line on the text the bot sent, for answers quoted from the article, written by a model and verified,
 * and quoted again when the model's answer could not be verified; in a private chat, in a group and in
 * a forum topic.
 */
import type { RunnerHandle } from "@grammyjs/runner";
import type { InlineKeyboardMarkup } from "grammy/types";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswerPipeline, type AnswerPipeline } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { BOT_MESSAGES, createBot, EXAMPLE_QUESTIONS, startBot } from "../../src/bot/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import { startBotApiStandIn, type BotApiStandIn, type RecordedCall } from "../support/bot-api-stand-in.js";
import { buildCorpusIndex } from "../support/corpus.js";
import {
  startOpenAIStandIn,
  type ChatScriptEntry,
  type OpenAIStandIn,
  type RecordedRequest,
} from "../support/openai-stand-in.js";
import {
  endsOnWholeWord,
  entitiesOf,
  entityTexts,
  occurrences,
  opensRightToLeft,
  repeatedLetterRun,
  replyLines,
  RLM,
} from "../support/reply-lines.js";
import { standInChat } from "../support/stand-in-chat.js";
import { botDependencies } from "./fixture.js";

/** The title of the corpus's article. */
const TITLE = "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";
/** The month of the article's dates, as a reader reads it. */
const WRITTEN_MONTH = "أكتوبر/تشرين الأول";
/** The article's source and publication date, as a reply names them. */
const SOURCE = `تاس (TASS)، 9 ${WRITTEN_MONTH} 2025`;
/** A question the articles hold nothing about: refused, not hedged (checked first through the pipeline). */
const UNRELATED = "كيف أطبخ الكسكسي المغربي؟";
/** A question about the article itself. */
const ABOUT_SOURCE = "ما مصدر الخبر؟";

/** A factual question, the fact a quoted answer states and sets in bold, and how a model answers it. */
interface Case {
  readonly name: string;
  readonly question: string;
  /** The fact asked for, as the answer writes it, when the answer states exactly one. */
  readonly fact?: string;
  /** What any answer to it must say. */
  readonly says: string;
  /** Text held by the two sentences of the prompt the model cites, [a] first. */
  readonly cites: readonly [string, string];
  /** The model's answer, citing the prompt's sentences numbered a and b; its numbers are in those. */
  readonly write: (a: number, b: number) => string;
  /** A piece of the model's answer, to tell it from a quoted one. */
  readonly written: string;
}

const CASES: readonly Case[] = [
  {
    name: "students",
    question: "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟",
    fact: "35 ألف",
    says: "35 ألف طالب",
    cites: ["35 ألف", "1000 مقعد"],
    write: (a, b) =>
      `يتابع أكثر من 35 ألف طالب من طاجيكستان دراستهم في روسيا [${a}]، وقد خصصت لهم روسيا 1000 منحة دراسية [${b}].`,
    written: "يتابع أكثر من 35 ألف طالب من طاجيكستان",
  },
  {
    name: "meeting",
    question: "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟",
    fact: `8 ${WRITTEN_MONTH} 2025`,
    says: `8 ${WRITTEN_MONTH} 2025`,
    cites: ["8 أكتوبر", "الاجتماع الرابع"],
    write: (a, b) =>
      `التقى بوتين رئيس طاجيكستان إمام علي رحمون في لقاء غير رسمي مساء الأربعاء 8 ${WRITTEN_MONTH} 2025 [${a}]، وهو لقاؤهما الرابع هذا العام [${b}].`,
    written: "التقى بوتين رئيس طاجيكستان",
  },
  {
    name: "trade",
    question: "ما حجم التجارة بين روسيا وطاجيكستان؟",
    says: "1.5 مليار دولار",
    cites: ["1.5 مليار", "الشريك التجاري الرئيسي"],
    write: (a, b) =>
      `بلغ حجم التجارة المتبادلة بين البلدين 1.5 مليار دولار أمريكي في عام 2024 بعد نمو نسبته 7.1% [${a}]، وتُعد روسيا الشريك التجاري الرئيسي لطاجيكستان [${b}].`,
    written: "بلغ حجم التجارة المتبادلة بين البلدين",
  },
];

/** The first example question (its button is `ask:0`), as a model answers it. */
const EXAMPLE_CASE = {
  question: EXAMPLE_QUESTIONS[0],
  cites: ["النصف الثاني من اليوم"],
  write: (a: number) => `يحضر بوتين القمة في النصف الثاني من اليوم [${a}].`,
} as const;

/** Where a question is asked. */
type ChatKind = "private" | "group /ask" | "group mention" | "forum topic";
const CHAT_KINDS: readonly ChatKind[] = ["private", "group /ask", "group mention", "forum topic"];
/** The forum topic questions are asked in. */
const TOPIC = 7;

/** How the answers are written. */
type Mode = "extractive" | "verified model" | "model failed" | "model unverifiable";

let index: SanadIndex;

beforeAll(async () => {
  index = await buildCorpusIndex();
});

/** A bot over the Bot API stand-in, with a model stand-in unless the answers are extractive. */
interface Harness {
  readonly telegram: BotApiStandIn;
  readonly model: OpenAIStandIn | undefined;
  readonly pipeline: AnswerPipeline;
  readonly handle: RunnerHandle;
}

async function startHarness(mode: Mode): Promise<Harness> {
  const telegram = await startBotApiStandIn();
  const model = mode === "extractive" ? undefined : await startOpenAIStandIn();
  if (model) model.defaultChat = modelScript(mode);
  const pipeline = await createAnswerPipeline({
    index,
    chat: model ? standInChat(model) : undefined,
    topK: 3,
    logger: pino({ level: "silent" }),
  });
  const bot = createBot(botDependencies(pipeline), { token: telegram.token, apiRoot: telegram.apiRoot });
  return { telegram, model, pipeline, handle: await startBot(bot) };
}

async function stopHarness(harness: Harness | undefined): Promise<void> {
  if (!harness) return;
  await harness.handle.stop();
  await harness.telegram.close();
  await harness.model?.close();
}

/** Cited texts the model stand-in looked for in a prompt and did not find (a test fails on any). */
const missing: string[] = [];

/** The numbered sentences of a prompt's context, by number. */
function promptSentences(request: RecordedRequest): Map<number, string> {
  const body = request.body as { messages: { role: string; content: string }[] };
  const sentences = new Map<number, string>();
  for (const line of (body.messages.at(-1)?.content ?? "").split("\n")) {
    const match = /^\[(\d+)\] (.*)$/u.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) sentences.set(Number(match[1]), match[2]);
  }
  return sentences;
}

/** What the model stand-in answers in a mode: a verified answer, an error, or an answer no check passes. */
function modelScript(mode: Mode): ChatScriptEntry {
  if (mode === "model failed") return { status: 500 };
  if (mode === "model unverifiable") {
    // A number that no sentence holds: the check fails, the corrective attempt fails alike.
    return { reply: "يدرس في روسيا 987654 طالباً من طاجيكستان [1]." };
  }
  return (request) => {
    const body = JSON.stringify(request.body);
    const sentences = [...promptSentences(request)];
    const numbered = (name: string, text: string): number => {
      const n = sentences.find(([, sentence]) => sentence.includes(text))?.[0];
      if (n === undefined) missing.push(`${name}: ${text}`);
      return n ?? 1;
    };
    const found = CASES.find((c) => body.includes(c.question));
    if (found) {
      const [a, b] = found.cites;
      return { reply: found.write(numbered(found.name, a), numbered(found.name, b)) };
    }
    if (body.includes(EXAMPLE_CASE.question)) {
      return { reply: EXAMPLE_CASE.write(numbered("example", EXAMPLE_CASE.cites[0])) };
    }
    return { reply: MESSAGES.refusal };
  };
}

let nextChat = 0;

/** Asks `question` in a new chat of `kind`: the bot's sendMessage call, the chat and the question's id. */
async function ask(
  telegram: BotApiStandIn,
  kind: ChatKind,
  question: string,
): Promise<{ call: RecordedCall; chatId: number; questionId: number | undefined }> {
  nextChat++;
  const before = telegram.calls.filter((call) => call.method === "sendMessage").length;
  const username = telegram.botInfo.username;
  const chatId = kind === "private" ? 70_000 + nextChat : -1_002_000_000_000 - nextChat;
  const update =
    kind === "private"
      ? telegram.privateText(chatId, question)
      : kind === "group /ask"
        ? telegram.groupText(chatId, 21, `/ask@${username} ${question}`)
        : kind === "group mention"
          ? telegram.groupText(chatId, 21, `@${username} ${question}`)
          : telegram.groupText(chatId, 21, `/ask@${username} ${question}`, {
              message_thread_id: TOPIC,
              is_topic_message: true,
            });
  const calls = await telegram.waitForCalls("sendMessage", before + 1, 15_000);
  const call = calls.at(-1);
  if (!call) throw new Error("no message sent");
  expect(call.payload.chat_id).toBe(chatId);
  expect(call.response.ok).toBe(true);
  return { call, chatId, questionId: update.message?.message_id };
}

/** The rules every reply keeps, line by line: direction, nothing said twice, no italic. */
function expectReadableLines(text: string, entities: unknown): void {
  for (const line of replyLines(text)) {
    expect(opensRightToLeft(line), `a line laid out left to right: ${JSON.stringify(line)}`).toBe(true);
  }
  expect(repeatedLetterRun(text), "a run of 40 letters or more said twice").toBeUndefined();
  expect(entityTexts(text, entities, "italic")).toEqual([]);
}

/** The rules of a reply that answers from the article: its source named once, with the written date. */
function expectSourcedAnswer(text: string, entities: unknown): void {
  expectReadableLines(text, entities);
  expect(text).toContain("تاس");
  expect(text).toContain(WRITTEN_MONTH);
  expect(occurrences(text, TITLE)).toBeLessThanOrEqual(1);
  const sourceLines = replyLines(text).filter((line) => line.startsWith("المصدر:"));
  expect(sourceLines).toEqual([`المصدر: ${SOURCE} — ${TITLE}`]);
  expect(entityTexts(text, entities, "bold")).toContain("المصدر:");
}

/** The example-question buttons, one per row, that a refusal carries. */
function expectExampleKeyboard(call: RecordedCall): void {
  const keyboard = (call.payload.reply_markup as InlineKeyboardMarkup | undefined)?.inline_keyboard;
  expect(keyboard).toEqual(
    EXAMPLE_QUESTIONS.map((question, i) => [{ text: question, callback_data: `ask:${i}` }]),
  );
}

const MODES: readonly Mode[] = ["extractive", "verified model", "model failed", "model unverifiable"];

describe.each(MODES)("a reply to a factual question (%s answers)", (mode) => {
  let harness: Harness | undefined;

  beforeAll(async () => {
    harness = await startHarness(mode);
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  const cases = CASES.flatMap((c) => CHAT_KINDS.map((kind) => ({ c, kind })));
  it.each(cases)("$c.name, asked in a $kind chat", async ({ c, kind }) => {
    if (!harness) throw new Error("the bot did not start");
    const { telegram, model } = harness;
    const modelCalls = model?.requests.length ?? 0;
    const { call, chatId, questionId } = await ask(telegram, kind, c.question);
    // The model was asked once; an answer that failed the check, twice (the corrective attempt).
    const asked = (model?.requests.length ?? 0) - modelCalls;
    expect(asked).toBe(mode === "extractive" ? 0 : mode === "model unverifiable" ? 2 : 1);
    const text = String(call.payload.text);
    const entities = call.payload.entities;
    const lines = replyLines(text);

    // Where it goes: a private answer stands under the question; elsewhere it replies to it, in its topic.
    if (kind === "private") expect(call.payload.reply_parameters).toBeUndefined();
    else expect(call.payload.reply_parameters).toMatchObject({ message_id: questionId });
    const [stored] = telegram.sentMessages(chatId);
    if (kind === "forum topic") {
      expect(call.payload.message_thread_id).toBe(TOPIC);
      expect(stored?.message_thread_id).toBe(TOPIC);
    } else expect(stored?.message_thread_id).toBeUndefined();
    // The question was typed in the chat: it is not shown again.
    expect(text).not.toContain("❓");
    expect(call.payload.reply_markup).toBeUndefined();
    expect(call.payload.parse_mode).toBeUndefined();

    expectSourcedAnswer(text, entities);
    expect(text).toContain(c.says);

    const fallback = mode === "model failed" || mode === "model unverifiable";
    if (fallback) {
      // The notice is the first line, plain, and the quoted answer follows it.
      expect(lines[0]).toBe(MESSAGES.llmFallback);
      expect(lines[1]).toBe("");
      const notice = lines[0]?.length ?? 0;
      expect(entitiesOf(entities).filter((entity) => entity.offset < notice)).toEqual([]);
    } else {
      expect(text).not.toContain(MESSAGES.llmFallback);
    }
    if (mode === "verified model") {
      expect(missing).toEqual([]);
      expect(lines[0]?.startsWith(c.written)).toBe(true);
      // Both cited sentences are quoted under the source line, each once.
      expect(
        entitiesOf(entities).filter((e) => e.type === "blockquote" || e.type === "expandable_blockquote"),
      ).toHaveLength(2);
    } else {
      expect(text).not.toContain(c.written);
    }

    // The fact asked for, in bold on the answer's line, where a quoted answer states exactly one.
    if (c.fact !== undefined && mode !== "verified model") {
      const bold = entitiesOf(entities).filter((entity) => entity.type === "bold");
      const fact = bold.find((entity) =>
        text.slice(entity.offset, entity.offset + entity.length).includes(c.fact ?? ""),
      );
      expect(fact, `no bold ${c.fact}`).toBeDefined();
      const line = text.slice(0, fact?.offset ?? 0).split("\n").length - 1;
      expect(lines[line]).toContain(c.says);
      expect(lines[line]?.startsWith("المصدر:")).toBe(false);
    }
  });

  it("opens an example button's answer with the question, as a new message", async () => {
    if (!harness) throw new Error("the bot did not start");
    const { telegram } = harness;
    const { chatId } = await ask(telegram, "private", "/start");
    const welcome = telegram.sentMessages(chatId)[0];
    const before = telegram.calls.filter((call) => call.method === "sendMessage").length;
    telegram.callbackQuery(chatId, chatId, "ask:0", welcome?.message_id ?? 0);
    const call = (await telegram.waitForCalls("sendMessage", before + 1, 15_000)).at(-1);
    const text = String(call?.payload.text);
    expect(call?.payload.reply_parameters).toBeUndefined();
    const [first, second] = replyLines(text);
    expect(first).toBe(`${RLM}❓ ${EXAMPLE_QUESTIONS[0]}`);
    expect(second).toBe("");
    expect(entityTexts(text, call?.payload.entities, "bold")).toContain(EXAMPLE_QUESTIONS[0]);
    expectSourcedAnswer(text, call?.payload.entities);
    expect(text).toContain("النصف الثاني من اليوم");
    if (mode === "verified model") expect(missing).toEqual([]);
  });

  it("refuses a question the articles hold nothing about, with the example buttons and the way forward", async () => {
    if (!harness) throw new Error("the bot did not start");
    expect((await harness.pipeline.answerer.answer(UNRELATED)).refused).toBe(true);
    for (const kind of ["private", "group /ask"] as const) {
      const { call, questionId } = await ask(harness.telegram, kind, UNRELATED);
      const text = String(call.payload.text);
      expectReadableLines(text, call.payload.entities);
      expect(replyLines(text)).toEqual([MESSAGES.refusal, "", BOT_MESSAGES.wayForward]);
      expectExampleKeyboard(call);
      if (kind === "private") expect(call.payload.reply_parameters).toBeUndefined();
      else expect(call.payload.reply_parameters).toMatchObject({ message_id: questionId });
    }
  });

  it("answers a question about the article in one sentence naming its source and written date", async () => {
    if (!harness) throw new Error("the bot did not start");
    const modelCalls = harness.model?.requests.length ?? 0;
    for (const kind of ["private", "forum topic"] as const) {
      const { call } = await ask(harness.telegram, kind, ABOUT_SOURCE);
      const text = String(call.payload.text);
      const entities = call.payload.entities;
      expectReadableLines(text, entities);
      const [answer, gap, title, ...rest] = replyLines(text);
      expect(answer).toBe(`مصدر الخبر تاس (TASS)، ونُشر في 9 ${WRITTEN_MONTH} 2025.`);
      // One sentence: one final stop, at its end.
      expect(answer?.match(/[.؟!]/gu)).toHaveLength(1);
      expect(gap).toBe("");
      expect(title).toBe(`عنوان الخبر: ${TITLE}`);
      expect(rest).toEqual([]);
      // The article's trailer line («المصدر: تاس») is no answer: it is not quoted.
      expect(text).not.toContain("المصدر: تاس");
      expect(entityTexts(text, entities, "blockquote")).toEqual([]);
      expect(entityTexts(text, entities, "expandable_blockquote")).toEqual([]);
    }
    // Written from the article's fields: no model is asked.
    expect(harness.model?.requests.length ?? 0).toBe(modelCalls);
  });
});

describe("an inline answer (extractive answers)", () => {
  let harness: Harness | undefined;

  beforeAll(async () => {
    harness = await startHarness("extractive");
  });

  afterAll(async () => {
    await stopHarness(harness);
  });

  it.each(CASES)(
    "$name: the shared message opens with the question, the preview ends on a word",
    async (c) => {
      if (!harness) throw new Error("the bot did not start");
      const { telegram } = harness;
      const before = telegram.calls.filter((call) => call.method === "answerInlineQuery").length;
      telegram.inlineQuery(80 + before, c.question);
      const call = (await telegram.waitForCalls("answerInlineQuery", before + 1, 15_000)).at(-1);
      const [result] = call?.payload.results as {
        title: string;
        description: string;
        input_message_content: { message_text: string; entities?: unknown };
      }[];
      const text = result?.input_message_content.message_text ?? "";
      const [first, second] = replyLines(text);
      expect(first).toBe(`${RLM}❓ ${c.question}`);
      expect(second).toBe("");
      expectSourcedAnswer(text, result?.input_message_content.entities);
      const description = result?.description ?? "";
      expect(description.length).toBeLessThanOrEqual(200);
      expect(endsOnWholeWord(description, text), description).toBe(true);
      // The fact asked for comes first: «<fact> — <answer>».
      if (c.fact !== undefined) expect(description.split(" — ")[0]).toContain(c.fact);
    },
  );
});
