import { beforeAll, describe, expect, it } from "vitest";

import type { Answer } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { formatAnswerText } from "../../src/cli/format.js";
import { formatReplyText, REPLY_MESSAGES } from "../../src/reply/index.js";
import { occurrences } from "../support/reply-lines.js";
import {
  answerAboutTass,
  answerCiting,
  answerOf,
  answersToGoldQuestions,
  BOOK_FAIR,
  CAIRO,
  CAIRO_LINE,
  CAIRO_SOURCE,
  cite,
  COMPANIES,
  FAIR_DATES,
  hedgedStudentsAnswer,
  NBSP,
  REFUSAL,
  RELATED,
  SEATS,
  SOURCE,
  STUDENTS,
  STUDENTS_QUESTION,
  STUDENTS_SHOWN,
  studentsAnswer,
  studentsAnswerRelatingCairo,
  TASS,
  TASS_LINE,
  TASS_TITLE,
  TASS_UNDATED,
  TWO_ARTICLES_TEXT,
  twoArticlesAnswer,
} from "./fixtures.js";

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
      hedgedStudentsAnswer({ citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16)] }),
    );

    expect(lines).toEqual([MESSAGES.hedge, STUDENTS_SHOWN, "", TASS_LINE, "", RELATED, `[2] «${SEATS}»`]);
  });

  it("quotes the sentences an answer in its own words cites, under one source line per article", () => {
    expect(linesOf(twoArticlesAnswer())).toEqual([
      TWO_ARTICLES_TEXT.replaceAll(" [", `${NBSP}[`),
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
    const undated = linesOf(answerCiting("يلتحق بالجامعات الروسية 35 ألف طالب [1].", STUDENTS, TASS_UNDATED));
    expect(undated.slice(2)).toEqual([`${SOURCE} تاس (TASS) — ${TASS_UNDATED.title}`, `[1] «${STUDENTS}»`]);

    const related = linesOf(studentsAnswerRelatingCairo());
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
    expect(linesOf(answerAboutTass("ما مصدر الخبر؟", source))).toEqual([
      "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.",
      "",
      `عنوان الخبر: ${TASS_TITLE}`,
    ]);

    const title = MESSAGES.aboutTitle(TASS_TITLE, "تاس (TASS)", "9 أكتوبر/تشرين الأول 2025");
    const stated = formatReplyText(answerAboutTass("ما عنوان الخبر؟", title));
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
      hedgedStudentsAnswer(),
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
    answers = await answersToGoldQuestions();
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
