import { LRUCache } from "lru-cache";
import type { SanadIndex, SentenceRecord } from "../index/index.js";
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
 * Sentences whose analysis is kept between questions. The sentences of the passages a question retrieves
 * are mostly those of the last questions' (a news bot is asked about the same few stories): reading their
 * traits again cost a quarter of each answer. Bounded, so that a 10,000-article index keeps the recent
 * ones only (about 2 KB each).
 */
export const SENTENCE_CACHE_SIZE = 16_384;

/** The scores a passage was ranked by. */
type HitScores = Pick<PassageHit, "bm25Score" | "similarity" | "score">;

/**
 * Turns the records of one index into self-contained evidence: each hit with its text, analyzed words,
 * sentences and article, so that the answer stage never reads the index. An article (with its metadata
 * lines) is made once and shared by every hit that comes from it: at most one per document of the index.
 */
export class IndexEvidence {
  private readonly articles = new Map<string, EvidenceArticle>();
  /** Recently used sentences by position. */
  private readonly recent = new LRUCache<number, IndexedSentence>({ max: SENTENCE_CACHE_SIZE });

  constructor(private readonly index: SanadIndex) {}

  /** The passage at `position` of the index as a hit with these scores; undefined for no such passage. */
  hit(position: number, scores: HitScores): PassageHit | undefined {
    const passage = this.index.passages[position];
    if (!passage) return undefined;
    const { index } = this;
    return {
      passageId: passage.id,
      // Written out when read (an LLM's prompt, a LangChain document): the extractive answer never does.
      get text() {
        return index.passageText(passage);
      },
      terms: this.index.passageTerms(position),
      sentences: passage.sentences.flatMap((at) => {
        const sentence = this.sentenceAt(at);
        return sentence ? [sentence] : [];
      }),
      article: this.article(passage.doc),
      ...scores,
    };
  }

  /** The sentence at `at`, with the analysis it was given before when it is still kept. */
  private sentenceAt(at: number): IndexedSentence | undefined {
    const kept = this.recent.get(at);
    if (kept) return kept;
    const record = this.index.sentences[at];
    if (!record) return undefined;
    const sentence = new IndexedSentence(record);
    this.recent.set(at, sentence);
    return sentence;
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
