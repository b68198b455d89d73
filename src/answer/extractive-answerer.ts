import { DEFAULT_TOP_K } from "../config/index.js";
import type { PassageRetriever } from "../retrieval/index.js";
import { analyzeForIndex, withoutLeadingConnector } from "../text/index.js";
import { answerAboutArticle } from "./article-answer.js";
import { askedFact } from "./asked-fact.js";
import { ANSWERABILITY_MODEL, type AnswerabilityModel } from "./answerability-model.js";
import { judgeEvidence, type Ranking } from "./evidence.js";
import { MESSAGES } from "./messages.js";
import { SENTENCE_RANKER, type SentenceRanker } from "./sentence-ranker.js";
import { scoreSentences, type RankingHead } from "./sentence-scoring.js";
import { citationOf } from "./citations.js";
import type { Answer, AnswerEvent, Answerer, Citation } from "./types.js";

/**
 * How far below the best sentence's score another sentence may rank and still be cited: beyond it, a
 * sentence is not supporting evidence but noise (the other metadata lines under "ما مصدر الخبر؟").
 */
export const CITATION_SCORE_MARGIN = 0.5;

/** Options of {@link ExtractiveAnswerer}. */
export interface ExtractiveAnswererFields {
  /** Finds the passages whose sentences are scored: the only way this answerer reaches the articles. */
  retriever: PassageRetriever;
  /** Sentences cited at most. Defaults to TOP_K's default, {@link DEFAULT_TOP_K}. */
  topK?: number;
  /** When to answer, hedge or refuse. Defaults to the fitted {@link ANSWERABILITY_MODEL}. */
  answerability?: AnswerabilityModel;
  /** Ranks the candidate sentences. Defaults to the fitted {@link SENTENCE_RANKER}. */
  ranker?: SentenceRanker;
}

/**
 * Answers without a language model: retrieves passages, scores their sentences, and answers with the
 * best one quoted and the next best cited after it; hedges when the evidence is thin and refuses when
 * nothing supports an answer.
 *
 * @example
 * const answerer = new ExtractiveAnswerer({ retriever: new HybridRetriever({ index }), topK: 3 });
 * const { answer, citations } = await answerer.answer("متى وصل بوتين إلى دوشنبه؟");
 */
export class ExtractiveAnswerer implements Answerer {
  private readonly retriever: PassageRetriever;
  private readonly topK: number;
  private readonly answerability: AnswerabilityModel;
  private readonly ranker: SentenceRanker;

  constructor(fields: ExtractiveAnswererFields) {
    this.retriever = fields.retriever;
    this.topK = fields.topK ?? DEFAULT_TOP_K;
    this.answerability = fields.answerability ?? ANSWERABILITY_MODEL;
    this.ranker = fields.ranker ?? SENTENCE_RANKER;
  }

  /**
   * The ranked candidate sentences for a question, with their scores (for evaluation and debugging).
   * With `head`, only that head of the ranking is sure to be complete (see scoreSentences).
   */
  async rank(question: string, head?: RankingHead): Promise<Ranking> {
    const evidence = await this.retriever.retrieve(question);
    return {
      sentences: scoreSentences(question, evidence, this.ranker, head),
      hits: evidence.hits,
      terms: evidence.terms,
    };
  }

  async answer(question: string, options: { readonly topK?: number } = {}): Promise<Answer> {
    if (analyzeForIndex(question).length === 0) return refusal(question, MESSAGES.emptyQuestion);
    const topK = options.topK ?? this.topK;
    // The answer reads the best two sentences and those it may cite: the rest need not be scored.
    const head = { places: Math.max(1, topK), within: CITATION_SCORE_MARGIN };
    return this.answerFromRanking(question, await this.rank(question, head), topK);
  }

  /** The same answer as one final event: extractive answers are not written piece by piece. */
  async *stream(question: string, options: { readonly topK?: number } = {}): AsyncGenerator<AnswerEvent> {
    yield { type: "final", answer: await this.answer(question, options) };
  }

  /** The answer given a ranking made by {@link rank}: cited, hedged, or refused. */
  answerFromRanking(question: string, ranking: Ranking, requestedTopK = this.topK): Answer {
    // At least the sentence the answer quotes is always cited.
    const topK = Math.max(1, requestedTopK);
    if (analyzeForIndex(question).length === 0) return refusal(question, MESSAGES.emptyQuestion);
    const aboutArticle = this.answerFromFields(question, ranking);
    if (aboutArticle) return aboutArticle;
    const { verdict } = judgeEvidence(ranking, this.answerability);
    const best = ranking.sentences[0];
    if (verdict === "refuse" || !best) return refusal(question, MESSAGES.refusal);
    const cited = ranking.sentences
      .slice(0, topK)
      .filter(({ score }) => score >= best.score - CITATION_SCORE_MARGIN);
    const citations: Citation[] = cited.map(({ sentence, article }, i) =>
      citationOf(i + 1, sentence, article),
    );
    // Read alone, the sentence drops the word that tied it to the one before (كما أن، وقد …).
    const shown = withoutLeadingConnector(best.sentence.text);
    const quoted = withMarker(shown, 1);
    const fact = verdict === "answer" ? askedFact(question, shown) : undefined;
    return {
      question,
      mode: "extractive",
      refused: false,
      confidence: verdict === "answer" ? "high" : "low",
      answer: verdict === "answer" ? quoted : `${MESSAGES.hedge}\n${quoted}`,
      citations,
      ...(fact === undefined ? {} : { fact }),
    };
  }

  /**
   * The answer to a question about the article itself (source, date, title), written from the fields of
   * the best-matching article; undefined for any other question.
   */
  answerFromFields(question: string, ranking: Ranking): Answer | undefined {
    return answerAboutArticle(question, ranking.hits[0]?.article);
  }
}

/** The sentence with its citation marker before its final punctuation: «… عام 2024 [1].» */
function withMarker(sentence: string, n: number): string {
  const text = sentence.trimEnd();
  const end = /[.!?؟؛]$/u.exec(text);
  return end ? `${text.slice(0, -1)} [${n}]${end[0]}` : `${text} [${n}]`;
}

function refusal(question: string, message: string): Answer {
  return { question, mode: "extractive", refused: true, confidence: "none", answer: message, citations: [] };
}
