import { beforeAll, describe, expect, it } from "vitest";

import { createAnswerer, type ExtractiveAnswerer } from "../../src/answer/index.js";
import { EXAMPLE_QUESTIONS } from "../../src/bot/index.js";
import { buildCorpusIndex, DOC_ID } from "../support/corpus.js";

/**
 * What answers each example question the bot offers (/start buttons, the /help and /ask hints): the
 * sentence of the article that answers it, or, for a question about the article itself, the article's
 * fields (what the answer must state). A reader who taps an example must see the right answer, with
 * confidence.
 */
type RightAnswer = { readonly sentence: string } | { readonly fields: readonly string[] };

const RIGHT_ANSWER: Readonly<Record<(typeof EXAMPLE_QUESTIONS)[number], RightAnswer>> = {
  "متى تُعقد القمة الثانية لروسيا وآسيا الوسطى؟": {
    sentence: "في النصف الثاني من اليوم، سيشارك الرئيس بوتين في القمة الثانية",
  },
  "كم عدد الطلاب الطاجيك في الجامعات الروسية؟": { sentence: "35 ألف طالب طاجيكستاني" },
  "ما حجم التجارة بين روسيا وطاجيكستان؟": { sentence: "1.5 مليار دولار" },
  "ما مصدر الخبر؟": { fields: ["تاس (TASS)", "9 أكتوبر/تشرين الأول 2025"] },
};

describe("the example questions", () => {
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    answerer = createAnswerer(await buildCorpusIndex());
  });

  it("each has its right answer written down here", () => {
    expect(Object.keys(RIGHT_ANSWER).sort()).toEqual([...EXAMPLE_QUESTIONS].sort());
  });

  it.each(EXAMPLE_QUESTIONS)(
    "%s is answered with confidence by its right sentence or fields",
    async (question) => {
      const answer = await answerer.answer(question);
      expect(answer.refused).toBe(false);
      expect(answer.confidence).toBe("high");
      const right = RIGHT_ANSWER[question];
      if ("sentence" in right) {
        expect(answer.about).toBeUndefined();
        expect(answer.citations[0]?.text).toContain(right.sentence);
        // The reader sees it in the answer itself, not only among the quotes.
        expect(answer.answer).toContain(right.sentence);
      } else {
        expect(answer.about?.id).toBe(DOC_ID);
        expect(answer.citations).toEqual([]);
        for (const field of right.fields) expect(answer.answer).toContain(field);
      }
    },
  );
});
