import { describe, expect, it } from "vitest";

import { answerAboutArticle } from "../../src/answer/article-answer.js";
import type { ArticleRecord } from "../../src/answer/index.js";
import { articleRecord } from "./fixtures.js";

const TITLE = "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";
/** The corpus article as its fields name it. */
const ARTICLE: ArticleRecord = articleRecord({
  id: "tass-2025-10-09-putin-dushanbe",
  title: TITLE,
  source: "تاس (TASS)",
  published: "2025-10-09",
});
const WITHOUT_DATE = articleRecord({ id: "undated", title: TITLE, source: "تاس (TASS)" });
const WITHOUT_SOURCE = articleRecord({ id: "unsourced", title: TITLE, published: "2025-10-09" });
const TITLE_ONLY = articleRecord({ id: "bare", title: TITLE });

describe("answerAboutArticle", () => {
  it("answers a question about the source in one sentence from the fields, citing nothing", () => {
    expect(answerAboutArticle("ما مصدر الخبر؟", ARTICLE)).toStrictEqual({
      question: "ما مصدر الخبر؟",
      mode: "extractive",
      refused: false,
      confidence: "high",
      answer: "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.",
      citations: [],
      about: ARTICLE,
    });
  });

  it.each([
    ["ما مصدر الخبر؟", "of the corpus", ARTICLE, "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025."],
    [
      "أي وكالة أنباء نشرت هذا الخبر؟",
      "of the corpus",
      ARTICLE,
      "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.",
    ],
    ["ما مصدر الخبر؟", "without a date", WITHOUT_DATE, "مصدر الخبر تاس (TASS)."],
    [
      "متى نُشر الخبر؟",
      "of the corpus",
      ARTICLE,
      "نُشر الخبر في 9 أكتوبر/تشرين الأول 2025، ومصدره تاس (TASS).",
    ],
    [
      "ما تاريخ الخبر؟",
      "of the corpus",
      ARTICLE,
      "نُشر الخبر في 9 أكتوبر/تشرين الأول 2025، ومصدره تاس (TASS).",
    ],
    ["متى نُشر الخبر؟", "without a source", WITHOUT_SOURCE, "نُشر الخبر في 9 أكتوبر/تشرين الأول 2025."],
    [
      "ما عنوان الخبر؟",
      "of the corpus",
      ARTICLE,
      `عنوان الخبر «${TITLE}»، ونشرته تاس (TASS) في 9 أكتوبر/تشرين الأول 2025.`,
    ],
    ["ما عنوان المقال؟", "without a date", WITHOUT_DATE, `عنوان الخبر «${TITLE}»، ونشرته تاس (TASS).`],
    [
      "ما عنوان الخبر؟",
      "without a source",
      WITHOUT_SOURCE,
      `عنوان الخبر «${TITLE}» في 9 أكتوبر/تشرين الأول 2025.`,
    ],
    ["ما عنوان الخبر؟", "with a title only", TITLE_ONLY, `عنوان الخبر «${TITLE}».`],
  ])("answers %s about an article %s: %s", (question, _fields, article, text) => {
    const answer = answerAboutArticle(question, article);
    expect(answer).toMatchObject({
      question,
      refused: false,
      confidence: "high",
      answer: text,
      citations: [],
    });
    expect(answer?.about).toBe(article);
    // The date is written in words: an ISO date among Arabic words is reordered on screen.
    expect(answer?.answer).not.toContain("2025-10-09");
  });

  it.each([
    ["ما مصدر الخبر؟", "with a title only", TITLE_ONLY],
    ["ما مصدر الخبر؟", "without a source", WITHOUT_SOURCE],
    ["متى نُشر الخبر؟", "with a title only", TITLE_ONLY],
    ["متى نُشر الخبر؟", "without a date", WITHOUT_DATE],
  ])("leaves %s unanswered for an article %s, which lacks the field", (question, _fields, article) => {
    expect(answerAboutArticle(question, article)).toBeUndefined();
  });

  it("leaves a question unanswered when there is no article", () => {
    expect(answerAboutArticle("ما مصدر الخبر؟", undefined)).toBeUndefined();
  });

  it.each([
    "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟",
    "متى تُعقد القمة الثانية لروسيا وآسيا الوسطى؟",
    // The photo credit is a metadata line of the article's text, not a field: the sentence answers it.
    "من أين الصورة المرفقة بالخبر؟",
    "من كاتب التقرير؟",
    "ما عنوان السفارة الروسية في دوشنبه؟",
  ])("leaves %s, no question about the article's fields, unanswered", (question) => {
    expect(answerAboutArticle(question, ARTICLE)).toBeUndefined();
  });
});
