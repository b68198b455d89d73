import { describe, expect, it } from "vitest";

import { ANSWERABILITY_FEATURES, answerabilityFeatures } from "../../src/answer/answerability-features.js";
import {
  ANSWERABILITY_MODEL,
  parseAnswerabilityModel,
  type AnswerabilityModel,
} from "../../src/answer/answerability-model.js";
import { judgeEvidence, type Ranking } from "../../src/answer/evidence.js";
import { createAnswerer } from "../../src/answer/index.js";
import { SENTENCE_FEATURES } from "../../src/answer/sentence-features.js";
import type { QueryTerm } from "../../src/retrieval/index.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { articleRecord, evidenceSentence, passageHit, queryTerm, scored } from "./fixtures.js";

const n = ANSWERABILITY_FEATURES.length;
const at = (name: (typeof ANSWERABILITY_FEATURES)[number]): number => ANSWERABILITY_FEATURES.indexOf(name);

/** A model that reads one feature only: probability = logistic(weight × (feature − 0.5) × 4). */
function modelOf(
  name: (typeof ANSWERABILITY_FEATURES)[number],
  refuseBelow = 0.3,
  hedgeBelow = 0.6,
): AnswerabilityModel {
  const weights = new Float64Array(n);
  weights[at(name)] = 4;
  const means = new Float64Array(n);
  means[at(name)] = 0.5;
  return { means, deviations: new Float64Array(n).fill(1), weights, bias: 0, refuseBelow, hedgeBelow };
}

/** A ranking whose best sentence covers `coverage` of the question. */
function rankingCovering(coverage: number, terms: readonly QueryTerm[] = [queryTerm("كلمه", 1)]): Ranking {
  const features = new Float64Array(SENTENCE_FEATURES.length);
  features[SENTENCE_FEATURES.indexOf("coverage")] = coverage;
  return { sentences: [scored({ coverage, features, score: 1 })], hits: [], terms };
}

describe("judgeEvidence", () => {
  const byCoverage = modelOf("coverage");

  it("refuses an empty ranking", () => {
    expect(judgeEvidence({ sentences: [], hits: [], terms: [] })).toEqual({
      verdict: "refuse",
      probability: 0,
    });
  });

  it.each<[number, string]>([
    [0, "refuse"],
    [0.25, "refuse"],
    [0.4, "hedge"],
    [0.55, "hedge"],
    [0.75, "answer"],
    [1, "answer"],
  ])(
    "with a best sentence covering %d of the question under a model of coverage: %s",
    (coverage, verdict) => {
      expect(judgeEvidence(rankingCovering(coverage), byCoverage).verdict).toBe(verdict);
    },
  );

  it("gives the model's probability, which the verdict follows", () => {
    const judgement = judgeEvidence(rankingCovering(0.7), byCoverage);
    expect(judgement.probability).toBeCloseTo(1 / (1 + Math.exp(-4 * 0.2)));
    expect(judgement.verdict).toBe("answer");
  });

  it("answers with a metadata line first, whatever the model says", () => {
    const meta: Ranking = {
      sentences: [scored({ sentence: { kind: "meta", text: "المصدر: تاس" } })],
      hits: [],
      terms: [],
    };
    expect(judgeEvidence(meta, modelOf("coverage", 1, 1))).toEqual({ verdict: "answer", probability: 1 });
  });

  it("refuses everything under thresholds of 1 and answers everything under thresholds of 0", () => {
    expect(judgeEvidence(rankingCovering(1), modelOf("coverage", 1, 1)).verdict).toBe("refuse");
    expect(judgeEvidence(rankingCovering(0), modelOf("coverage", 0, 0)).verdict).toBe("answer");
  });
});

describe("answerabilityFeatures", () => {
  const article = { ...articleRecord({ id: "a" }), metadata: [] };
  const students = evidenceSentence({ doc: "a", index: 0, text: "يدرس 35 ألف طالب طاجيكي في روسيا." });
  const visit = evidenceSentence({ doc: "a", index: 1, text: "وصل الرئيس إلى دوشنبه مساء الأربعاء." });
  const hits = [
    passageHit({ sentences: [students], article, bm25Score: 4, similarity: 0.4, score: 1.2 }),
    passageHit({ sentences: [visit], article, bm25Score: 1, similarity: 0.5, score: 1 }),
  ];
  const features = (coverage: number, terms: readonly QueryTerm[]) => {
    const own = new Float64Array(SENTENCE_FEATURES.length);
    own[SENTENCE_FEATURES.indexOf("coverage")] = coverage;
    own[SENTENCE_FEATURES.indexOf("numberMissing")] = 1;
    return answerabilityFeatures(
      [scored({ sentence: students, features: own, score: 2 }), scored({ sentence: visit, score: 1.25 })],
      hits,
      terms,
    );
  };

  it("reads the best candidate, its lead over the second, and its passage's standing", () => {
    const values = features(0.8, [queryTerm("طالب", 2)]);
    expect(values).toHaveLength(n);
    expect(values[at("bestScore")]).toBe(2);
    expect(values[at("margin")]).toBe(0.75);
    expect(values[at("coverage")]).toBe(0.8);
    expect(values[at("typeMissing")]).toBe(1);
    expect(values[at("lexicalFirst")]).toBe(1);
    expect(values[at("vectorFirst")]).toBe(0);
    expect(values[at("similarity")]).toBe(0.4);
  });

  it("measures the words the corpus does not know by IDF, not by count", () => {
    const terms = [queryTerm("طالب", 1), queryTerm("مجهول", 3, { alternatives: [], inCorpus: false })];
    expect(features(0.5, terms)[at("unknownShare")]).toBeCloseTo(0.75);
    expect(features(0.5, [queryTerm("طالب", 1)])[at("unknownShare")]).toBe(0);
  });

  it("finds the question's focus (its first searched word) in the best sentence, or not", () => {
    expect(features(1, [queryTerm("طالب", 1), queryTerm("روسيا", 1)])[at("focusFound")]).toBe(1);
    expect(features(1, [queryTerm("عمر", 1), queryTerm("طالب", 1)])[at("focusFound")]).toBe(0);
  });

  it("notices a number the question states that no passage holds", () => {
    expect(features(1, [queryTerm("35", 1)])[at("numberUnmatched")]).toBe(0);
    expect(features(1, [queryTerm("201", 1)])[at("numberUnmatched")]).toBe(1);
  });

  it("is all zeros but the corpus's unknown share without a candidate", () => {
    const values = answerabilityFeatures(
      [],
      [],
      [queryTerm("كلمه", 1, { alternatives: [], inCorpus: false })],
    );
    expect(
      [...values].filter((value, i) => i !== at("unknownShare") && i !== at("questionLength") && value !== 0),
    ).toEqual([]);
  });
});

describe("the committed answerability model", () => {
  it("holds a weight, a mean and a deviation per feature, and ordered thresholds", () => {
    expect(ANSWERABILITY_MODEL.weights).toHaveLength(n);
    expect(ANSWERABILITY_MODEL.refuseBelow).toBeLessThan(ANSWERABILITY_MODEL.hedgeBelow);
    expect(ANSWERABILITY_MODEL.refuseBelow).toBeGreaterThan(0);
  });

  it("finds a question the article answers more answerable than one it does not", async () => {
    const answerer = createAnswerer(await buildCorpusIndex());
    const probability = async (question: string) => judgeEvidence(await answerer.rank(question)).probability;
    const students = await probability("كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟");
    expect(students).toBeGreaterThan(await probability("ما هي عاصمة فرنسا؟"));
    expect(students).toBeGreaterThan(await probability("ما موقف الولايات المتحدة من القمة؟"));
  });

  it.each<[string, unknown]>([
    ["not an object", 3],
    [
      "another feature list",
      {
        description: "",
        features: ["x"],
        means: [0],
        deviations: [1],
        weights: [0],
        bias: 0,
        refuseBelow: 0,
        hedgeBelow: 0,
      },
    ],
    [
      "thresholds in the wrong order",
      {
        description: "",
        features: ANSWERABILITY_FEATURES,
        means: new Array<number>(n).fill(0),
        deviations: new Array<number>(n).fill(1),
        weights: new Array<number>(n).fill(0),
        bias: 0,
        refuseBelow: 0.6,
        hedgeBelow: 0.3,
      },
    ],
  ])("rejects a model file with %s, naming the file and the command", (_case, content) => {
    expect(() => parseAnswerabilityModel(content, "m.json")).toThrow(/m\.json .*npm run fit/);
  });
});
