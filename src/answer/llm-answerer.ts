import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { StringOutputParser } from "@langchain/core/output_parsers";
import type { Runnable } from "@langchain/core/runnables";
import { DEFAULT_TOP_K } from "../config/index.js";
import type { Logger, OutageLog } from "../log/index.js";
import type { ArticleRecord } from "../retrieval/index.js";
import { analyzeForIndex } from "../text/index.js";
import { checkCitations, describeProblems, type CitationCheck, type NumberedSentence } from "./citations.js";
import type { Ranking } from "./evidence.js";
import type { ExtractiveAnswerer } from "./extractive-answerer.js";
import { MESSAGES } from "./messages.js";
import type { Prompts } from "./prompts.js";
import type { Answer, AnswerEvent, Answerer } from "./types.js";
import { askedFact } from "./asked-fact.js";
import { modelErrorKind, type AnswerObserver } from "./observer.js";
import { finalAnswer } from "./final-answer.js";

/** The variables of the answering prompt (prompts/answer.md). */
interface AnswerPromptInput {
  readonly context: string;
  readonly question: string;
  readonly refusal: string;
}

/** Sentences the model is shown, best first: enough for an answer, few enough to keep it on them. */
export const DEFAULT_CONTEXT_SENTENCES = 8;

/** Options of {@link LlmAnswerer}. */
export interface LlmAnswererFields {
  /** Ranks the sentences the model is given, and answers when the model cannot. */
  extractive: ExtractiveAnswerer;
  /** The chat model (ChatOpenAI against any OpenAI-compatible server). */
  model: BaseChatModel;
  prompts: Prompts;
  /** Sentences shown to the model. Defaults to {@link DEFAULT_CONTEXT_SENTENCES}. */
  contextSentences?: number;
  /** Sentences an answer cites at most. Defaults to TOP_K's default, {@link DEFAULT_TOP_K}. */
  topK?: number;
  /**
   * Longest wait for one model call, in milliseconds, streamed or not, whatever the server does: past it
   * the call is abandoned and the extractive answer is given.
   */
  deadlineMs: number;
  logger: Logger;
  /** Where the model server's outages and recoveries are told to the operator, once a minute at most. */
  outages?: OutageLog;
  /** Told why a model's answer was replaced (metrics). */
  observer?: AnswerObserver;
}

/**
 * Answers with a language model from the retrieved sentences, and sends nothing unchecked: the model
 * cites numbered sentences, the citations and numbers are verified in code, a failed check gets one
 * corrective attempt, and if that fails too (or the server does) the extractive answer is given with a
 * one-line notice.
 *
 * @example
 * const answerer = new LlmAnswerer({ extractive, model: new ChatOpenAI({...}), prompts, deadlineMs, logger });
 * for await (const event of answerer.stream("متى تعقد القمة؟")) { … }
 */
export class LlmAnswerer implements Answerer {
  private readonly extractive: ExtractiveAnswerer;
  private readonly model: BaseChatModel;
  private readonly prompts: Prompts;
  private readonly contextSentences: number;
  private readonly topK: number;
  private readonly deadlineMs: number;
  private readonly logger: Logger;
  private readonly outages: OutageLog | undefined;
  private readonly observer: AnswerObserver | undefined;
  /** prompt → model → text: the answering chain, streamed. */
  private readonly answerChain: Runnable<AnswerPromptInput, string>;
  /** model → text: for the corrective attempt, whose messages extend the first exchange. */
  private readonly replyChain: Runnable<BaseMessage[], string>;

  constructor(fields: LlmAnswererFields) {
    this.extractive = fields.extractive;
    this.model = fields.model;
    this.prompts = fields.prompts;
    this.contextSentences = fields.contextSentences ?? DEFAULT_CONTEXT_SENTENCES;
    this.topK = fields.topK ?? DEFAULT_TOP_K;
    this.deadlineMs = fields.deadlineMs;
    this.logger = fields.logger;
    this.outages = fields.outages;
    this.observer = fields.observer;
    // ChatPromptTemplate is typed with `any` input; the prompt file's variables are AnswerPromptInput.
    this.answerChain = this.prompts.answer.pipe(this.model).pipe(new StringOutputParser()) as Runnable<
      AnswerPromptInput,
      string
    >;
    this.replyChain = this.model.pipe(new StringOutputParser());
  }

  answer(question: string, options: { readonly topK?: number } = {}): Promise<Answer> {
    return finalAnswer(this.stream(question, options));
  }

  async *stream(question: string, options: { readonly topK?: number } = {}): AsyncGenerator<AnswerEvent> {
    if (analyzeForIndex(question).length === 0) {
      yield { type: "final", answer: await this.extractive.answer(question, options) };
      return;
    }
    const ranking = await this.extractive.rank(question);
    const aboutArticle = this.extractive.answerFromFields(question, ranking);
    if (aboutArticle) {
      yield { type: "final", answer: aboutArticle };
      return;
    }
    const context = ranking.sentences
      .slice(0, this.contextSentences)
      .map(({ sentence, article }, i): NumberedSentence => ({ n: i + 1, sentence, article }));
    if (context.length === 0) {
      yield { type: "final", answer: this.extractive.answerFromRanking(question, ranking, options.topK) };
      return;
    }
    const input: AnswerPromptInput = {
      context: this.formatContext(context),
      question,
      refusal: MESSAGES.refusal,
    };

    // A preview while the model writes: the best sentence holds nothing unverified.
    yield { type: "evidence", quote: context[0]?.sentence.text ?? "" };
    let draft = "";
    try {
      const stream = await this.answerChain.stream(input, { signal: AbortSignal.timeout(this.deadlineMs) });
      for await (const delta of stream) {
        if (delta === "") continue;
        draft += delta;
        yield { type: "delta", text: delta };
      }
    } catch (error) {
      // No HTTP status: the server was not reached, or did not answer in time.
      if ((error as { status?: unknown } | undefined)?.status === undefined) this.outages?.unreachable(error);
      else this.outages?.reachable();
      yield this.fallback(question, ranking, options.topK, "the model call failed", error);
      return;
    }
    this.outages?.reachable();
    const maxCitations = options.topK ?? this.topK;
    let check = checkCitations(draft, context, MESSAGES.refusal, maxCitations);
    if (!check.answer && !check.refused) {
      this.logger.info({ problems: check.problems }, "model answer failed verification; asking once more");
      try {
        const messages = await this.prompts.answer.formatMessages(input);
        const correction = [
          ...messages,
          new AIMessage(draft),
          new HumanMessage(describeProblems(check.problems)),
        ];
        const reply = await this.replyChain.invoke(correction, {
          signal: AbortSignal.timeout(this.deadlineMs),
        });
        check = checkCitations(reply, context, MESSAGES.refusal, maxCitations);
      } catch (error) {
        yield this.fallback(question, ranking, options.topK, "the corrective model call failed", error);
        return;
      }
    }
    yield this.verdict(question, ranking, options.topK, check);
  }

  private verdict(
    question: string,
    ranking: Ranking,
    topK: number | undefined,
    check: CitationCheck,
  ): AnswerEvent {
    if (check.refused) {
      return {
        type: "final",
        answer: {
          question,
          mode: "llm",
          refused: true,
          confidence: "none",
          answer: MESSAGES.refusal,
          citations: [],
        },
      };
    }
    if (!check.answer)
      return this.fallback(
        question,
        ranking,
        topK,
        "the model answer failed verification twice",
        check.problems,
      );
    if (check.dropped.length > 0)
      this.logger.info({ dropped: check.dropped }, "dropped citations to no sentence");
    const fact = askedFact(question, check.answer.text);
    return {
      type: "final",
      answer: {
        question,
        mode: "llm",
        refused: false,
        confidence: "high",
        answer: check.answer.text,
        citations: check.answer.citations,
        ...(fact === undefined ? {} : { fact }),
      },
    };
  }

  private fallback(
    question: string,
    ranking: Ranking,
    topK: number | undefined,
    reason: string,
    detail: unknown,
  ): AnswerEvent {
    const status = (detail as { status?: unknown } | undefined)?.status;
    if (status === 401 || status === 403) {
      this.logger.error("the chat server refused the key: check OPENAI_API_KEY");
    } else if (status === 404) {
      this.logger.error(
        "the chat server does not know the model or path: check CHAT_MODEL and OPENAI_BASE_URL",
      );
    }
    this.logger.warn({ reason, detail: describe(detail) }, "answering extractively instead");
    // A list of problems is the verification's verdict; anything else is the error of a model call.
    this.observer?.modelError?.(Array.isArray(detail) ? "unverified" : modelErrorKind(detail));
    const answer = this.extractive.answerFromRanking(question, ranking, topK);
    // The notice announces a quoted answer: a refusal gets none.
    return { type: "final", answer: answer.refused ? answer : { ...answer, notice: MESSAGES.llmFallback } };
  }

  /** The context as the model reads it: each article's title, source and date, then its numbered sentences. */
  private formatContext(context: readonly NumberedSentence[]): string {
    const byArticle = new Map<string, { article: ArticleRecord; entries: NumberedSentence[] }>();
    for (const entry of context) {
      const group = byArticle.get(entry.article.id);
      if (group) group.entries.push(entry);
      else byArticle.set(entry.article.id, { article: entry.article, entries: [entry] });
    }
    return [...byArticle.values()]
      .map(({ article, entries }) => {
        const about = [article.source, article.published].filter(Boolean).join("، ");
        const heading = `المقال: ${article.title}${about ? ` (${about})` : ""}`;
        return [heading, ...entries.map(({ n, sentence }) => `[${n}] ${sentence.text}`)].join("\n");
      })
      .join("\n\n");
  }
}

function describe(detail: unknown): unknown {
  return detail instanceof Error ? `${detail.name}: ${detail.message}` : detail;
}
