import { describe, expect, it } from "vitest";

import {
  DEFAULT_EVIDENCE_THRESHOLDS,
  judgeEvidence,
  type EvidenceThresholds,
  type Ranking,
  type Verdict,
} from "../../src/answer/evidence.js";
import type { QueryTerm } from "../../src/retrieval/index.js";
import { queryTerm, scored } from "./fixtures.js";

/** Question words of total IDF 10, of which `missing` (0–10) are nowhere in the corpus. */
function termsWithMissing(missing: number): QueryTerm[] {
  return [
    queryTerm("موجود", 10 - missing),
    queryTerm("مفقود", missing, { alternatives: [], inCorpus: false }),
  ];
}

describe("judgeEvidence", () => {
  it("has the documented thresholds", () => {
    expect(DEFAULT_EVIDENCE_THRESHOLDS).toEqual({
      refuseUnmatched: 0.8,
      refuseCoverage: 0.2,
      hedgeUnmatched: 0.45,
      hedgeCoverage: 0.2,
    });
  });

  it("refuses an empty ranking", () => {
    expect(judgeEvidence({ sentences: [], terms: [] })).toEqual({
      verdict: "refuse",
      unmatchedShare: 1,
      coverage: 0,
    });
  });

  it("refuses when no sentence is left even though every word is in the corpus", () => {
    expect(judgeEvidence({ sentences: [], terms: termsWithMissing(0) }).verdict).toBe("refuse");
  });

  it("refuses a best sentence that does not offer the asked type, however well it covers", () => {
    const ranking: Ranking = {
      sentences: [scored({ coverage: 1, offersAskedType: false }), scored({ offersAskedType: true })],
      terms: termsWithMissing(0),
    };
    expect(judgeEvidence(ranking)).toEqual({ verdict: "refuse", unmatchedShare: 0, coverage: 1 });
  });

  it("answers a best sentence that offers the asked type", () => {
    const ranking: Ranking = {
      sentences: [scored({ coverage: 0.9, offersAskedType: true })],
      terms: termsWithMissing(0),
    };
    expect(judgeEvidence(ranking).verdict).toBe("answer");
  });

  it("answers with a metadata line first, whatever is missing", () => {
    const ranking: Ranking = {
      sentences: [scored({ coverage: 0, sentence: { kind: "meta", text: "المصدر: تاس" } })],
      terms: termsWithMissing(10),
    };
    expect(judgeEvidence(ranking)).toEqual({ verdict: "answer", unmatchedShare: 1, coverage: 0 });
  });

  it("measures the unmatched share by IDF, not by word count", () => {
    const ranking: Ranking = {
      sentences: [scored({ coverage: 0.5 })],
      terms: [
        queryTerm("نادر", 3, { alternatives: [], inCorpus: false }),
        queryTerm("شائع", 1),
        queryTerm("آخر", 0, { alternatives: [], inCorpus: false }),
      ],
    };
    expect(judgeEvidence(ranking).unmatchedShare).toBeCloseTo(0.75);
  });

  it("reads a missing word that shares a root with the corpus as matched (inCorpus)", () => {
    const ranking: Ranking = {
      sentences: [scored({ coverage: 0.1 })],
      terms: [queryTerm("طلاب", 5, { alternatives: [], inCorpus: true })],
    };
    expect(judgeEvidence(ranking)).toMatchObject({ verdict: "answer", unmatchedShare: 0 });
  });

  describe("by the unmatched share and the best sentence's coverage", () => {
    it.each<[missing: number, coverage: number, verdict: Verdict]>([
      // Refuse: at least 80% missing and less than 20% covered.
      [10, 0, "refuse"],
      [8, 0.19, "refuse"],
      [9, 0.1, "refuse"],
      // Hedge: at least 45% missing and less than 20% covered (and not refused).
      [7, 0.19, "hedge"],
      [5, 0.19, "hedge"],
      [4.5, 0.1, "hedge"],
      [6, 0, "hedge"],
      // Answer: less missing, or enough covered.
      [8, 0.2, "answer"],
      [4.4, 0, "answer"],
      [0, 0, "answer"],
      [10, 0.9, "answer"],
      [5, 0.5, "answer"],
    ])("with %d/10 missing and coverage %d: %s", (missing, coverage, verdict) => {
      const ranking: Ranking = { sentences: [scored({ coverage })], terms: termsWithMissing(missing) };
      expect(judgeEvidence(ranking)).toEqual({ verdict, unmatchedShare: missing / 10, coverage });
    });
  });

  it("judges only by the best sentence", () => {
    const ranking: Ranking = {
      sentences: [scored({ coverage: 0.1 }), scored({ coverage: 1 })],
      terms: termsWithMissing(9),
    };
    expect(judgeEvidence(ranking)).toMatchObject({ verdict: "refuse", coverage: 0.1 });
  });

  it("uses the thresholds it is given", () => {
    const strict: EvidenceThresholds = {
      refuseUnmatched: 0.1,
      refuseCoverage: 0.9,
      hedgeUnmatched: 0,
      hedgeCoverage: 0.95,
    };
    const ranking = (coverage: number): Ranking => ({
      sentences: [scored({ coverage })],
      terms: termsWithMissing(2),
    });
    expect(judgeEvidence(ranking(0.5), strict).verdict).toBe("refuse");
    expect(judgeEvidence(ranking(0.92), strict).verdict).toBe("hedge");
    expect(judgeEvidence(ranking(0.96), strict).verdict).toBe("answer");
    expect(judgeEvidence(ranking(0.5)).verdict).toBe("answer");
  });
});
