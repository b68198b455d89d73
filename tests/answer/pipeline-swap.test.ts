/**
 * The answer pipeline's index can be replaced while it serves (a reindex picked up without a restart):
 * the next questions are answered from the new index, a question already being answered finishes on
 * the old one and its citations can still be formatted, and conversations keep their memory.
 */
import path from "node:path";

import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { SyntheticCorpus } from "../../bench/lib/synthetic-corpus.js";
import {
  createAnswerer,
  createAnswerPipeline,
  type Answer,
  type AnswerEvent,
  type AnswerPipeline,
} from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { formatAnswerText } from "../../src/cli/format.js";
import type { ChatConfig, EmbeddingsConfig } from "../../src/config/index.js";
import { loadCorpus, parseArticle } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { silentLogger } from "../../src/log/index.js";
import { REPLY_MESSAGES } from "../../src/reply/index.js";
import { writtenDate } from "../../src/text/index.js";
import {
  startOpenAIStandIn,
  type ChatScriptFunction,
  type OpenAIStandIn,
  type RecordedRequest,
} from "../support/openai-stand-in.js";
import { CORPUS_DIR, DOC_ID, REPO_ROOT } from "../support/corpus.js";
import { memoryLogger } from "../support/memory-logger.js";
import { standInChat } from "../support/stand-in-chat.js";

const HASHING_256: EmbeddingsConfig = { provider: "hashing", dimensions: 256 };
const PROMPTS_DIR = path.join(REPO_ROOT, "prompts");
const TEST_TIMEOUT = 15_000;

const STUDENTS_Q = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const STUDENTS = "35 ألف";
const STUDENTS_ANSWER = (n: number): string =>
  `يلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [${n}].`;
const FOLLOW_UP = "ومتى كان ذلك؟";

/** Index A: the real article. Index B: one synthetic article, nothing of A. */
let indexA: SanadIndex;
let indexB: SanadIndex;
let docB: string;
/** A question made of words of B's article (its title), answered from B. */
let questionB: string;
let textsA: Set<string>;
let textsB: Set<string>;

beforeAll(async () => {
  const { articles } = await loadCorpus(CORPUS_DIR);
  indexA = await SanadIndex.build(articles, HASHING_256);
  const synthetic = await SyntheticCorpus.fromRepository(REPO_ROOT);
  const { fileName, text } = synthetic.article(0);
  const article = parseArticle(fileName, text);
  indexB = await SanadIndex.build([article], HASHING_256);
  docB = article.meta.id;
  questionB = article.meta.title.split(" ").slice(0, 6).join(" ");
  textsA = new Set(indexA.sentences.map((sentence) => sentence.text));
  textsB = new Set(indexB.sentences.map((sentence) => sentence.text));
  expect(docB).not.toBe(DOC_ID);
  expect([...textsA].some((sentence) => textsB.has(sentence))).toBe(false);
});

const docsOf = (answer: Answer): string[] => answer.citations.map((citation) => citation.doc);

async function finalOf(events: AsyncGenerator<AnswerEvent>): Promise<Answer> {
  let final: Answer | undefined;
  for await (const event of events) if (event.type === "final") final = event.answer;
  if (!final) throw new Error("the stream ended without a final answer");
  return final;
}

describe("useIndex, extractive answers", () => {
  let pipeline: AnswerPipeline;

  beforeEach(async () => {
    pipeline = await createAnswerPipeline({
      index: indexA,
      chat: undefined,
      topK: 3,
      logger: silentLogger(),
    });
    expect(pipeline.mode).toBe("extractive");
  });

  it("answers from the new index after the swap; an answer given before it still names its article", async () => {
    expect(pipeline.articles().map((article) => article.id)).toEqual([DOC_ID]);
    const before = await pipeline.answerer.answer(STUDENTS_Q);
    expect(before.refused).toBe(false);
    expect(before.citations.length).toBeGreaterThan(0);
    expect(new Set(docsOf(before))).toEqual(new Set([DOC_ID]));
    expect(docsOf(await pipeline.answerer.answer(questionB))).not.toContain(docB);

    pipeline.useIndex(indexB);

    expect(pipeline.articles().map((article) => article.id)).toEqual([docB]);
    expect(pipeline.articles()[0]?.title).toBe(indexB.document(docB).title);
    const after = await pipeline.answerer.answer(questionB);
    expect(after.refused).toBe(false);
    expect(after.citations.length).toBeGreaterThan(0);
    expect(new Set(docsOf(after))).toEqual(new Set([docB]));
    expect(after).toStrictEqual(await createAnswerer(indexB, { topK: 3 }).answer(questionB));
    // The article's question finds nothing of A any more.
    expect(docsOf(await pipeline.answerer.answer(STUDENTS_Q))).not.toContain(DOC_ID);
    expect(docsOf(await pipeline.conversations.answer("fresh", questionB))).toEqual(docsOf(after));

    // An answer given from A still names A's article: its citations carry it, whatever the index now.
    for (const citation of before.citations)
      expect(citation.article.title).toBe(indexA.document(DOC_ID).title);
    expect(formatAnswerText(before)).toContain(indexA.document(DOC_ID).title);
  });

  it("names an answer's article after two swaps in a row", async () => {
    const before = await pipeline.answerer.answer(STUDENTS_Q);
    const indexC = await SanadIndex.build(
      [parseArticle("c.md", (await SyntheticCorpus.fromRepository(REPO_ROOT)).article(1).text)],
      HASHING_256,
    );
    pipeline.useIndex(indexB);
    pipeline.useIndex(indexC);
    // An answer begun on A, delivered after A → B → C, still formats with A's source, date and title.
    const { title, source, published } = indexA.document(DOC_ID);
    expect(source).toBeDefined();
    expect(published).toBeDefined();
    expect(formatAnswerText(before)).toContain(
      `${REPLY_MESSAGES.source} ${source ?? ""}، ${writtenDate(published ?? "")} — ${title}`,
    );
    expect(pipeline.articles().map((article) => article.id)).toEqual([indexC.documents[0]?.id]);
  });

  it("finishes a question asked before the swap on the old index, answered or streamed", async () => {
    const expected = await createAnswerer(indexA, { topK: 3 }).answer(STUDENTS_Q);
    const pending = pipeline.answerer.answer(STUDENTS_Q);
    const stream = pipeline.answerer.stream(STUDENTS_Q);
    pipeline.useIndex(indexB);

    expect(await pending).toStrictEqual(expected);
    expect(await finalOf(stream)).toStrictEqual(expected);
    expect(formatAnswerText(await pending)).toContain(indexA.document(DOC_ID).title);
    // Swapping back serves A again.
    pipeline.useIndex(indexA);
    expect(await pipeline.answerer.answer(STUDENTS_Q)).toStrictEqual(expected);
  });

  it("keeps a conversation's memory across the swap: a short follow-up joins the question before it", async () => {
    const first = await pipeline.conversations.answer("chat", STUDENTS_Q);
    expect(new Set(docsOf(first))).toEqual(new Set([DOC_ID]));
    pipeline.useIndex(indexB);

    const followUp = await pipeline.conversations.answer("chat", FOLLOW_UP);
    // Searched as the two questions together, over B.
    const joined = await createAnswerer(indexB, { topK: 3 }).answer(`${STUDENTS_Q} ${FOLLOW_UP}`);
    expect(followUp).toStrictEqual({ ...joined, question: FOLLOW_UP });
    expect(docsOf(followUp)).not.toContain(DOC_ID);
  });
});

// ---------------------------------------------------------------------------------------------------------
// With a chat model: the OpenAI-compatible stand-in on 127.0.0.1.

interface ChatBody {
  readonly messages: readonly { readonly role: string; readonly content: string }[];
}

/** The user message of a chat request: the context and the question. */
const userTextOf = (request: RecordedRequest | undefined): string => {
  if (!request) throw new Error("no such request");
  return (request.body as ChatBody).messages.find(({ role }) => role === "user")?.content ?? "";
};

/** The numbered context lines of an answer request: `[n] sentence`. */
function contextLines(request: RecordedRequest | undefined): { n: number; text: string }[] {
  return userTextOf(request)
    .split("\n")
    .flatMap((line) => {
      const match = /^\[(\d+)\] (.*)$/.exec(line);
      return match ? [{ n: Number(match[1]), text: match[2] ?? "" }] : [];
    });
}

/** A delayed reply citing the context sentence that holds the students' number, as the request numbers it. */
function slowStudentsReply(delayMs: number): ChatScriptFunction {
  return (request) => {
    const line = contextLines(request).find(({ text }) => text.includes(STUDENTS));
    if (!line) throw new Error(`no context line holds ${STUDENTS}`);
    return { delayMs, reply: STUDENTS_ANSWER(line.n) };
  };
}

/** A reply quoting the first plain-Arabic sentence of the context, cited. */
const quoteFirstSentence: ChatScriptFunction = (request) => {
  const line = contextLines(request).find(({ text }) => !/[[\]A-Za-z]/.test(text));
  if (!line) throw new Error("no plain sentence in the context");
  return { reply: `${line.text} [${line.n}]` };
};

describe("useIndex with a chat model", { timeout: TEST_TIMEOUT }, () => {
  let server: OpenAIStandIn;
  let log: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    server = await startOpenAIStandIn();
    log = memoryLogger();
  });

  afterEach(async () => {
    await server.close();
  });

  const chatConfig = (): ChatConfig => standInChat(server, { promptsDir: PROMPTS_DIR });

  const chatRequests = (): RecordedRequest[] =>
    server.requests.filter(({ method, path }) => method === "POST" && path === "/v1/chat/completions");

  async function pipeline(): Promise<AnswerPipeline> {
    const built = await createAnswerPipeline({
      index: indexA,
      chat: chatConfig(),
      topK: 3,
      logger: log.logger,
    });
    expect(built.mode).toBe("llm");
    return built;
  }

  it("finishes the question in flight on the old index; the next question's context is the new index's", async () => {
    const served = await pipeline();
    const studentsSentence = indexA.sentences.find(({ text }) => text.includes(STUDENTS));
    const { title, source, published } = indexA.document(DOC_ID);
    const articleOfA = { id: DOC_ID, title, source, published };
    server.chat.push(slowStudentsReply(400), quoteFirstSentence);

    const pending = served.answerer.answer(STUDENTS_Q);
    // The model has the question (with A's context) and is taking its time when the index is replaced.
    await vi.waitFor(
      () => {
        expect(chatRequests()).toHaveLength(1);
      },
      { timeout: 5_000, interval: 5 },
    );
    served.useIndex(indexB);
    const answer = await pending;

    expect(answer).toStrictEqual({
      question: STUDENTS_Q,
      mode: "llm",
      refused: false,
      confidence: "high",
      answer: STUDENTS_ANSWER(1),
      citations: [
        {
          n: 1,
          doc: DOC_ID,
          sentence: studentsSentence?.index,
          text: studentsSentence?.text,
          article: articleOfA,
        },
      ],
      fact: "35 ألف",
    });
    expect(formatAnswerText(answer)).toContain(indexA.document(DOC_ID).title);
    expect(log.records().filter(({ level }) => level >= 40)).toEqual([]);

    const next = await served.answerer.answer(questionB);
    const [first, second, ...others] = chatRequests();
    expect(others).toEqual([]);
    const contextA = contextLines(first).map(({ text }) => text);
    const contextB = contextLines(second).map(({ text }) => text);
    expect(contextA.length).toBeGreaterThan(0);
    expect(contextA.every((text) => textsA.has(text))).toBe(true);
    expect(contextB.length).toBeGreaterThan(0);
    expect(contextB.every((text) => textsB.has(text))).toBe(true);
    expect(userTextOf(second)).toContain(indexB.document(docB).title);
    expect(userTextOf(second)).not.toContain(indexA.document(DOC_ID).title);
    expect(next).toMatchObject({ mode: "llm", refused: false });
    expect(next.notice).toBeUndefined();
    expect(docsOf(next)).toEqual([docB]);
  });

  it("keeps a conversation's memory across the swap: the follow-up is rewritten with the earlier turn", async () => {
    const served = await pipeline();
    server.chat.push(slowStudentsReply(0));
    const first = await served.conversations.answer("chat", STUDENTS_Q);
    expect(first).toMatchObject({ mode: "llm", answer: STUDENTS_ANSWER(1) });

    served.useIndex(indexB);
    server.chat.push({ reply: questionB }, { reply: MESSAGES.refusal });
    const second = await served.conversations.answer("chat", FOLLOW_UP);
    expect(second).toMatchObject({ question: FOLLOW_UP, mode: "llm", refused: true, citations: [] });

    const [, condense, answerRequest, ...others] = chatRequests();
    expect(others).toEqual([]);
    expect(userTextOf(condense)).toContain(`س: ${STUDENTS_Q}\nج: ${STUDENTS_ANSWER(1)}`);
    expect(userTextOf(condense)).toContain(FOLLOW_UP);
    expect(userTextOf(answerRequest)).toContain(`<السؤال>\n${questionB}\n</السؤال>`);
    const context = contextLines(answerRequest).map(({ text }) => text);
    expect(context.length).toBeGreaterThan(0);
    expect(context.every((text) => textsB.has(text))).toBe(true);
  });
});
