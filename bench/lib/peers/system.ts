import type { Article } from "../../../src/corpus/index.js";
import { splitSentences } from "../../../src/text/index.js";

/** Sentences a system returns per question, best first: hit@1, hit@3 and MRR are read from them. */
export const RANKED = 10;

/** One sentence as every system is given it: Sanad's split of a paragraph, with Sanad's sentence id. */
export interface SentenceDoc {
  /** `${doc}#${index}`, the id Sanad's index and `npm run eval` give the same sentence. */
  readonly id: string;
  readonly text: string;
}

/** What a system did with one question. */
export interface Lookup {
  /** At most {@link RANKED} sentence ids, best first. */
  readonly ranked: readonly string[];
  /** The sentence hit@1 is judged on: `ranked[0]` for a search library, the first citation for Sanad. */
  readonly top: string | undefined;
  /** Milliseconds the timed call took: the library's search, or Sanad's whole answer. */
  readonly ms: number;
  /** Milliseconds of that spent retrieving passages (Sanad only). */
  readonly retrievalMs?: number;
  /** Whether the system declined to answer (Sanad only: a refusal cites nothing). */
  readonly refused?: boolean;
}

/** A built index that answers questions. */
export interface Searcher {
  /** Sentences indexed: the same count for every system, checked before any question is asked. */
  readonly sentences: number;
  search(question: string): Promise<Lookup>;
}

/** A system under test: how it is built from a set's paragraphs. */
export interface PeerSystem {
  /** Short name, used on the command line of the build child and in the report. */
  readonly name: string;
  /** How it is set up, one line for the report. */
  readonly setup: string;
  /** Indexes the articles (one paragraph each); a library splits them with {@link sentencesOf} first. */
  build(articles: readonly Article[]): Promise<Searcher>;
}

/**
 * Every paragraph's sentences as Sanad splits them, with the ids its index gives them (sentence positions
 * count from 0 in each article). The eval sets' articles have paragraphs only, so these are exactly the
 * sentences of `sentencesOfArticle`.
 */
export function sentencesOf(articles: readonly Article[]): SentenceDoc[] {
  return articles.flatMap((article) =>
    article.blocks
      .filter((block) => block.kind === "paragraph")
      .flatMap((block) => splitSentences(block.text))
      .map((span, index) => ({ id: `${article.meta.id}#${index}`, text: span.text })),
  );
}

/** Milliseconds `work` took, with its result. */
export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}
