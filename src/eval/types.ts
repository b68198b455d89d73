import type { Article } from "../corpus/index.js";

/** A sentence that answers an evaluation question. */
export interface GoldSentence {
  readonly doc: string;
  readonly sentence: number;
}

/** One evaluation question; no gold sentence means the corpus cannot answer it. */
export interface EvalQuestion {
  readonly id: string;
  readonly question: string;
  readonly gold: readonly GoldSentence[];
  /** The kind of question (direct, paraphrase, dialect …), where the set records it. */
  readonly kind?: string;
}

/** A set of evaluation questions over the articles that answer them. */
export interface EvalSet {
  readonly name: string;
  readonly articles: readonly Article[];
  readonly questions: readonly EvalQuestion[];
  /** Questions left out because their gold answer could not be located. */
  readonly skipped: number;
}
