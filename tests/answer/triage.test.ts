import { beforeAll, describe, expect, it } from "vitest";

import {
  createAnswerer,
  type Answer,
  type AnswerEvent,
  type Answerer,
  type ExtractiveAnswerer,
} from "../../src/answer/index.js";
import { EXAMPLE_QUESTION, MESSAGES } from "../../src/answer/messages.js";
import { QuestionTriage, type QuestionTranslator } from "../../src/answer/triage.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { recordingAnswerer } from "./fixtures.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const ENGLISH = "How many Tajik students study at Russian institutions?";

let extractive: ExtractiveAnswerer;

beforeAll(async () => {
  extractive = createAnswerer(await buildCorpusIndex(), { topK: 3 });
});

/** The extractive answerer, recording the questions it is asked. */
const recording = () => recordingAnswerer(extractive);

/** What a reply that is no answer looks like. */
const replyOf = (question: string, kind: NonNullable<Answer["kind"]>, answer: string): Answer => ({
  question,
  mode: "extractive",
  refused: false,
  confidence: "none",
  answer,
  citations: [],
  kind,
});

describe("QuestionTriage", () => {
  it.each<[string, string]>([
    ["مرحبا", "greeting"],
    ["السلام عليكم", "greeting"],
    ["Hello!", "greeting"],
    ["hi", "greeting"],
  ])("welcomes «%s» with an example question, and searches nothing", async (question) => {
    const { answerer, asked } = recording();
    const answer = await new QuestionTriage({ answerer }).answer(question);
    expect(answer).toEqual(replyOf(question, "greeting", MESSAGES.welcome));
    expect(answer.answer).toContain(`مثال: ${EXAMPLE_QUESTION}`);
    expect(asked).toEqual([]);
  });

  it.each(["شكراً", "شكرا جزيلا", "مشكور", "يعطيك العافية", "Thanks!"])(
    "answers «%s» with «عفواً …» and an invitation to ask more",
    async (question) => {
      const { answerer, asked } = recording();
      const answer = await new QuestionTriage({ answerer }).answer(question);
      expect(answer).toEqual(replyOf(question, "thanks", MESSAGES.thanks));
      expect(answer.answer.startsWith("عفواً")).toBe(true);
      expect(asked).toEqual([]);
    },
  );

  it("answers a question after a greeting as the question alone, keeping the user's message", async () => {
    const { answerer, asked } = recording();
    const question = `مرحبا، ${STUDENTS}`;
    const answer = await new QuestionTriage({ answerer }).answer(question);
    expect(asked).toEqual([STUDENTS]);
    expect(answer).toEqual({ ...(await extractive.answer(STUDENTS)), question });
    expect(answer.kind).toBeUndefined();
    expect(answer.citations[0]?.text).toContain("35 ألف طالب");
  });

  it("passes an Arabic question through untouched", async () => {
    const { answerer, asked } = recording();
    const answer = await new QuestionTriage({ answerer }).answer(STUDENTS);
    expect(asked).toEqual([STUDENTS]);
    expect(answer).toStrictEqual(await extractive.answer(STUDENTS));
  });

  it.each([
    ENGLISH,
    "Combien d'étudiants tadjiks étudient en Russie ?",
    "Hi, how many Tajik students are there?",
  ])(
    "says in Arabic and English that questions are answered in Arabic, without a translator: %s",
    async (question) => {
      const { answerer, asked } = recording();
      const answer = await new QuestionTriage({ answerer }).answer(question);
      expect(answer).toEqual(replyOf(question, "not-arabic", MESSAGES.notArabic));
      expect(answer.answer).toContain("العربية");
      expect(answer.answer).toContain("Arabic");
      // It does not claim the articles lack an answer: nothing was searched.
      expect(answer.answer).not.toContain(MESSAGES.refusal);
      expect(answer.answer).not.toMatch(/لم أجد|not found|does not answer/i);
      expect(asked).toEqual([]);
    },
  );

  it("answers a translated question in Arabic, keeping the user's own question", async () => {
    const { answerer, asked } = recording();
    const translated: string[] = [];
    const translate: QuestionTranslator = (question) => {
      translated.push(question);
      return Promise.resolve(STUDENTS);
    };
    const answer = await new QuestionTriage({ answerer, translate }).answer(`Hello! ${ENGLISH}`);
    expect(translated).toEqual([ENGLISH]);
    expect(asked).toEqual([STUDENTS]);
    expect(answer).toEqual({ ...(await extractive.answer(STUDENTS)), question: `Hello! ${ENGLISH}` });
  });

  it.each<[string, QuestionTranslator]>([
    ["gives nothing", () => Promise.resolve(undefined)],
    ["rejects", () => Promise.reject(new Error("server down"))],
  ])("gives the not-Arabic reply when the translator %s", async (_label, translate) => {
    const { answerer, asked } = recording();
    const answer = await new QuestionTriage({ answerer, translate }).answer(ENGLISH);
    expect(answer).toEqual(replyOf(ENGLISH, "not-arabic", MESSAGES.notArabic));
    expect(asked).toEqual([]);
  });

  it("never asks the translator about an Arabic question or small talk", async () => {
    const translated: string[] = [];
    const translate: QuestionTranslator = (question) => {
      translated.push(question);
      return Promise.resolve(STUDENTS);
    };
    const triage = new QuestionTriage({ answerer: extractive, translate });
    await triage.answer(STUDENTS);
    await triage.answer("hello");
    await triage.answer("؟؟");
    expect(translated).toEqual([]);
  });

  it("streams the answerer's drafts as they come, then the final answer with the user's question", async () => {
    const streaming: Answerer = {
      answer: () => Promise.reject(new Error("not used")),
      async *stream(question) {
        yield { type: "delta", text: "يدرس " };
        yield { type: "delta", text: "الطلاب" };
        yield { type: "final", answer: { ...(await extractive.answer(question)), question } };
      },
    };
    const events: AnswerEvent[] = [];
    for await (const event of new QuestionTriage({ answerer: streaming }).stream(`أهلاً، ${STUDENTS}`))
      events.push(event);
    expect(events.slice(0, 2)).toEqual([
      { type: "delta", text: "يدرس " },
      { type: "delta", text: "الطلاب" },
    ]);
    expect(events).toHaveLength(3);
    const last = events[2];
    expect(last?.type === "final" ? last.answer.question : undefined).toBe(`أهلاً، ${STUDENTS}`);
  });
});
