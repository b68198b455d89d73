/**
 * The triage in front of the pipeline's answerers: greetings, thanks and questions not in Arabic, without
 * a model (the extractive answerer over the repository's corpus) and with one (the OpenAI-compatible
 * stand-in on 127.0.0.1, which translates the question first); and follow-ups that stand alone are not
 * sent to the model to be rewritten.
 */
import path from "node:path";

import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createAnswerer, createAnswerPipeline, type AnswerPipeline } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { usableTranslation } from "../../src/answer/question-translator.js";
import type { ChatConfig } from "../../src/config/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import { silentLogger } from "../../src/log/index.js";
import {
  startOpenAIStandIn,
  type ChatScriptFunction,
  type OpenAIStandIn,
  type RecordedRequest,
} from "../support/openai-stand-in.js";
import { buildCorpusIndex, REPO_ROOT } from "../support/corpus.js";
import { memoryLogger } from "../support/memory-logger.js";
import { standInChat } from "../support/stand-in-chat.js";

const PROMPTS_DIR = path.join(REPO_ROOT, "prompts");
const TEST_TIMEOUT = 15_000;

const STUDENTS_Q = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const ENGLISH_Q = "How many Tajik students study at Russian institutions?";
const STUDENTS = "35 ألف";
const STUDENTS_ANSWER = (n: number): string =>
  `يلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [${n}].`;

let index: SanadIndex;

beforeAll(async () => {
  index = await buildCorpusIndex();
});

describe("the extractive pipeline", () => {
  let pipeline: AnswerPipeline;

  beforeEach(async () => {
    pipeline = await createAnswerPipeline({ index, chat: undefined, topK: 3, logger: silentLogger() });
  });

  it("welcomes a greeting, in single questions and in conversations", async () => {
    expect(await pipeline.answerer.answer("مرحبا")).toMatchObject({
      kind: "greeting",
      answer: MESSAGES.welcome,
      refused: false,
      citations: [],
    });
    expect(await pipeline.conversations.answer("chat", "صباح الخير")).toMatchObject({ kind: "greeting" });
  });

  it("says in Arabic and English that questions are answered in Arabic", async () => {
    const answer = await pipeline.answerer.answer(ENGLISH_Q);
    expect(answer).toMatchObject({
      question: ENGLISH_Q,
      kind: "not-arabic",
      refused: false,
      confidence: "none",
      answer: MESSAGES.notArabic,
      citations: [],
    });
  });

  it("answers a question after a greeting as the question", async () => {
    const answer = await pipeline.answerer.answer(`أهلاً، ${STUDENTS_Q}`);
    expect(answer.question).toBe(`أهلاً، ${STUDENTS_Q}`);
    expect(answer.citations[0]?.text).toContain(STUDENTS);
  });

  it("leaves createAnswerer bare, as the evaluation uses it: no triage there", async () => {
    const bare = await createAnswerer(index, { topK: 3 }).answer("مرحبا");
    expect(bare.kind).toBeUndefined();
    expect(bare.answer).not.toBe(MESSAGES.welcome);
  });
});

interface ChatBody {
  readonly messages: readonly { readonly role: string; readonly content: string }[];
}

const textOf = (request: RecordedRequest | undefined, role: "system" | "user"): string =>
  (request?.body as ChatBody | undefined)?.messages.find((message) => message.role === role)?.content ?? "";

/** A reply citing the context sentence that holds the students' number, as the request numbers it. */
const studentsReply: ChatScriptFunction = (request) => {
  const line = textOf(request, "user")
    .split("\n")
    .find((text) => text.includes(STUDENTS));
  const n = /^\[(\d+)\]/.exec(line ?? "")?.[1];
  if (n === undefined) throw new Error(`no context line holds ${STUDENTS}`);
  return { reply: STUDENTS_ANSWER(Number(n)) };
};

describe("the pipeline with a model", { timeout: TEST_TIMEOUT }, () => {
  let server: OpenAIStandIn;
  let log: ReturnType<typeof memoryLogger>;
  let pipeline: AnswerPipeline;

  beforeEach(async () => {
    server = await startOpenAIStandIn();
    log = memoryLogger();
    const chat: ChatConfig = standInChat(server, { promptsDir: PROMPTS_DIR });
    pipeline = await createAnswerPipeline({ index, chat, topK: 3, logger: log.logger });
  });

  afterEach(async () => {
    await server.close();
  });

  const chatRequests = (): RecordedRequest[] =>
    server.requests.filter(({ method, path: at }) => method === "POST" && at === "/v1/chat/completions");

  it("translates an English question, searches and answers the translation, and keeps the user's question", async () => {
    server.chat.push({ reply: STUDENTS_Q }, studentsReply);
    const answer = await pipeline.answerer.answer(ENGLISH_Q);

    expect(answer).toMatchObject({
      question: ENGLISH_Q,
      mode: "llm",
      refused: false,
      answer: STUDENTS_ANSWER(1),
    });
    expect(answer.kind).toBeUndefined();
    expect(answer.citations[0]?.text).toContain(STUDENTS);
    const [translation, answering, ...others] = chatRequests();
    expect(others).toEqual([]);
    expect(textOf(translation, "system")).toContain("تترجم سؤال قارئ");
    expect(textOf(translation, "user")).toBe(`<السؤال>\n${ENGLISH_Q}\n</السؤال>`);
    expect(textOf(answering, "user")).toContain(`<السؤال>\n${STUDENTS_Q}\n</السؤال>`);
    expect(textOf(answering, "user")).not.toContain(ENGLISH_Q);
  });

  it.each<[string, Parameters<OpenAIStandIn["chat"]["push"]>[0], string]>([
    ["the server fails", { status: 500 }, "question translation failed"],
    ["the model repeats the question in English", { reply: ENGLISH_Q }, "unusable translation of a question"],
    [
      "the model explains on two lines",
      { reply: `${STUDENTS_Q}\nهذه ترجمة السؤال.` },
      "unusable translation of a question",
    ],
    ["the model sends nothing", { reply: "   " }, "unusable translation of a question"],
  ])("gives the not-Arabic reply when %s, and asks nothing more", async (_label, script, logged) => {
    server.chat.push(script);
    const answer = await pipeline.answerer.answer(ENGLISH_Q);
    expect(answer).toMatchObject({ question: ENGLISH_Q, kind: "not-arabic", answer: MESSAGES.notArabic });
    expect(chatRequests()).toHaveLength(1);
    expect(log.records().map((record) => record.msg)).toContain(logged);
  });

  it("replies to greetings and thanks without calling the model", async () => {
    expect(await pipeline.conversations.answer("chat", "السلام عليكم")).toMatchObject({ kind: "greeting" });
    expect(await pipeline.answerer.answer("شكراً جزيلاً")).toMatchObject({ kind: "thanks" });
    expect(server.requests).toEqual([]);
  });

  it("rewrites a follow-up with the model, but sends a question that stands alone as it is", async () => {
    server.chat.push(studentsReply);
    await pipeline.conversations.answer("chat", STUDENTS_Q);
    server.chat.push({ reply: MESSAGES.refusal });
    await pipeline.conversations.answer("chat", "متى تعقد القمة؟");
    // Two answers, no rewrite: the second question named its own subject.
    expect(chatRequests()).toHaveLength(2);
    expect(textOf(chatRequests()[1], "user")).toContain("<السؤال>\nمتى تعقد القمة؟\n</السؤال>");

    server.chat.push(
      { reply: "كم عدد المعلمين الروس في المدارس الطاجيكستانية؟" },
      { reply: MESSAGES.refusal },
    );
    await pipeline.conversations.answer("chat", "وكم معلماً يعمل هناك؟");
    const [, , condense, answering, ...others] = chatRequests();
    expect(others).toEqual([]);
    expect(textOf(condense, "system")).toContain("سؤالاً مستقلاً");
    expect(textOf(condense, "user")).toContain("<سؤال_المتابعة>\nوكم معلماً يعمل هناك؟\n</سؤال_المتابعة>");
    expect(textOf(answering, "user")).toContain(
      "<السؤال>\nكم عدد المعلمين الروس في المدارس الطاجيكستانية؟\n</السؤال>",
    );
  });
});

describe("usableTranslation", () => {
  it.each<[string, string, string | undefined]>([
    ["one line of Arabic", STUDENTS_Q, STUDENTS_Q],
    ["one line of Arabic with spaces around it", `  ${STUDENTS_Q}\n`, STUDENTS_Q],
    ["Arabic in guillemets", `«${STUDENTS_Q}»`, STUDENTS_Q],
    ["Arabic in double quotes", `"${STUDENTS_Q}"`, STUDENTS_Q],
    ["Arabic with a Latin name in it", "ما موقف BBC من الزيارة؟", "ما موقف BBC من الزيارة؟"],
    ["nothing", "", undefined],
    ["two lines", `${STUDENTS_Q}\nترجمة`, undefined],
    ["the question again, in English", ENGLISH_Q, undefined],
    ["digits only", "2025", undefined],
  ])("reads %s", (_label, reply, expected) => {
    expect(usableTranslation(reply)).toBe(expected);
  });
});
