import { readFile } from "node:fs/promises";

import { beforeAll, describe, expect, it } from "vitest";

import {
  ExtractiveAnswerer,
  type Answer,
  type ArticleRecord,
  type Citation,
} from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { EXAMPLE_QUESTIONS } from "../../src/bot/messages.js";
import { formatAnswerText } from "../../src/cli/format.js";
import { formatReplyText, REPLY_MESSAGES } from "../../src/reply/index.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { buildCorpusIndex, GOLD_FILE } from "../support/corpus.js";

const NBSP = "\u00A0";
const SOURCE = "المصدر:";
const RELATED = "جمل أخرى ذات صلة:";

const TASS_TITLE = "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";
const TASS: ArticleRecord = {
  id: "tass-2025-10-09-putin-dushanbe",
  title: TASS_TITLE,
  source: "تاس (TASS)",
  published: "2025-10-09",
};
const TASS_UNDATED: ArticleRecord = {
  id: "tass-education",
  title: "روسيا وطاجيكستان: شراكة في التعليم",
  source: "تاس (TASS)",
};
const CAIRO: ArticleRecord = {
  id: "cairo-book-fair",
  title: "افتتاح معرض القاهرة الدولي للكتاب",
  source: "وكالة أنباء الشرق الأوسط",
  published: "2025-01-24",
};
const TASS_LINE = `${SOURCE} تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — ${TASS_TITLE}`;
const CAIRO_SOURCE = "وكالة أنباء الشرق الأوسط، 24 يناير/كانون الثاني 2025";
const CAIRO_LINE = `${SOURCE} ${CAIRO_SOURCE} — ${CAIRO.title}`;

const STUDENTS =
  "وتعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
const SEATS =
  'وقد خصصت روسيا 1000 مقعد للمنح الدراسية الممولة من الدولة للعام الدراسي 2025 - 2026، وتواصل برنامج "معلمي اللغة الروسية في الخارج"، حيث يعمل حالياً 109 معلمين في المدارس الطاجيكستانية.';
const COMPANIES =
  "كما تعد روسيا مستثمر رئيسي في الاقتصاد الطاجيكستاني، باستثمارات تراكمية تُقارب 500 مليون دولار أمريكي، وأكثر من 300 شركة روسية عاملة في الجمهورية.";
const BOOK_FAIR =
  "افتتح رئيس الوزراء المصري معرض القاهرة الدولي للكتاب في دورته السادسة والخمسين بمشاركة 1345 دار نشر من 80 دولة.";
const FAIR_DATES = "ويستمر المعرض حتى الخامس من فبراير، وتحل سلطنة عمان ضيف شرف على الدورة الحالية.";

const STUDENTS_QUESTION = "كم عدد الطلاب الطاجيك في الجامعات الروسية؟";
const STUDENTS_ANSWER =
  "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [1].";
/** The answer as a reply shows it: its marker kept with the word before it. */
const STUDENTS_SHOWN = STUDENTS_ANSWER.replace(" [1]", `${NBSP}[1]`);

function cite(n: number, article: ArticleRecord, text: string, sentence = n - 1): Citation {
  return { n, doc: article.id, sentence, text, article };
}

function answerOf(fields: Partial<Answer> & { readonly answer: string }): Answer {
  return {
    question: STUDENTS_QUESTION,
    mode: "llm",
    refused: false,
    confidence: "high",
    citations: [],
    ...fields,
  };
}

function studentsAnswer(fields: Partial<Answer> = {}): Answer {
  return answerOf({
    mode: "extractive",
    answer: STUDENTS_ANSWER,
    citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16), cite(3, TASS, COMPANIES, 12)],
    fact: "35 ألف",
    ...fields,
  });
}

const REFUSAL: Answer = {
  question: "ما عاصمة فرنسا؟",
  mode: "extractive",
  refused: true,
  confidence: "none",
  answer: MESSAGES.refusal,
  citations: [],
};

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

/** The letters of a text, without marks, spaces, digits or punctuation. */
const letters = (text: string): string => text.replace(/\P{L}/gu, "");

/**
 * No sentence of 40 letters or more appears twice, however it is punctuated or marked: the last 40
 * letters of each (shared by a sentence and the same sentence without its leading connector) occur once.
 */
function expectNoSentenceTwice(text: string): void {
  const all = letters(text);
  for (const sentence of text.split(/[.!?؟؛\n«»]/u)) {
    const own = letters(sentence);
    if (own.length < 40) continue;
    expect({ sentence, count: occurrences(all, own.slice(-40)) }).toEqual({ sentence, count: 1 });
  }
}

/** The reply's lines: blocks separated by one blank line. */
const linesOf = (answer: Answer, showQuestion = false): string[] =>
  formatReplyText(answer, { showQuestion }).split("\n");

describe("formatReplyText", () => {
  it("shows an extractive answer once, its article once, then the related sentences", () => {
    expect(linesOf(studentsAnswer())).toEqual([
      STUDENTS_SHOWN,
      "",
      TASS_LINE,
      "",
      RELATED,
      `[2] «${SEATS}»`,
      `[3] «${COMPANIES}»`,
    ]);
  });

  it("shows a hedged answer's closest sentence after the hedge, and never quotes it again", () => {
    const lines = linesOf(
      studentsAnswer({
        confidence: "low",
        answer: `${MESSAGES.hedge}\n${STUDENTS_ANSWER}`,
        citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16)],
        fact: undefined,
      }),
    );

    expect(lines).toEqual([MESSAGES.hedge, STUDENTS_SHOWN, "", TASS_LINE, "", RELATED, `[2] «${SEATS}»`]);
  });

  it("quotes the sentences an answer in its own words cites, under one source line per article", () => {
    const answer =
      "افتُتح معرض القاهرة للكتاب بمشاركة 1345 دار نشر [1]، في حين يدرس أكثر من 35 ألف طالب طاجيكي في روسيا [2]، ويستمر المعرض حتى الخامس من فبراير [3].";
    const lines = linesOf(
      answerOf({
        answer,
        citations: [cite(1, CAIRO, BOOK_FAIR, 0), cite(2, TASS, STUDENTS, 15), cite(3, CAIRO, FAIR_DATES, 1)],
      }),
    );

    expect(lines).toEqual([
      answer.replaceAll(" [", `${NBSP}[`),
      "",
      CAIRO_LINE,
      `[1] «${BOOK_FAIR}»`,
      `[3] «${FAIR_DATES}»`,
      "",
      TASS_LINE,
      `[2] «${STUDENTS}»`,
    ]);
  });

  it("quotes both sentences an answer cites from one article under its one source line", () => {
    const answer = "يدرس في روسيا أكثر من 35 ألف طالب طاجيكي [1]، وقد خصصت لهم روسيا 1000 مقعد ممول [2].";
    const lines = linesOf(
      answerOf({ answer, citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16)] }),
    );

    expect(lines).toEqual([
      answer.replaceAll(" [", `${NBSP}[`),
      "",
      TASS_LINE,
      `[1] «${STUDENTS}»`,
      `[2] «${SEATS}»`,
    ]);
  });

  it("names the source of an article without a date, and the article of a related sentence from another", () => {
    const undated = linesOf(
      answerOf({
        answer: "يلتحق بالجامعات الروسية 35 ألف طالب [1].",
        citations: [cite(1, TASS_UNDATED, STUDENTS)],
      }),
    );
    expect(undated.slice(2)).toEqual([`${SOURCE} تاس (TASS) — ${TASS_UNDATED.title}`, `[1] «${STUDENTS}»`]);

    const related = linesOf(
      studentsAnswer({
        citations: [cite(1, TASS, STUDENTS, 15), cite(2, CAIRO, BOOK_FAIR, 0), cite(3, TASS, SEATS, 16)],
      }),
    );
    expect(related).toEqual([
      STUDENTS_SHOWN,
      "",
      TASS_LINE,
      "",
      RELATED,
      `[2] «${BOOK_FAIR}»`,
      `    — ${CAIRO_SOURCE} — ${CAIRO.title}`,
      `[3] «${SEATS}»`,
    ]);
  });

  it("opens with the question when asked to, and with the notice before the answer", () => {
    expect(linesOf(studentsAnswer({ notice: MESSAGES.llmFallback }), true).slice(0, 6)).toEqual([
      `السؤال: ${STUDENTS_QUESTION}`,
      "",
      MESSAGES.llmFallback,
      "",
      STUDENTS_SHOWN,
      "",
    ]);
    expect(formatReplyText(studentsAnswer())).not.toContain("السؤال:");
  });

  it("names the title after an answer about the article's source, not after one that states it", () => {
    const source = MESSAGES.aboutSource("تاس (TASS)", "9 أكتوبر/تشرين الأول 2025");
    expect(
      linesOf(answerOf({ question: "ما مصدر الخبر؟", mode: "extractive", answer: source, about: TASS })),
    ).toEqual([
      "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.",
      "",
      `عنوان الخبر: ${TASS_TITLE}`,
    ]);

    const title = MESSAGES.aboutTitle(TASS_TITLE, "تاس (TASS)", "9 أكتوبر/تشرين الأول 2025");
    const stated = formatReplyText(
      answerOf({ question: "ما عنوان الخبر؟", mode: "extractive", answer: title, about: TASS }),
    );
    expect(stated).toBe(title);
    expect(occurrences(stated, TASS_TITLE)).toBe(1);
  });

  it("goes on after a refusal with a way forward, and only after a refusal", () => {
    expect(linesOf(REFUSAL)).toEqual([MESSAGES.refusal, "", REPLY_MESSAGES.wayForward]);
    expect(linesOf(REFUSAL, true)).toEqual([
      `السؤال: ${REFUSAL.question}`,
      "",
      MESSAGES.refusal,
      "",
      REPLY_MESSAGES.wayForward,
    ]);
    expect(REPLY_MESSAGES.wayForward).toContain("متى تُعقد القمة الثانية لروسيا وآسيا الوسطى؟");
    expect(formatReplyText(studentsAnswer())).not.toContain(REPLY_MESSAGES.wayForward);
  });

  it("writes no direction marks, is what the console and ask print, and repeats no sentence", () => {
    const answers = [
      studentsAnswer(),
      studentsAnswer({ answer: `${MESSAGES.hedge}\n${STUDENTS_ANSWER}`, confidence: "low", fact: undefined }),
      answerOf({
        answer: "TASS: يدرس 35 ألف طالب [1].",
        citations: [cite(1, TASS, STUDENTS)],
        notice: "LLM?",
      }),
      REFUSAL,
    ];
    for (const answer of answers) {
      const text = formatReplyText(answer);
      expect(text).not.toMatch(/[\u200E\u200F]/u);
      expect(formatAnswerText(answer)).toBe(text);
      expectNoSentenceTwice(text);
    }
  });
});

describe("formatReplyText over the answers to the gold questions", () => {
  let answers: Answer[];

  beforeAll(async () => {
    const answerer = new ExtractiveAnswerer({
      retriever: new HybridRetriever({ index: await buildCorpusIndex() }),
    });
    const gold = JSON.parse(await readFile(GOLD_FILE, "utf8")) as { questions: { question: string }[] };
    const questions = [...gold.questions.map(({ question }) => question), ...EXAMPLE_QUESTIONS];
    answers = await Promise.all(questions.map((question) => answerer.answer(question)));
    expect(answers.filter(({ refused }) => refused).length).toBeGreaterThan(0);
  });

  it("never shows a sentence of 40 letters or more twice", () => {
    for (const answer of answers) expectNoSentenceTwice(formatReplyText(answer, { showQuestion: true }));
  });

  it("names the source and the written month of every answer, and the title at most once", () => {
    for (const answer of answers) {
      const text = formatReplyText(answer);
      expect(occurrences(text, TASS_TITLE)).toBeLessThanOrEqual(1);
      if (answer.refused) continue;
      expect({
        question: answer.question,
        source: text.includes("تاس"),
        month: text.includes("أكتوبر"),
      }).toEqual({
        question: answer.question,
        source: true,
        month: true,
      });
      expect(text).not.toContain("2025-10-09");
    }
  });

  it("offers a way forward after every refusal", () => {
    for (const answer of answers) {
      const lines = formatReplyText(answer).split("\n");
      expect(lines.at(-1) === REPLY_MESSAGES.wayForward).toBe(answer.refused);
    }
  });
});
