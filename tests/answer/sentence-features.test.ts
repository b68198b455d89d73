import { describe, expect, it } from "vitest";

import {
  coverage,
  questionContext,
  SENTENCE_FEATURES,
  sentenceFeatures,
  termSet,
  type SentenceFeature,
} from "../../src/answer/sentence-features.js";
import type { Evidence } from "../../src/retrieval/index.js";
import { analyzeForIndex } from "../../src/text/index.js";
import { articleRecord, evidenceSentence, passageHit, queryTerm } from "./fixtures.js";

/** The features of one sentence, alone in its passage, for a question. */
function featuresOf(question: string, text: string, position = 0): Record<SentenceFeature, number> {
  const sentence = evidenceSentence({ doc: "a", index: position, text });
  const hit = passageHit({
    sentences: [sentence],
    article: { ...articleRecord({ id: "a" }), metadata: [] },
    bm25Score: 2,
  });
  const evidence: Evidence = {
    hits: [hit],
    terms: analyzeForIndex(question).map((term) => queryTerm(term, 1)),
  };
  const context = questionContext(question, evidence);
  const values = sentenceFeatures(context, sentence, {
    hit,
    rank: 0,
    passageCoverage: coverage(context.terms, termSet(hit.terms)),
    position,
  });
  return Object.fromEntries(SENTENCE_FEATURES.map((name, i) => [name, values[i] ?? NaN])) as Record<
    SentenceFeature,
    number
  >;
}

describe("sentenceFeatures", () => {
  it("gives one value per feature, the passage's scores among them", () => {
    const values = featuresOf("كم عدد الطلاب؟", "يدرس 35 ألف طالب.");
    expect(Object.keys(values)).toEqual([...SENTENCE_FEATURES]);
    expect(values.lexical).toBe(1);
    expect(values.passageRank).toBe(1);
    expect(values.leadSentence).toBe(1);
  });

  it.each<[string, string, string, SentenceFeature, number]>([
    ["a number offered to a how-many question", "كم عدد الطلاب؟", "يدرس 35 ألف طالب.", "numberOffered", 1],
    ["no number for a how-many question", "كم عدد الطلاب؟", "يدرس طلاب كثيرون.", "numberMissing", 1],
    ["a date offered to a when question", "متى وصل الرئيس؟", "وصل الرئيس في أكتوبر 2025.", "dateOffered", 1],
    ["no date for a when question", "متى وصل الرئيس؟", "وصل الرئيس إلى المدينة.", "dateMissing", 1],
    ["a person for a who question", "من يرافق بوتين؟", "يرافقه وزير الخارجية.", "personOffered", 1],
    ["a place for a where question", "أين تقع القاعدة؟", "تقع القاعدة في مدينة دوشنبه.", "placeOffered", 1],
    [
      "the lead sentence for a definition question",
      "ما هي دوشنبه؟",
      "دوشنبه عاصمة طاجيكستان.",
      "definitionLead",
      1,
    ],
    ["the imperfect of the question's verb", "متى تعقد القمة؟", "تعقد القمة مساء اليوم.", "tenseAgrees", 1],
    ["only the perfect of the question's verb", "متى تعقد القمة؟", "عقدت القمة أمس.", "tenseClashes", 1],
  ])("reads %s", (_case, question, text, name, expected) => {
    expect(featuresOf(question, text)[name]).toBe(expected);
  });

  it("measures how close together the question's words stand", () => {
    const near = featuresOf("طلاب روسيا؟", "طلاب روسيا كثيرون في كل مكان هناك.").proximity;
    const far = featuresOf("طلاب روسيا؟", "طلاب كثيرون في كل مكان من روسيا.").proximity;
    expect(near).toBe(1);
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(near);
    expect(featuresOf("طلاب روسيا؟", "طلاب كثيرون.").proximity).toBe(0);
  });

  it("counts the question's adjacent word pairs that stand side by side, each once", () => {
    // Pairs of the question: طلاب روسيا, روسيا جامعات.
    const question = "طلاب روسيا جامعات؟";
    expect(featuresOf(question, "طلاب روسيا يدرسون في جامعات كثيرة.").phrase).toBe(0.5);
    expect(featuresOf(question, "طلاب روسيا وطلاب روسيا.").phrase).toBe(0.5);
    expect(featuresOf(question, "طلاب روسيا جامعات كثيرة.").phrase).toBe(1);
    // The words in the other order, or apart, are no pair.
    expect(featuresOf(question, "جامعات روسيا طلاب.").phrase).toBe(0);
    expect(featuresOf("طلاب؟", "طلاب روسيا.").phrase).toBe(0);
  });

  it("reads the agreement and the clash of two verbs of the question apart", () => {
    const question = "متى تعقد القمة ويلتقي الرئيسان؟";
    const both = featuresOf(question, "تعقد القمة بعد أن التقى الرئيسان.");
    expect([both.tenseAgrees, both.tenseClashes]).toEqual([1, 1]);
    const neither = featuresOf(question, "القمة في دوشنبه.");
    expect([neither.tenseAgrees, neither.tenseClashes]).toEqual([0, 0]);
  });

  it("gives the exact coverage and the rarest word apart from the coverage by alternatives", () => {
    const exact = featuresOf("طلاب روسيا؟", "طلاب روسيا كثيرون.");
    expect([exact.coverage, exact.exactCoverage, exact.rarestWord]).toEqual([1, 1, 1]);
    const none = featuresOf("طلاب روسيا؟", "القمة في دوشنبه.");
    expect([none.coverage, none.exactCoverage, none.rarestWord]).toEqual([0, 0, 0]);
  });

  it("does not read the lead sentence as a definition for another kind of question", () => {
    expect(featuresOf("كم عدد سكان دوشنبه؟", "دوشنبه عاصمة طاجيكستان.").definitionLead).toBe(0);
  });
});
