import { beforeAll, describe, expect, it } from "vitest";

import { createAnswerer, type ExtractiveAnswerer } from "../../src/answer/index.js";
import { EXAMPLE_QUESTIONS } from "../../src/bot/index.js";
import { buildCorpusIndex } from "../support/corpus.js";

/**
 * The sentence of the article that answers each example question the bot offers (/start buttons, the
 * /help and /ask hints): a reader who taps an example must see the right answer, with confidence.
 */
const RIGHT_SENTENCE: Readonly<Record<(typeof EXAMPLE_QUESTIONS)[number], string>> = {
  "متى تُعقد القمة الثانية لروسيا وآسيا الوسطى؟":
    "في النصف الثاني من اليوم، سيشارك الرئيس بوتين في القمة الثانية",
  "كم عدد الطلاب الطاجيك في الجامعات الروسية؟": "35 ألف طالب طاجيكستاني",
  "ما حجم التجارة بين روسيا وطاجيكستان؟": "1.5 مليار دولار",
  "ما مصدر الخبر؟": "المصدر: تاس",
};

describe("the example questions", () => {
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    answerer = createAnswerer(await buildCorpusIndex());
  });

  it("each has its right sentence written down here", () => {
    expect(Object.keys(RIGHT_SENTENCE).sort()).toEqual([...EXAMPLE_QUESTIONS].sort());
  });

  it.each(EXAMPLE_QUESTIONS)("%s is answered with confidence by its right sentence", async (question) => {
    const answer = await answerer.answer(question);
    expect(answer.refused).toBe(false);
    expect(answer.confidence).toBe("high");
    expect(answer.citations[0]?.text).toContain(RIGHT_SENTENCE[question]);
  });
});
