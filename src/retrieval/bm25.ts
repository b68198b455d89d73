/** BM25 parameters. */
export interface Bm25Options {
  /** Term-frequency saturation. Defaults to 1.2. */
  k1?: number;
  /** Length normalization, 0 (none) to 1 (full). Defaults to 0.75. */
  b?: number;
}

/** A document's BM25 score for a query; higher is better. */
export interface Bm25Hit {
  /** Position of the document in the array the index was built from. */
  readonly index: number;
  readonly bm25Score: number;
}

/** BM25 scores of the documents a query matched, by document position. */
export class LexicalScores {
  private readonly scores: Float64Array;
  /** Positions of the matched documents, in the order they were first matched. */
  readonly matched: readonly number[];

  constructor(scores: Float64Array, matched: readonly number[]) {
    this.scores = scores;
    this.matched = matched;
  }

  /** The score of the document at `position`; 0 when it shares no term with the query. */
  get(position: number): number {
    return this.scores[position] ?? 0;
  }

  /** The highest score, 0 when nothing matched. */
  max(): number {
    let best = 0;
    for (const position of this.matched) best = Math.max(best, this.scores[position] ?? 0);
    return best;
  }

  /** [position, score] of each matched document. */
  *entries(): IterableIterator<[number, number]> {
    for (const position of this.matched) yield [position, this.scores[position] ?? 0];
  }
}

/** Term frequencies above this are stored as this; BM25 saturates long before. */
const MAX_STORED_FREQUENCY = 65_535;
const DEFAULT_K1 = 1.2;
const DEFAULT_B = 0.75;

/**
 * Okapi BM25 over pre-analyzed token lists, with an inverted index so that a query only touches the
 * documents that share a term with it.
 *
 * @example
 * const bm25 = new Bm25Index(sentences.map((s) => analyzeForIndex(s.text)));
 * bm25.search(analyzeForIndex("كم عدد الطلاب؟"), 10);
 */
export class Bm25Index {
  readonly size: number;
  /**
   * The postings of all terms share three arrays (compressed sparse rows) instead of two typed arrays
   * per term: each small typed array costs a few hundred bytes of object headers, more than its
   * postings for most terms (TyDi's 12,000 terms: 6.1 MB that way, 0.8 MB this). A term's number
   * selects the slice `offsets[n]` to `offsets[n + 1]` of `documents` and `frequencies`, in document
   * order.
   */
  private readonly terms = new Map<string, number>();
  private readonly offsets: Uint32Array;
  private readonly documents: Uint32Array;
  private readonly frequencies: Uint16Array;
  /**
   * Each document's length normalization, computed once rather than for every posting a query
   * touches; the same expression in the same order, so scores are unchanged to the last bit.
   */
  private readonly norms: Float64Array;
  private readonly k1: number;
  private readonly b: number;

  constructor(documents: readonly (readonly string[])[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? DEFAULT_K1;
    this.b = options.b ?? DEFAULT_B;
    this.size = documents.length;
    // Two passes: count each term's documents, then fill each term's slice of the shared arrays.
    const documentFrequency: number[] = [];
    let totalLength = 0;
    for (const tokens of documents) {
      totalLength += tokens.length;
      for (const term of new Set(tokens)) {
        const number = this.terms.get(term);
        if (number === undefined) {
          this.terms.set(term, documentFrequency.length);
          documentFrequency.push(1);
        } else documentFrequency[number] = (documentFrequency[number] ?? 0) + 1;
      }
    }
    this.offsets = new Uint32Array(documentFrequency.length + 1);
    documentFrequency.forEach((df, number) => {
      this.offsets[number + 1] = (this.offsets[number] ?? 0) + df;
    });
    const postings = this.offsets[documentFrequency.length] ?? 0;
    this.documents = new Uint32Array(postings);
    this.frequencies = new Uint16Array(postings);
    const filled = this.offsets.slice(0, documentFrequency.length);
    documents.forEach((tokens, index) => {
      const counts = new Map<string, number>();
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const [term, tf] of counts) {
        const number = this.terms.get(term) ?? 0;
        const at = filled[number] ?? 0;
        this.documents[at] = index;
        this.frequencies[at] = Math.min(tf, MAX_STORED_FREQUENCY);
        filled[number] = at + 1;
      }
    });
    const averageLength = documents.length > 0 ? totalLength / documents.length : 0;
    this.norms = new Float64Array(documents.length);
    documents.forEach((tokens, index) => {
      this.norms[index] = this.k1 * (1 - this.b + (this.b * tokens.length) / (averageLength || 1));
    });
  }

  /**
   * Inverse document frequency of a term (Lucene's variant, never negative). A term no document holds
   * gets the highest value: for judging whether a question is answered at all, it is the strongest sign.
   */
  idf(term: string): number {
    const number = this.terms.get(term);
    return this.idfOf(number === undefined ? 0 : this.documentFrequency(number));
  }

  /** The distinct terms of the indexed documents. */
  vocabulary(): IterableIterator<string> {
    return this.terms.keys();
  }

  /** BM25 scores of every document that shares a term with the query, as a map from document index. */
  scoreAll(queryTerms: readonly string[]): Map<number, number> {
    return this.scoreWeighted([...new Set(queryTerms)].map((term) => ({ term, weight: 1 })));
  }

  /**
   * BM25 scores for query terms that count unequally (a likely meaning of a misspelt word counts less
   * than the word itself): each term's contribution is multiplied by its weight.
   */
  scoreWeighted(
    queryTerms: readonly { readonly term: string; readonly weight: number }[],
  ): Map<number, number> {
    return new Map(this.scoreDense(queryTerms).entries());
  }

  /**
   * The same scores as {@link scoreWeighted} in an array over all documents: a common word can match
   * most of a large corpus, and a map of a hundred thousand entries per question costs milliseconds
   * and garbage that an array does not.
   */
  scoreDense(queryTerms: readonly { readonly term: string; readonly weight: number }[]): LexicalScores {
    const scores = new Float64Array(this.size);
    const seen = new Uint8Array(this.size);
    const matched: number[] = [];
    for (const { term, weight } of queryTerms) {
      const number = this.terms.get(term);
      if (number === undefined) continue;
      const start = this.offsets[number] ?? 0;
      const end = this.offsets[number + 1] ?? 0;
      const idf = weight * this.idfOf(end - start);
      for (let at = start; at < end; at++) {
        const index = this.documents[at] ?? 0;
        const tf = this.frequencies[at] ?? 0;
        const norm = this.norms[index] ?? 0;
        scores[index] = (scores[index] ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + norm);
        if (seen[index] === 0) {
          seen[index] = 1;
          matched.push(index);
        }
      }
    }
    return new LexicalScores(scores, matched);
  }

  /** Lucene's inverse document frequency for a term held by `df` documents. */
  private idfOf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** How many documents hold the term numbered `number`. */
  private documentFrequency(number: number): number {
    return (this.offsets[number + 1] ?? 0) - (this.offsets[number] ?? 0);
  }

  /** The `k` best documents for the query, best first; ties keep document order. */
  search(queryTerms: readonly string[], k: number): Bm25Hit[] {
    return [...this.scoreAll(queryTerms)]
      .map(([index, bm25Score]) => ({ index, bm25Score }))
      .sort((a, b) => b.bm25Score - a.bm25Score || a.index - b.index)
      .slice(0, k);
  }
}
