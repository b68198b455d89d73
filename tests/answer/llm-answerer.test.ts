import { readFile } from "node:fs/promises";
import path from "node:path";
import { Writable } from "node:stream";

import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { describeProblems, type CitationProblem } from "../../src/answer/citations.js";
import {
  createAnswerer,
  createAnswerPipeline,
  type Answer,
  type AnswerEvent,
  type AnswerPipeline,
  type ArticleRecord,
  type ExtractiveAnswerer,
} from "../../src/answer/index.js";
import { DEFAULT_CONTEXT_SENTENCES, LlmAnswerer } from "../../src/answer/llm-answerer.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { chatModel } from "../../src/answer/pipeline.js";
import { loadPrompts, PROMPT_FILES, type Prompts } from "../../src/answer/prompts.js";
import type { ChatConfig } from "../../src/config/index.js";
import { loadCorpus } from "../../src/corpus/index.js";
import { SanadIndex, type SentenceRecord } from "../../src/index/index.js";
import type { Logger } from "../../src/log/index.js";
import {
  startOpenAIStandIn,
  type ChatScriptFunction,
  type OpenAIStandIn,
  type RecordedRequest,
} from "../support/openai-stand-in.js";
import { CORPUS_DIR, DOC_ID, REPO_ROOT, SMALL_INDEX_CONFIG } from "../support/corpus.js";
import { standInChat } from "../support/stand-in-chat.js";

const API_KEY = "sk-test-secret";
const PROMPTS_DIR = path.join(REPO_ROOT, "prompts");
const TEST_TIMEOUT = 15_000;

const STUDENTS_Q = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
/** Excerpts of corpus sentences, to find them in the context the model is given. */
const STUDENTS = "35 ألف";
const SEATS = "1000 مقعد";
const STUDENTS_ANSWER = (n: number | string) =>
  `يلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [${n}].`;
const STUDENTS_VERIFIED = STUDENTS_ANSWER(1);

let index: SanadIndex;
let extractive: ExtractiveAnswerer;
let prompts: Prompts;
/** The corpus article as citations name it. */
let article: ArticleRecord;
let studentsSentence: SentenceRecord;
let seatsSentence: SentenceRecord;

/** Every log line written in this file, to check that none holds the key. */
const allLogs: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  const { articles } = await loadCorpus(CORPUS_DIR);
  index = await SanadIndex.build(articles, SMALL_INDEX_CONFIG);
  const { title, source, published } = index.document(DOC_ID);
  article = { id: DOC_ID, title, source, published };
  extractive = createAnswerer(index, { topK: 3 });
  prompts = await loadPrompts(PROMPTS_DIR);
  const find = (excerpt: string): SentenceRecord => {
    const found = index.sentences.filter(({ text }) => text.includes(excerpt));
    expect(found).toHaveLength(1);
    return found[0] as SentenceRecord;
  };
  studentsSentence = find(STUDENTS);
  seatsSentence = find(SEATS);
});

afterAll(() => {
  process.off("unhandledRejection", onUnhandled);
});

// ---------------------------------------------------------------------------------------------------------
// Helpers: logs, the stand-in's requests, scripted replies.

interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A pino logger at debug level writing JSON lines into memory. */
function memoryLogger(): { logger: Logger; records: () => LogRecord[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString("utf8");
      chunks.push(text);
      allLogs.push(text);
      done();
    },
  });
  return {
    logger: pino({ level: "debug" }, stream),
    records: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as LogRecord),
  };
}

interface WireMessage {
  readonly role: string;
  readonly content: string;
}

interface ChatBody {
  readonly model: string;
  readonly messages: readonly WireMessage[];
  readonly stream?: boolean;
  readonly temperature?: number;
}

const bodyOf = (request: RecordedRequest | undefined): ChatBody => {
  if (!request) throw new Error("no such request");
  return request.body as ChatBody;
};

/** The user message that carries the context and the question (the first one). */
const userTextOf = (request: RecordedRequest | undefined): string =>
  bodyOf(request).messages.find(({ role }) => role === "user")?.content ?? "";

/** The numbered context lines of an answer request: `[n] sentence`. */
function contextLines(request: RecordedRequest | undefined): { n: number; text: string }[] {
  return userTextOf(request)
    .split("\n")
    .flatMap((line) => {
      const match = /^\[(\d+)\] (.*)$/.exec(line);
      return match ? [{ n: Number(match[1]), text: match[2] ?? "" }] : [];
    });
}

/** The number the request gives the context sentence holding `excerpt`. */
function numberOf(request: RecordedRequest, excerpt: string): number {
  const line = contextLines(request).find(({ text }) => text.includes(excerpt));
  if (!line) throw new Error(`no context line holds ${excerpt}`);
  return line.n;
}

/** A reply built from the request: `write` gets the numbers of the context sentences holding `excerpts`. */
function citing(excerpts: readonly string[], write: (...n: number[]) => string): ChatScriptFunction {
  return (request) => ({ reply: write(...excerpts.map((excerpt) => numberOf(request, excerpt))) });
}

/** The good answer to {@link STUDENTS_Q}, citing the sentence as the prompt numbers it. */
const goodStudentsReply = (): ChatScriptFunction => citing([STUDENTS], (n) => STUDENTS_ANSWER(n));

async function collect(events: AsyncGenerator<AnswerEvent>): Promise<AnswerEvent[]> {
  const all: AnswerEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function finalOf(events: readonly AnswerEvent[]): Answer {
  const last = events.at(-1);
  if (last?.type !== "final") throw new Error("the stream did not end with a final event");
  return last.answer;
}

/** The system section of a prompt file, as it is sent. */
async function systemSection(file: string): Promise<string> {
  const text = await readFile(path.join(PROMPTS_DIR, file), "utf8");
  return text.slice(text.indexOf("# system") + "# system".length, text.indexOf("# user")).trim();
}

// ---------------------------------------------------------------------------------------------------------

describe("LlmAnswerer against an OpenAI-compatible server", { timeout: TEST_TIMEOUT }, () => {
  let server: OpenAIStandIn;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    server = await startOpenAIStandIn();
    log = memoryLogger();
  });

  afterEach(async () => {
    await server.close();
  });

  const chatConfig = (overrides: Partial<ChatConfig> = {}): ChatConfig =>
    standInChat(server, { apiKey: API_KEY, timeoutMs: 2000, promptsDir: PROMPTS_DIR, ...overrides });

  async function pipeline(overrides: Partial<ChatConfig> = {}): Promise<AnswerPipeline> {
    const built = await createAnswerPipeline({
      index,
      chat: chatConfig(overrides),
      topK: 3,
      logger: log.logger,
    });
    expect(built.mode).toBe("llm");
    return built;
  }

  function llmAnswerer(overrides: Partial<ChatConfig> = {}, deadlineMs = 5000): LlmAnswerer {
    return new LlmAnswerer({
      extractive: createAnswerer(index, { topK: 3 }),
      model: chatModel(chatConfig(overrides)),
      prompts,
      deadlineMs,
      logger: log.logger,
    });
  }

  const chatRequests = () =>
    server.requests.filter(({ method, path: url }) => method === "POST" && url === "/v1/chat/completions");

  /** What the reader gets when the model's answer is not used. */
  async function fallbackFor(question: string): Promise<Answer> {
    return { ...(await extractive.answer(question)), notice: MESSAGES.llmFallback };
  }

  const warnings = () => log.records().filter(({ level }) => level === 40);

  describe("a good answer", () => {
    it("is verified, renumbered and sent, after a request with the rules, the context and the question", async () => {
      server.chat.push(goodStudentsReply());
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);

      expect(answer).toStrictEqual({
        question: STUDENTS_Q,
        mode: "llm",
        refused: false,
        confidence: "high",
        answer: STUDENTS_VERIFIED,
        citations: [
          { n: 1, doc: DOC_ID, sentence: studentsSentence.index, text: studentsSentence.text, article },
        ],
        // The one amount the verified answer states, set in bold by the bot.
        fact: "35 ألف",
      });

      const [request, ...others] = chatRequests();
      expect(others).toEqual([]);
      expect(request?.authorization).toBe(`Bearer ${API_KEY}`);
      const body = bodyOf(request);
      expect(body).toMatchObject({ model: "test-model", stream: true, temperature: 0 });
      expect(body.messages.map(({ role }) => role)).toEqual(["system", "user"]);
      const [system, user] = body.messages;
      expect(system?.content).toBe(
        (await systemSection(PROMPT_FILES.answer)).replace("{{refusal}}", MESSAGES.refusal),
      );
      expect(system?.content).toContain("القواعد:");
      expect(user?.content).toContain(`<السؤال>\n${STUDENTS_Q}\n</السؤال>`);
      const document = index.document(DOC_ID);
      expect(user?.content).toContain(
        `<السياق>\nالمقال: ${document.title} (${document.source ?? ""}، ${document.published ?? ""})\n[1] `,
      );
      expect(user?.content).toContain("2025-10-09");

      // The context: sentences of the corpus, numbered 1, 2 … in order, at most the default number.
      const lines = contextLines(request);
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.length).toBeLessThanOrEqual(DEFAULT_CONTEXT_SENTENCES);
      expect(lines.map(({ n }) => n)).toEqual(lines.map((_, i) => i + 1));
      const corpusTexts = new Set(index.sentences.map(({ text }) => text));
      for (const { text } of lines) expect(corpusTexts.has(text)).toBe(true);
      expect(lines).toContainEqual({
        n: numberOf(request as RecordedRequest, STUDENTS),
        text: studentsSentence.text,
      });
    });

    it("has its citations renumbered in the order the answer first uses them", async () => {
      server.chat.push(
        citing(
          [SEATS, STUDENTS],
          (seats, students) =>
            `خصصت روسيا 1000 مقعد للمنح الدراسية [${seats}]، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [${students}، ${seats}].`,
        ),
      );
      const answer = await llmAnswerer().answer(STUDENTS_Q);
      const request = chatRequests()[0] as RecordedRequest;
      // The test means something only when the model's numbers are not already 1, 2 in answer order.
      expect(numberOf(request, SEATS)).not.toBe(1);

      expect(answer.mode).toBe("llm");
      expect(answer.answer).toBe(
        "خصصت روسيا 1000 مقعد للمنح الدراسية [1]، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [2، 1].",
      );
      expect(answer.citations).toEqual([
        { n: 1, doc: DOC_ID, sentence: seatsSentence.index, text: seatsSentence.text, article },
        { n: 2, doc: DOC_ID, sentence: studentsSentence.index, text: studentsSentence.text, article },
      ]);
    });
  });

  it("drops a citation to no sentence and keeps the valid one", async () => {
    server.chat.push(
      citing([STUDENTS], (n) => `يلتحق أكثر من 35 ألف طالب طاجيكستاني [${n}] بالمؤسسات الروسية [99].`),
    );
    const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
    expect(answer).toMatchObject({ mode: "llm", refused: false, confidence: "high" });
    expect(answer.answer).toBe("يلتحق أكثر من 35 ألف طالب طاجيكستاني [1] بالمؤسسات الروسية.");
    expect(answer.citations.map(({ sentence }) => sentence)).toEqual([studentsSentence.index]);
    expect(answer.notice).toBeUndefined();
    expect(chatRequests()).toHaveLength(1);
    expect(log.records()).toContainEqual(
      expect.objectContaining({ msg: "dropped citations to no sentence", dropped: [99] }),
    );
  });

  describe("an invented number", () => {
    const INVENTED = (n: number) => `يلتحق أكثر من 40 ألف طالب طاجيكستاني بالمؤسسات الروسية [${n}].`;
    const PROBLEMS: CitationProblem[] = [{ kind: "unsupported-number", value: "40" }];

    it("gets one corrective request, and its good answer is sent", async () => {
      let firstReply = "";
      server.chat.push(
        citing([STUDENTS], (n) => (firstReply = INVENTED(n))),
        goodStudentsReply(),
      );
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toMatchObject({ mode: "llm", refused: false, answer: STUDENTS_VERIFIED });
      expect(answer.notice).toBeUndefined();

      const [first, second, ...others] = chatRequests();
      expect(others).toEqual([]);
      const sent = bodyOf(first).messages;
      expect(bodyOf(second).stream).toBeFalsy();
      expect(bodyOf(second).messages).toEqual([
        ...sent,
        { role: "assistant", content: firstReply },
        { role: "user", content: describeProblems(PROBLEMS) },
      ]);
      expect(bodyOf(second).messages.at(-1)?.content).toContain("الرقم 40");
      expect(log.records()).toContainEqual(
        expect.objectContaining({
          msg: "model answer failed verification; asking once more",
          problems: PROBLEMS,
        }),
      );
    });

    it("twice gives the extractive answer with the notice", async () => {
      server.chat.push(
        citing([STUDENTS], (n) => INVENTED(n)),
        citing([STUDENTS], (n) => INVENTED(n)),
      );
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(answer.mode).toBe("extractive");
      expect(answer.notice).toBe(MESSAGES.llmFallback);
      expect(chatRequests()).toHaveLength(2);
      expect(warnings()).toContainEqual(
        expect.objectContaining({
          msg: "answering extractively instead",
          reason: "the model answer failed verification twice",
        }),
      );
    });
  });

  describe("a refusal", () => {
    const refused = (question: string): Answer => ({
      question,
      mode: "llm",
      refused: true,
      confidence: "none",
      answer: MESSAGES.refusal,
      citations: [],
    });

    it("is sent as it is, without citations", async () => {
      server.chat.push({ reply: MESSAGES.refusal });
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(refused(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(1);
    });

    it("that cites gets a corrective request, and a plain refusal then is sent", async () => {
      server.chat.push({ reply: `${MESSAGES.refusal} [1]` }, { reply: MESSAGES.refusal });
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(refused(STUDENTS_Q));
      const second = chatRequests()[1];
      expect(bodyOf(second).messages.slice(-2)).toEqual([
        { role: "assistant", content: `${MESSAGES.refusal} [1]` },
        { role: "user", content: describeProblems([{ kind: "refusal-with-citations" }]) },
      ]);
    });

    it("that still cites after the corrective request gives the extractive answer with the notice", async () => {
      server.chat.push({ reply: `${MESSAGES.refusal} [1]` }, { reply: `[2] ${MESSAGES.refusal}` });
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(2);
    });
  });

  describe("follow-up questions through the pipeline's conversations", () => {
    const FOLLOW_UP = "ومتى كان ذلك؟";
    const STANDALONE = "متى التحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية؟";

    it("are rewritten by the model into a standalone question, which is then answered", async () => {
      const { conversations } = await pipeline();
      server.chat.push(goodStudentsReply());
      const first = await conversations.answer("chat", STUDENTS_Q);
      expect(first).toMatchObject({ mode: "llm", answer: STUDENTS_VERIFIED });
      expect(chatRequests()).toHaveLength(1);

      server.chat.push({ reply: `  ${STANDALONE}\n` }, { reply: MESSAGES.refusal });
      const second = await conversations.answer("chat", FOLLOW_UP);
      expect(second).toMatchObject({ question: FOLLOW_UP, mode: "llm", refused: true });

      const [, condense, answerRequest, ...others] = chatRequests();
      expect(others).toEqual([]);
      const condenseBody = bodyOf(condense);
      expect(condenseBody.stream).toBeFalsy();
      expect(condenseBody.messages.map(({ role }) => role)).toEqual(["system", "user"]);
      expect(condenseBody.messages[0]?.content).toBe(await systemSection(PROMPT_FILES.condenseQuestion));
      expect(condenseBody.messages[1]?.content).toBe(
        `<المحادثة>\nس: ${STUDENTS_Q}\nج: ${STUDENTS_VERIFIED}\n</المحادثة>\n\n<سؤال_المتابعة>\n${FOLLOW_UP}\n</سؤال_المتابعة>`,
      );
      expect(userTextOf(answerRequest)).toContain(`<السؤال>\n${STANDALONE}\n</السؤال>`);
      expect(userTextOf(answerRequest)).not.toContain(FOLLOW_UP);
    });

    it("are searched with the previous question when the rewrite fails", async () => {
      const { conversations } = await pipeline();
      server.chat.push(goodStudentsReply());
      await conversations.answer("chat", STUDENTS_Q);
      server.chat.push({ status: 500 }, { reply: MESSAGES.refusal });
      const followUp = "وكم مقعداً؟";
      const answer = await conversations.answer("chat", followUp);
      expect(answer.question).toBe(followUp);
      expect(userTextOf(chatRequests()[2])).toContain(`<السؤال>\n${STUDENTS_Q} ${followUp}\n</السؤال>`);
      expect(warnings()).toContainEqual(expect.objectContaining({ msg: "follow-up rewrite failed" }));
    });

    it("are searched with the previous question when the rewrite spans several lines", async () => {
      const { conversations } = await pipeline();
      server.chat.push(goodStudentsReply());
      await conversations.answer("chat", STUDENTS_Q);
      server.chat.push({ reply: `${STANDALONE}\nوهذا شرح لا يُطلب.` }, { reply: MESSAGES.refusal });
      const followUp = "وكم مقعداً؟";
      await conversations.answer("chat", followUp);
      expect(userTextOf(chatRequests()[2])).toContain(`<السؤال>\n${STUDENTS_Q} ${followUp}\n</السؤال>`);
      expect(log.records()).toContainEqual(
        expect.objectContaining({ msg: "unusable rewrite of a follow-up question" }),
      );
    });
  });

  describe("server failures give the extractive answer with the notice", () => {
    it("a 429 with retry-after is retried, and the answer then is the model's", async () => {
      server.chat.push({ status: 429, retryAfterSeconds: 0 }, goodStudentsReply());
      const answer = await (await pipeline({ maxRetries: 1 })).answerer.answer(STUDENTS_Q);
      expect(answer).toMatchObject({ mode: "llm", answer: STUDENTS_VERIFIED });
      expect(answer.notice).toBeUndefined();
      expect(chatRequests()).toHaveLength(2);
    });

    it("a 500", async () => {
      server.chat.push({ status: 500 });
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(1);
      expect(warnings()).toContainEqual(
        expect.objectContaining({ msg: "answering extractively instead", reason: "the model call failed" }),
      );
    });

    it("a 500 on the corrective request", async () => {
      server.chat.push(
        citing([STUDENTS], (n) => `يلتحق أكثر من 40 ألف طالب [${n}].`),
        { status: 500 },
      );
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(2);
      expect(warnings()).toContainEqual(
        expect.objectContaining({ reason: "the corrective model call failed" }),
      );
    });

    it("a server slower than the timeout, within a few seconds", async () => {
      server.chat.push({ delayMs: 5000, reply: STUDENTS_ANSWER(1) });
      const answerer = (await pipeline({ timeoutMs: 500 })).answerer;
      const started = performance.now();
      const answer = await answerer.answer(STUDENTS_Q);
      const elapsed = performance.now() - started;
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(elapsed).toBeLessThan(3000);
      expect(chatRequests()).toHaveLength(1);
    });

    it("the deadline, whatever the client's own timeout", async () => {
      server.chat.push({ delayMs: 5000, reply: STUDENTS_ANSWER(1) });
      const started = performance.now();
      const answer = await llmAnswerer({ timeoutMs: 10_000 }, 500).answer(STUDENTS_Q);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
    });

    it("a stream cut in the middle, after its first deltas", async () => {
      const reply = STUDENTS_ANSWER(1);
      server.chat.push({ cutAfter: 10, reply });
      const events = await collect((await pipeline()).answerer.stream(STUDENTS_Q));
      // The best sentence first, as a preview that holds nothing unverified; then the model's deltas.
      expect(events[0]).toEqual({ type: "evidence", quote: studentsSentence.text });
      const deltas = events.slice(1, -1);
      expect(deltas.length).toBeGreaterThanOrEqual(1);
      expect(deltas.every(({ type }) => type === "delta")).toBe(true);
      expect(events.filter(({ type }) => type === "final")).toHaveLength(1);
      expect(deltas.map((event) => (event.type === "delta" ? event.text : "")).join("")).toBe(
        reply.slice(0, 10),
      );
      expect(finalOf(events)).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(1);
    });

    it("malformed JSON", async () => {
      server.chat.push({ garbage: "{not json" });
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(1);
    });

    it("malformed JSON on the corrective request", async () => {
      server.chat.push({ reply: "يلتحق طلاب كثيرون بالمؤسسات الروسية." }, { garbage: "<html>oops</html>" });
      const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
      expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
      expect(chatRequests()).toHaveLength(2);
    });
  });

  it("gives the extractive answer with the notice for an answer in English twice", async () => {
    const english = (n: number) =>
      `More than 35 thousand Tajik students study at Russian institutions [${n}].`;
    server.chat.push(citing([STUDENTS], english), citing([STUDENTS], english));
    const answer = await (await pipeline()).answerer.answer(STUDENTS_Q);
    expect(answer).toStrictEqual(await fallbackFor(STUDENTS_Q));
    const [, second] = chatRequests();
    expect(bodyOf(second).messages.at(-1)).toEqual({
      role: "user",
      content: describeProblems([{ kind: "wrong-language" }]),
    });
  });

  it("streams the draft as it is written, then the verified answer, which wins", async () => {
    let draft = "";
    server.chat.push(
      citing(
        [STUDENTS],
        (n) => (draft = `يلتحق أكثر من 35 ألف طالب طاجيكستاني [${n}] بالمؤسسات الروسية [99].`),
      ),
    );
    const events = await collect((await pipeline()).answerer.stream(STUDENTS_Q));
    // Before the model writes, the sentence the answer will most likely rest on, exactly as written.
    expect(events[0]).toEqual({ type: "evidence", quote: studentsSentence.text });
    expect(events.filter(({ type }) => type === "evidence")).toHaveLength(1);
    const deltas = events.slice(1, -1).map((event) => (event.type === "delta" ? event.text : undefined));
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.every((text) => typeof text === "string" && text !== "")).toBe(true);
    expect(deltas.join("")).toBe(draft);
    const final = finalOf(events);
    expect(final).toMatchObject({
      mode: "llm",
      refused: false,
      answer: "يلتحق أكثر من 35 ألف طالب طاجيكستاني [1] بالمؤسسات الروسية.",
    });
    expect(final.answer).not.toBe(draft);
    expect(events.filter(({ type }) => type === "final")).toHaveLength(1);
  });

  it("answers a question with no word to search for without asking the server", async () => {
    const { answerer, conversations } = await pipeline();
    const expected: Answer = {
      question: "؟؟",
      mode: "extractive",
      refused: true,
      confidence: "none",
      answer: MESSAGES.emptyQuestion,
      citations: [],
    };
    expect(await answerer.answer("؟؟")).toStrictEqual(expected);
    expect(await collect(answerer.stream("؟؟"))).toStrictEqual([{ type: "final", answer: expected }]);
    expect(await conversations.answer("chat", "؟؟")).toStrictEqual(expected);
    expect(server.requests).toEqual([]);
  });

  describe("a question about the article itself", () => {
    it.each([
      ["ما مصدر الخبر؟", "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025."],
      ["متى نُشر الخبر؟", "نُشر الخبر في 9 أكتوبر/تشرين الأول 2025، ومصدره تاس (TASS)."],
      ["ما عنوان الخبر؟", "عنوان الخبر «بوتين في زيارة دولة إلى دوشنبه"],
    ])("%s is answered from the article's fields without asking the model", async (question, text) => {
      const { answerer, conversations } = await pipeline();
      const expected = await extractive.answer(question);
      expect(expected).toMatchObject({
        mode: "extractive",
        refused: false,
        confidence: "high",
        citations: [],
      });
      expect(expected.about?.id).toBe(DOC_ID);
      expect(expected.answer).toContain(text);

      expect(await answerer.answer(question)).toStrictEqual(expected);
      // No preview and no draft: the one event is the answer.
      expect(await collect(answerer.stream(question))).toStrictEqual([{ type: "final", answer: expected }]);
      expect(await conversations.answer("chat", question)).toStrictEqual(expected);
      expect(server.requests).toEqual([]);
    });
  });

  it("answers with the extractive answer alone when no chat model is configured", async () => {
    const built = await createAnswerPipeline({ index, chat: undefined, topK: 3, logger: log.logger });
    expect(built.mode).toBe("extractive");
    expect(await built.answerer.answer(STUDENTS_Q)).toStrictEqual(await extractive.answer(STUDENTS_Q));
    expect(server.requests).toEqual([]);
  });
});

// Runs last: every test above has logged into allLogs.
describe("across every test of this file", () => {
  it("never logged the API key, and left no unhandled rejection", () => {
    const text = allLogs.join("");
    expect(allLogs.length).toBeGreaterThan(10);
    expect(text).toContain("answering extractively instead");
    expect(text).not.toContain(API_KEY);
    expect(unhandled).toEqual([]);
  });
});
