/** Shared fixtures of the answer-stage tests: the real corpus, and hand-built records. */
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { ScoredSentence } from "../../src/answer/index.js";
import type { SentenceRecord } from "../../src/index/index.js";
import type { QueryTerm } from "../../src/retrieval/index.js";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CORPUS_DIR = path.join(REPO_ROOT, "corpus");
export const CORPUS_FILE = path.join(CORPUS_DIR, "tass-2025-10-09-putin-dushanbe.md");
export const GOLD_FILE = path.join(REPO_ROOT, "tests/gold/article-qa.json");
export const DOC_ID = "tass-2025-10-09-putin-dushanbe";
export const INDEX_CONFIG = { provider: "hashing", dimensions: 512 } as const;

/** A sentence record as the index holds one. */
export function sentenceRecord(fields: Partial<SentenceRecord> & { readonly text: string }): SentenceRecord {
  const doc = fields.doc ?? "doc";
  const index = fields.index ?? 0;
  return { id: `${doc}#${index}`, doc, index, kind: "body", block: 0, ...fields };
}

/** A scored candidate sentence, by default a body sentence that covers the whole question. */
export function scored(
  fields: Partial<Omit<ScoredSentence, "sentence">> & { readonly sentence?: Partial<SentenceRecord> } = {},
): ScoredSentence {
  const { sentence, ...rest } = fields;
  return {
    sentence: sentenceRecord({ text: "جملة", ...sentence }),
    passageScore: 1,
    coverage: 1,
    passageCoverage: 1,
    offersAskedType: undefined,
    score: 1,
    ...rest,
  };
}

/** A question word as searched; by default found in the corpus as itself. */
export function queryTerm(term: string, idf: number, fields: Partial<QueryTerm> = {}): QueryTerm {
  return { term, idf, alternatives: [{ term, weight: 1 }], inCorpus: true, ...fields };
}
