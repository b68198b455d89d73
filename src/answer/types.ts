import type { ArticleRecord } from "../retrieval/index.js";

/** A sentence an answer rests on, numbered as the answer text cites it ([1], [2] …). */
export interface Citation {
  /** The number the answer text uses for it, from 1. */
  readonly n: number;
  /** Id of the article. */
  readonly doc: string;
  /** 0-based index of the sentence in its article. */
  readonly sentence: number;
  /** The sentence's exact text. */
  readonly text: string;
  /** The article it comes from (title, source, publication date): what a reader needs to name it. */
  readonly article: ArticleRecord;
}

/** How an answer was written: quoted from the article, or written by a language model and verified. */
export type AnswerMode = "extractive" | "llm";

/**
 * What a reply that is no answer is: to a greeting, to thanks, or to a question not in Arabic that could
 * not be translated. Such a reply searches nothing: it is not refused, has no confidence and no citations.
 */
export type ReplyKind = "greeting" | "thanks" | "not-arabic";

/** An answer to one question. This shape is printed by `ask --json`: extend it, never rename or drop. */
export interface Answer {
  readonly question: string;
  readonly mode: AnswerMode;
  /** True when the corpus holds nothing that answers the question; `answer` then says so. */
  readonly refused: boolean;
  /**
   * How well the cited sentences support the answer: `high`; `low` when much of the question is found
   * nowhere in the corpus (the answer then says so first); `none` for a refusal, and for a reply that is
   * no answer (see {@link Answer.kind}).
   */
  readonly confidence: "high" | "low" | "none";
  /** The answer in Arabic, citing its sentences as [n]. */
  readonly answer: string;
  /** The cited sentences: in rank order (extractive), or in the order the answer first cites them (llm). */
  readonly citations: readonly Citation[];
  /** A one-line notice for the reader, e.g. that the model's answer could not be verified. */
  readonly notice?: string;
  /** Set on a reply that is no answer, and says what it is; absent on answers and refusals. */
  readonly kind?: ReplyKind;
  /**
   * The fact the question asks for (a date, an amount) exactly as `answer` writes it, when the answer
   * states exactly one: what a reply sets in bold.
   */
  readonly fact?: string;
  /**
   * The article a question about the article itself (its source, date or title) was answered about: such
   * an answer is written from the article's fields and cites no sentence.
   */
  readonly about?: ArticleRecord;
}

/**
 * What a streamed answer yields: the sentence the answer will most likely rest on, as soon as it is found
 * (a preview that holds nothing unverified); text as the model writes it (unverified); then the verified
 * answer, which always wins.
 */
export type AnswerEvent =
  | { readonly type: "evidence"; readonly quote: string }
  | { readonly type: "delta"; readonly text: string }
  | { readonly type: "final"; readonly answer: Answer };

/** Anything that answers questions: the extractive answerer, or the LLM chain. */
export interface Answerer {
  answer(question: string, options?: { readonly topK?: number }): Promise<Answer>;
  /** The answer as a stream: drafts of text, then the final answer. */
  stream(question: string, options?: { readonly topK?: number }): AsyncGenerator<AnswerEvent>;
}
