import type { Article } from "../corpus/index.js";
import { splitSentences } from "../text/index.js";

/**
 * What a sentence is for:
 * - `body`: article text, an answer sentence;
 * - `meta`: a trailer line or a front-matter field (source, date, photo credit), only an answer to a
 *   question about the article itself ("ما مصدر الخبر؟").
 */
export type SentenceKind = "body" | "meta";

/** One citable sentence with its exact text and its place in its article. */
export interface SentenceRecord {
  /** `${doc}#${index}`: stable as long as the article's text does not change. */
  readonly id: string;
  readonly doc: string;
  /** 0-based position among the article's sentences (body sentences first, then metadata). */
  readonly index: number;
  readonly text: string;
  readonly kind: SentenceKind;
  /** Position of the paragraph (or trailer line) it comes from, counting the article's blocks. */
  readonly block: number;
  /** The section heading above it, if any: context for retrieval, never quoted as an answer. */
  readonly heading?: string;
}

/** The article-level fields kept in the index, for showing citations and for reindexing decisions. */
export interface DocumentRecord {
  readonly id: string;
  readonly title: string;
  readonly source?: string;
  readonly published?: string;
  readonly language: string;
  readonly url?: string;
  readonly contentHash: string;
  readonly sentenceCount: number;
}

/** Labels of the metadata lines made from front matter, in the article's language. */
const META_LABELS = { source: "المصدر", published: "تاريخ النشر" } as const;

/** The id of sentence `index` (from 0) of document `doc`: `${doc}#${index}`. */
export function sentenceId(doc: string, index: number): string {
  return `${doc}#${index}`;
}

/**
 * The sentences of an article, in reading order: each paragraph split into sentences, with the heading
 * above it attached as context; then the trailer lines, and a line for each front-matter field (title,
 * date) that no trailer line already states, as metadata sentences.
 */
export function sentencesOfArticle(article: Article): SentenceRecord[] {
  const doc = article.meta.id;
  const sentences: SentenceRecord[] = [];
  const add = (text: string, kind: SentenceKind, block: number, heading?: string): void => {
    const index = sentences.length;
    sentences.push({
      id: sentenceId(doc, index),
      doc,
      index,
      text,
      kind,
      block,
      ...(heading ? { heading } : {}),
    });
  };

  let heading: string | undefined;
  article.blocks.forEach((block, blockIndex) => {
    if (block.kind === "heading") heading = block.text;
    if (block.kind === "paragraph") {
      for (const span of splitSentences(block.text)) add(span.text, "body", blockIndex, heading);
    }
  });

  const trailer = article.blocks.flatMap((block, blockIndex) =>
    block.kind === "trailer" ? [{ text: block.text.trim(), blockIndex }] : [],
  );
  for (const line of trailer) if (line.text) add(line.text, "meta", line.blockIndex);

  const stated = (label: string): boolean => trailer.some((line) => line.text.startsWith(label));
  const fields: [label: string, value: string | undefined][] = [
    [META_LABELS.source, article.meta.source],
    [META_LABELS.published, article.meta.published],
  ];
  for (const [label, value] of fields) {
    if (value && !stated(label)) add(`${label}: ${value}`, "meta", article.blocks.length);
  }
  return sentences;
}

/** The article-level record of an article with `sentenceCount` sentences. */
export function documentOfArticle(article: Article, sentenceCount: number): DocumentRecord {
  const { id, title, source, published, language, url } = article.meta;
  return {
    id,
    title,
    language,
    contentHash: article.contentHash,
    sentenceCount,
    ...(source ? { source } : {}),
    ...(published ? { published } : {}),
    ...(url ? { url } : {}),
  };
}
