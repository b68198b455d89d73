/** Front-matter fields of one article, validated at load time. */
export interface ArticleMeta {
  /** Stable identifier used in citations; the file name (without extension) for plain-text files. */
  readonly id: string;
  /** Headline shown with citations. */
  readonly title: string;
  /** Publisher, e.g. "تاس (TASS)". */
  readonly source?: string;
  /** Publication date as YYYY-MM-DD. */
  readonly published?: string;
  /** BCP 47 language tag. Defaults to "ar". */
  readonly language: string;
  /** Where the article was published, when known. */
  readonly url?: string;
}

/**
 * A block of an article body, in reading order.
 * - `heading`: a section heading; context for the paragraphs under it, never an answer sentence.
 * - `paragraph`: body text; its sentences are the answer sentences.
 * - `trailer`: a line after the body (photo credit, "المصدر: ...", a stray link title); metadata only.
 */
export type ArticleBlockKind = "heading" | "paragraph" | "trailer";

/** One block of an article body with its exact original text (markup such as `## ` removed). */
export interface ArticleBlock {
  readonly kind: ArticleBlockKind;
  readonly text: string;
}

/** An article as loaded from `corpus/`. */
export interface Article {
  readonly meta: ArticleMeta;
  /** Path of the source file, as given to the loader. */
  readonly path: string;
  readonly blocks: readonly ArticleBlock[];
  /** SHA-256 (hex) of the file's bytes: changes whenever the file does. */
  readonly contentHash: string;
}

/** Articles already known by their files' content hash (SHA-256 hex): several when files share bytes. */
export type KnownArticles = ReadonlyMap<string, readonly ArticleMeta[]>;

/** A file that could not be loaded, and why (in words an operator can act on). */
export interface CorpusProblem {
  readonly path: string;
  readonly reason: string;
}

/** Everything found in a corpus folder: the articles that loaded and the files that did not. */
export interface Corpus {
  readonly articles: readonly Article[];
  readonly problems: readonly CorpusProblem[];
}
