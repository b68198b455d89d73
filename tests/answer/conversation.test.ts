import { beforeAll, describe, expect, it } from "vitest";

import {
  ConversationalAnswerer,
  ConversationMemory,
  joinFollowUp,
  type Turn,
} from "../../src/answer/conversation.js";
import {
  createAnswerer,
  type Answer,
  type AnswerEvent,
  type ExtractiveAnswerer,
} from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { QuestionTriage } from "../../src/answer/triage.js";
import { loadCorpus } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { CORPUS_DIR, DOC_ID, SMALL_INDEX_CONFIG } from "../support/corpus.js";
import { recordingAnswerer } from "./fixtures.js";

const turn = (n: number): Turn => ({ question: `سؤال ${n}`, answer: `إجابة ${n}` });

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe("ConversationMemory", () => {
  it("has the documented defaults: six turns, thirty minutes", () => {
    const clock = manualClock();
    const memory = new ConversationMemory({ now: clock.now });
    for (let n = 1; n <= 8; n++) memory.remember("chat", turn(n));
    expect(memory.history("chat")).toEqual([3, 4, 5, 6, 7, 8].map(turn));
    clock.advance(30 * 60_000);
    expect(memory.history("chat")).toHaveLength(6);
    clock.advance(1);
    expect(memory.history("chat")).toEqual([]);
  });

  it("knows nothing of a conversation it was never told about", () => {
    expect(new ConversationMemory().history("unknown")).toEqual([]);
  });

  it("keeps the last maxTurns turns, oldest first", () => {
    const memory = new ConversationMemory({ maxTurns: 2 });
    memory.remember("chat", turn(1));
    expect(memory.history("chat")).toEqual([turn(1)]);
    memory.remember("chat", turn(2));
    memory.remember("chat", turn(3));
    expect(memory.history("chat")).toEqual([turn(2), turn(3)]);
  });

  it("keeps conversations apart", () => {
    const memory = new ConversationMemory();
    memory.remember("a", turn(1));
    memory.remember("b", turn(2));
    expect(memory.history("a")).toEqual([turn(1)]);
    expect(memory.history("b")).toEqual([turn(2)]);
  });

  it("evicts the least recently used conversation beyond maxConversations", () => {
    const memory = new ConversationMemory({ maxConversations: 2 });
    memory.remember("a", turn(1));
    memory.remember("b", turn(2));
    // "a" is used again, so "b" is now the least recently used.
    memory.remember("a", turn(3));
    memory.remember("c", turn(4));
    expect(memory.history("b")).toEqual([]);
    expect(memory.history("a")).toEqual([turn(1), turn(3)]);
    expect(memory.history("c")).toEqual([turn(4)]);
    memory.remember("d", turn(5));
    expect(memory.history("a")).toEqual([]);
    expect(memory.history("c")).toEqual([turn(4)]);
    expect(memory.history("d")).toEqual([turn(5)]);
  });

  it("forgets a conversation idle longer than ttlMs, and starts it afresh", () => {
    const clock = manualClock();
    const memory = new ConversationMemory({ ttlMs: 1000, now: clock.now });
    memory.remember("chat", turn(1));
    clock.advance(1000);
    expect(memory.history("chat")).toEqual([turn(1)]);
    // Each turn renews the conversation.
    memory.remember("chat", turn(2));
    clock.advance(999);
    expect(memory.history("chat")).toEqual([turn(1), turn(2)]);
    clock.advance(2);
    expect(memory.history("chat")).toEqual([]);
    memory.remember("chat", turn(3));
    expect(memory.history("chat")).toEqual([turn(3)]);
  });

  it("expires each conversation on its own clock", () => {
    const clock = manualClock();
    const memory = new ConversationMemory({ ttlMs: 1000, now: clock.now });
    memory.remember("old", turn(1));
    clock.advance(600);
    memory.remember("new", turn(2));
    clock.advance(600);
    expect(memory.history("old")).toEqual([]);
    expect(memory.history("new")).toEqual([turn(2)]);
  });

  it("forgets a conversation on request, and only that one", () => {
    const memory = new ConversationMemory();
    memory.remember("a", turn(1));
    memory.remember("b", turn(2));
    memory.forget("a");
    memory.forget("never-seen");
    expect(memory.history("a")).toEqual([]);
    expect(memory.history("b")).toEqual([turn(2)]);
  });
});

describe("joinFollowUp", () => {
  const previous: Turn = { question: "من يرافق بوتين في الزيارة؟", answer: "وفد كبير [1]" };
  const history: readonly Turn[] = [{ question: "سؤال أقدم؟", answer: "إجابة" }, previous];

  it.each(["وكم وزيراً؟", "ومتى حدث ذلك؟", "وكم وزيراً رافق الرئيس الروسي إلى دوشنبه في هذه الزيارة؟"])(
    "searches %s together with the previous question, however long it is",
    async (question) => {
      await expect(joinFollowUp(history, question)).resolves.toBe(`${previous.question} ${question}`);
    },
  );

  it("leaves a question unchanged when there is no history", async () => {
    await expect(joinFollowUp([], "وكم وزيراً؟")).resolves.toBe("وكم وزيراً؟");
  });
});

describe("ConversationalAnswerer with the extractive answerer", () => {
  let extractive: ExtractiveAnswerer;

  beforeAll(async () => {
    const { articles } = await loadCorpus(CORPUS_DIR);
    extractive = createAnswerer(await SanadIndex.build(articles, SMALL_INDEX_CONFIG), { topK: 3 });
  });

  /** The extractive answerer, recording the questions it is asked. */
  const recording = () => recordingAnswerer(extractive);

  const citedSentences = (answer: Answer) =>
    answer.citations.map(({ doc, sentence }) => `${doc}#${sentence}`);

  it("answers a first question as the extractive answerer does, and remembers it", async () => {
    const memory = new ConversationMemory();
    const conversations = new ConversationalAnswerer(extractive, memory);
    const question = "من يرافق بوتين في الزيارة؟";
    const answer = await conversations.answer("chat", question);
    expect(answer).toEqual(await extractive.answer(question));
    expect(answer.refused).toBe(false);
    expect(memory.history("chat")).toEqual([{ question, answer: answer.answer }]);
  });

  it("searches a short follow-up with the previous question, and answers with the user's own question", async () => {
    const { answerer, asked } = recording();
    const memory = new ConversationMemory();
    const conversations = new ConversationalAnswerer(answerer, memory);
    const first = "من يرافق بوتين في الزيارة؟";
    const followUp = "وكم وزيراً؟";
    await conversations.answer("chat", first);
    const answer = await conversations.answer("chat", followUp);

    const joined = `${first} ${followUp}`;
    expect(asked).toEqual([first, joined]);
    expect(answer.question).toBe(followUp);
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("20 وزيراً");
    expect(citedSentences(answer)).toEqual(citedSentences(await extractive.answer(joined)));
    // What is remembered is the standalone question, so that the next follow-up has it.
    expect(memory.history("chat").map(({ question }) => question)).toEqual([first, joined]);
  });

  it("answers the documented follow-up «ومتى حدث ذلك؟» from the joined question", async () => {
    const { answerer, asked } = recording();
    const conversations = new ConversationalAnswerer(answerer, new ConversationMemory());
    const first = "مع من عقد بوتين اجتماعاً غير رسمي؟";
    const followUp = "ومتى حدث ذلك؟";
    await conversations.answer("chat", first);
    const answer = await conversations.answer("chat", followUp);

    expect(answer.question).toBe(followUp);
    expect(answer.answer).not.toBe(MESSAGES.emptyQuestion);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.text).toContain("8 أكتوبر");
    expect(asked).toEqual([first, `${first} ${followUp}`]);
  });

  it("does not remember refused answers", async () => {
    const { answerer, asked } = recording();
    const memory = new ConversationMemory();
    const conversations = new ConversationalAnswerer(answerer, memory);
    const refused = await conversations.answer("chat", "؟؟");
    expect(refused).toMatchObject({ refused: true, answer: MESSAGES.emptyQuestion, question: "؟؟" });
    expect(memory.history("chat")).toEqual([]);

    // A short question after a refusal has nothing to lean on: it is asked as it is.
    await conversations.answer("chat", "وكم وزيراً؟");
    expect(asked).toEqual(["؟؟", "وكم وزيراً؟"]);
    // "؟؟" after a remembered question is no follow-up either.
    const again = await conversations.answer("chat", "؟؟");
    expect(again.answer).toBe(MESSAGES.emptyQuestion);
    expect(asked.at(-1)).toBe("؟؟");
    expect(memory.history("chat")).toHaveLength(1);
  });

  it("does not remember a refusal for lack of evidence", async () => {
    const memory = new ConversationMemory();
    const conversations = new ConversationalAnswerer(extractive, memory);
    const answer = await conversations.answer("chat", "متى وصل بوتين إلى دوشنبه؟");
    expect(answer).toMatchObject({ refused: true, answer: MESSAGES.refusal });
    expect(memory.history("chat")).toEqual([]);
  });

  it("streams one final event carrying the user's question", async () => {
    const conversations = new ConversationalAnswerer(extractive, new ConversationMemory());
    await conversations.answer("chat", "من يرافق بوتين في الزيارة؟");
    const events: AnswerEvent[] = [];
    for await (const event of conversations.stream("chat", "وكم وزيراً؟")) events.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe("final");
    if (events[0]?.type === "final") expect(events[0].answer.question).toBe("وكم وزيراً؟");
  });

  it("keeps conversations apart, and starts over after forget", async () => {
    const { answerer, asked } = recording();
    const conversations = new ConversationalAnswerer(answerer, new ConversationMemory());
    await conversations.answer("a", "من يرافق بوتين في الزيارة؟");
    await conversations.answer("b", "وكم وزيراً؟");
    await conversations.forget("a");
    await conversations.answer("a", "وكم وزيراً؟");
    expect(asked).toEqual(["من يرافق بوتين في الزيارة؟", "وكم وزيراً؟", "وكم وزيراً؟"]);
  });

  it("uses the rewriter it is given, only when there is history", async () => {
    const calls: [readonly Turn[], string][] = [];
    const { answerer, asked } = recording();
    const conversations = new ConversationalAnswerer(answerer, new ConversationMemory(), (history, q) => {
      calls.push([history, q]);
      return Promise.resolve("كم وزيراً يرافق بوتين في الزيارة؟");
    });
    const first = await conversations.answer("chat", "من يرافق بوتين في الزيارة؟");
    const second = await conversations.answer("chat", "وكم عددهم؟");
    expect(calls).toEqual([
      [[{ question: "من يرافق بوتين في الزيارة؟", answer: first.answer }], "وكم عددهم؟"],
    ]);
    expect(asked).toEqual(["من يرافق بوتين في الزيارة؟", "كم وزيراً يرافق بوتين في الزيارة؟"]);
    expect(second.question).toBe("وكم عددهم؟");
    expect(second.citations[0]?.doc).toBe(DOC_ID);
  });

  it("does not call the rewriter for a question that stands on its own", async () => {
    const calls: string[] = [];
    const { answerer, asked } = recording();
    const conversations = new ConversationalAnswerer(answerer, new ConversationMemory(), (_history, q) => {
      calls.push(q);
      return Promise.resolve(q);
    });
    await conversations.answer("chat", "ما حجم التجارة بين روسيا وطاجيكستان؟");
    await conversations.answer("chat", "متى تعقد القمة؟");
    await conversations.answer("chat", "ومتى حدث ذلك؟");
    expect(calls).toEqual(["ومتى حدث ذلك؟"]);
    expect(asked.slice(0, 2)).toEqual(["ما حجم التجارة بين روسيا وطاجيكستان؟", "متى تعقد القمة؟"]);
  });

  it("answers a standalone question after another on its own, not with the previous one (the reported merge)", async () => {
    const { answerer, asked } = recording();
    const memory = new ConversationMemory();
    const conversations = new ConversationalAnswerer(answerer, memory);
    const trade = "ما حجم التجارة بين روسيا وطاجيكستان؟";
    const summit = "متى تعقد القمة؟";
    const first = await conversations.answer("chat", trade);
    const second = await conversations.answer("chat", summit);

    expect(asked).toEqual([trade, summit]);
    expect(second).toEqual(await extractive.answer(summit));
    expect(citedSentences(second)[0]).not.toBe(citedSentences(first)[0]);
    expect(memory.history("chat").map(({ question }) => question)).toEqual([trade, summit]);
  });
});

describe("ConversationalAnswerer behind the triage", () => {
  let extractive: ExtractiveAnswerer;

  beforeAll(async () => {
    const { articles } = await loadCorpus(CORPUS_DIR);
    extractive = createAnswerer(await SanadIndex.build(articles, SMALL_INDEX_CONFIG), { topK: 3 });
  });

  const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
  const TEACHERS = "وكم معلماً يعمل هناك؟";

  /** The triage over the extractive answerer, recording the questions that reach the answerer. */
  function triaged(): { conversations: ConversationalAnswerer; memory: ConversationMemory; asked: string[] } {
    const { answerer, asked } = recordingAnswerer(extractive);
    const memory = new ConversationMemory();
    const conversations = new ConversationalAnswerer(new QuestionTriage({ answerer }), memory);
    return { conversations, memory, asked };
  }

  it("does not remember greetings and thanks: a follow-up after them still leans on the last question", async () => {
    const { conversations, memory, asked } = triaged();
    const greeting = await conversations.answer("chat", "مرحباً");
    expect(greeting).toMatchObject({ kind: "greeting", question: "مرحباً", answer: MESSAGES.welcome });
    expect(memory.history("chat")).toEqual([]);

    const first = await conversations.answer("chat", STUDENTS);
    const thanks = await conversations.answer("chat", "شكراً جزيلاً!");
    expect(thanks).toMatchObject({ kind: "thanks", answer: MESSAGES.thanks, citations: [] });
    // "Thanks for that" points back only to what is thanked: it is thanks, not a follow-up.
    expect(await conversations.answer("chat", "شكراً على ذلك")).toMatchObject({ kind: "thanks" });
    expect(memory.history("chat")).toEqual([{ question: STUDENTS, answer: first.answer }]);

    const followUp = await conversations.answer("chat", TEACHERS);
    expect(followUp).toMatchObject({ question: TEACHERS, refused: false });
    expect(followUp.kind).toBeUndefined();
    // Only the questions reached the answerer, the follow-up joined to the last of them.
    expect(asked).toEqual([STUDENTS, `${STUDENTS} ${TEACHERS}`]);
  });

  it("answers a question after a greeting without the greeting, and remembers it without it", async () => {
    const { conversations, memory, asked } = triaged();
    const question = "مرحباً يا سند، كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
    const answer = await conversations.answer("chat", question);
    expect(answer).toEqual({ ...(await extractive.answer(STUDENTS)), question });
    expect(memory.history("chat").map((turn) => turn.question)).toEqual([STUDENTS]);

    // A greeting before a follow-up does not hide what it points back to.
    const followUp = await conversations.answer("chat", `أهلاً، ${TEACHERS}`);
    expect(followUp.question).toBe(`أهلاً، ${TEACHERS}`);
    expect(asked).toEqual([STUDENTS, `${STUDENTS} ${TEACHERS}`]);
    expect(memory.history("chat").at(-1)?.question).toBe(`${STUDENTS} ${TEACHERS}`);
  });
});
