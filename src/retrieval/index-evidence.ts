import { LRUCache } from "lru-cache";
import type { PassageRecord, SanadIndex, SentenceRecord } from "../index/index.js";
import { readSentenceTraits, type SentenceTraits } from "../text/index.js";
import {
  articleRecord,
  type EvidenceArticle,
  type EvidenceSentence,
  type EvidenceSentenceKind,
  type PassageHit,
} from "./passage-retriever.js";

/**
 * A sentence of the index as evidence. Its traits (an analysis of its text, the costliest part of the
 * evidence) are read the first time they are asked for: a caller that only wants passages (LangChain's
 * `invoke`) does not pay for them, and the answer stage pays once per sentence it scores.
 */
class IndexedSentence implements EvidenceSentence {
  readonly id: string;
  readonly doc: string;
  readonly index: number;
  readonly text: string;
  readonly kind: EvidenceSentenceKind;
  #traits: SentenceTraits | undefined;

  constructor(record: SentenceRecord) {
    this.id = record.id;
    this.doc = record.doc;
    this.index = record.index;
    this.text = record.text;
    this.kind = record.kind;
  }

  get traits(): SentenceTraits {
    return (this.#traits ??= readSentenceTraits(this.text));
  }
}

/**
 * Passages whose sentences (with their analysis) are kept between questions. The passages a question
 * retrieves are mostly those of the last questions' (a news bot is asked about the same few stories):
 * reading their sentences' traits again cost a quarter of each answer. Bounded, so that a 10,000-article
 * index keeps the recent ones only (about four sentences of about 2 KB each).
 */
export const PASSAGE_CACHE_SIZE = 4_096;

/** The scores a passage was ranked by. */
type HitScores = Pick<PassageHit, "bm25Score" | "similarity" | "score">;

/** A passage of the index as a hit: its text is written out only when read (see {@link text}). */
class IndexedHit implements PassageHit {
  readonly passageId: string;
  readonly bm25Score: number;
  readonly similarity: number;
  readonly score: number;
  // Private fields, not properties: a hit logged or serialized does not carry the whole index.
  readonly #index: SanadIndex;
  readonly #passage: PassageRecord;

  constructor(
    index: SanadIndex,
    passage: PassageRecord,
    readonly terms: readonly string[],
    readonly sentences: readonly EvidenceSentence[],
    readonly article: EvidenceArticle,
    scores: HitScores,
  ) {
    this.#index = index;
    this.#passage = passage;
    this.passageId = passage.id;
    this.bm25Score = scores.bm25Score;
    this.similarity = scores.similarity;
    this.score = scores.score;
  }

  /** Written out when read (an LLM's prompt, a LangChain document): the extractive answer never does. */
  get text(): string {
    return this.#index.passageText(this.#passage);
  }
}

/**
 * Turns the records of one index into self-contained evidence: each hit with its text, analyzed words,
 * sentences and article, so that the answer stage never reads the index. An article (with its metadata
 * lines) is made once and shared by every hit that comes from it: at most one per document of the index.
 */
export class IndexEvidence {
  private readonly articles = new Map<string, EvidenceArticle>();
  /** The sentences of recently used passages, by passage position. */
  private readonly recent = new LRUCache<number, readonly IndexedSentence[]>({ max: PASSAGE_CACHE_SIZE });

  constructor(private readonly index: SanadIndex) {}

  /** The passage at `position` of the index as a hit with these scores; undefined for no such passage. */
  hit(position: number, scores: HitScores): PassageHit | undefined {
    const passage = this.index.passages[position];
    if (!passage) return undefined;
    return new IndexedHit(
      this.index,
      passage,
      this.index.passageTerms(position),
      this.sentencesOf(position, passage),
      this.article(passage.doc),
      scores,
    );
  }

  /** The sentences of the passage at `position`, with the analysis they were given before when kept. */
  private sentencesOf(position: number, passage: PassageRecord): readonly IndexedSentence[] {
    let sentences = this.recent.get(position);
    if (!sentences) {
      sentences = passage.sentences.flatMap((at) => {
        const record = this.index.sentences[at];
        return record ? [new IndexedSentence(record)] : [];
      });
      this.recent.set(position, sentences);
    }
    return sentences;
  }

  /** An article of the index with its metadata lines, found through its own sentences only. */
  private article(id: string): EvidenceArticle {
    let article = this.articles.get(id);
    if (!article) {
      const metadata = this.index
        .sentencesOf(id)
        .filter((sentence) => sentence.kind === "meta")
        .map((sentence) => new IndexedSentence(sentence));
      article = { ...articleRecord(this.index.document(id)), metadata };
      this.articles.set(id, article);
    }
    return article;
  }
}
