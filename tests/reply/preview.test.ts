import { describe, expect, it } from "vitest";

import type { Answer, ArticleRecord, Citation } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { answerPreview } from "../../src/reply/index.js";
import { PREVIEW_LENGTH } from "../../src/reply/preview.js";

const TASS: ArticleRecord = {
  id: "tass-2025-10-09-putin-dushanbe",
  title: "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية",
  source: "تاس (TASS)",
  published: "2025-10-09",
};

const STUDENTS =
  "وتعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
const TRADE =
  "في العام الماضي، استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان، مع نمو حجم التجارة المتبادلة بنسبة 7.1% في عام 2024 ليصل إلى 1.5 مليار دولار أمريكي، وزيادة أخرى بنسبة 17.3% في الأشهر السبعة الأولى من هذا العام.";
/** The extractive answer to the trade question: longer than a preview, its fact near the end. */
const TRADE_ANSWER = `${TRADE.slice(0, -1)} [1].`;
const TRADE_FACT = "1.5 مليار دولار أمريكي";

function cite(n: number, text: string): Citation {
  return { n, doc: TASS.id, sentence: n - 1, text, article: TASS };
}

function answerOf(fields: Partial<Answer> & { readonly answer: string }): Answer {
  return {
    question: "كم عدد الطلاب الطاجيك في الجامعات الروسية؟",
    mode: "extractive",
    refused: false,
    confidence: "high",
    citations: [],
    ...fields,
  };
}

const trade = (fields: Partial<Answer> = {}): Answer =>
  answerOf({
    question: "كم بلغ حجم التجارة المتبادلة في عام 2024؟",
    answer: TRADE_ANSWER,
    citations: [cite(1, TRADE)],
    fact: TRADE_FACT,
    ...fields,
  });

/** What may stand where a preview is cut: the end of a word, before a space or a comma. */
const WORD_END = /^[\s،,؛:]/u;

/** The preview is the text cut after a whole word, without a dangling comma, then «…», within the limit. */
function expectCutAtWord(preview: string, full: string, limit: number): void {
  expect(preview.length).toBeLessThanOrEqual(limit);
  expect(preview.endsWith("…")).toBe(true);
  const kept = preview.slice(0, -1);
  expect(kept.length).toBeGreaterThan(0);
  expect(full.startsWith(kept)).toBe(true);
  expect({ kept, atWordEnd: WORD_END.test(full.slice(kept.length)) }).toEqual({ kept, atWordEnd: true });
  expect(kept).not.toMatch(/[\s،,؛:]$/u);
}

describe("answerPreview", () => {
  it("puts the fact first, then the answer without its markers", () => {
    const answer = answerOf({
      answer:
        "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [1].",
      citations: [cite(1, STUDENTS)],
      fact: "35 ألف",
    });

    expect(answerPreview(answer)).toBe(
      "35 ألف — تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.",
    );
  });

  it.each<[string, string, string]>([
    ["a marker before the stop", "خصصت روسيا 1000 مقعد [1].", "خصصت روسيا 1000 مقعد."],
    [
      "markers of several numbers, in the middle and at the end",
      "نمت التجارة في عام 2024 [1، 3]. ووصلت إلى 1.5 مليار دولار [2]",
      "نمت التجارة في عام 2024. ووصلت إلى 1.5 مليار دولار",
    ],
    [
      "a marker of Arabic-Indic digits",
      "يعمل 109 معلمين [١]، في المدارس [ 2 ].",
      "يعمل 109 معلمين، في المدارس.",
    ],
  ])("removes %s, and the space before it", (_name, text, preview) => {
    expect(answerPreview(answerOf({ answer: text }))).toBe(preview);
  });

  it("reads a hedged answer as one line", () => {
    const answer = answerOf({
      confidence: "low",
      answer: `${MESSAGES.hedge}\nتعمل عدة فروع لجامعات روسية رائدة في طاجيكستان [1].`,
    });

    expect(answerPreview(answer)).toBe(`${MESSAGES.hedge} تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان.`);
  });

  it("cuts a long answer after a whole word, with «…», within the default limit", () => {
    const full = `${TRADE_FACT} — ${TRADE}`;
    expect(full.length).toBeGreaterThan(PREVIEW_LENGTH);
    const preview = answerPreview(trade());

    expectCutAtWord(preview, full, PREVIEW_LENGTH);
    expect(preview.startsWith(`${TRADE_FACT} — في العام الماضي، استحوذت روسيا`)).toBe(true);
    expect(preview).not.toContain("[");
  });

  it("never cuts inside a word, whatever the limit", () => {
    const cases: [Answer, string][] = [
      [trade(), `${TRADE_FACT} — ${TRADE}`],
      [trade({ fact: undefined }), TRADE],
      [answerOf({ answer: `${MESSAGES.hedge}\n${TRADE_ANSWER}` }), `${MESSAGES.hedge} ${TRADE}`],
    ];
    for (const [answer, full] of cases) {
      for (let limit = 20; limit < full.length; limit++)
        expectCutAtWord(answerPreview(answer, limit), full, limit);
      expect(answerPreview(answer, full.length)).toBe(full);
    }
  });

  it("leaves a short answer as it is", () => {
    const about = MESSAGES.aboutSource("تاس (TASS)", "9 أكتوبر/تشرين الأول 2025");
    // Forty words and a stop: exactly the limit.
    const exact = `${Array.from({ length: 40 }, () => "كلمة").join(" ")}.`;
    expect(exact.length).toBe(PREVIEW_LENGTH);

    expect(answerPreview(answerOf({ answer: about }))).toBe(about);
    expect(answerPreview(answerOf({ answer: MESSAGES.refusal, refused: true, confidence: "none" }))).toBe(
      MESSAGES.refusal,
    );
    expect(answerPreview(answerOf({ answer: exact }))).toBe(exact);
    const longer = `${exact.slice(0, -1)} ب.`;
    expectCutAtWord(answerPreview(answerOf({ answer: longer })), longer, PREVIEW_LENGTH);
  });
});
