import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Answer, AnswerObserver, ModelErrorKind } from "../answer/index.js";

/** What became of a question, as an operator counts it. */
export type QuestionOutcome = "answered" | "hedged" | "refused" | "fallback" | "failed";

/** The outcome of a question from its answer (a failure has no answer: see {@link SanadMetrics.failed}). */
export function outcomeOf(answer: Answer): QuestionOutcome {
  if (answer.notice !== undefined) return "fallback";
  if (answer.refused) return "refused";
  return answer.confidence === "low" ? "hedged" : "answered";
}

/** What the metrics read when they are scraped: the state of the serving process. */
export interface MetricSources {
  /** Answers waiting for a free slot (MAX_CONCURRENT_ANSWERS). */
  readonly queueDepth: () => number;
  /** Updates received and not finished (the update journal, or the replicas' shared stream). */
  readonly pendingUpdates: () => number;
  /** The index served: how many articles, and when it was built (ISO time). */
  readonly index: () => { readonly documents: number; readonly builtAt: string };
}

/** Latency buckets, in seconds: from a quoted answer (milliseconds) to a model's (seconds). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Sanad's metrics in Prometheus' format (prom-client), on a registry of their own: questions by mode and
 * outcome, answer and retrieval latency, model and Telegram errors by kind, queue depth and pending
 * updates, the index's size and age, and Node's own process metrics. It is an {@link AnswerObserver},
 * so the answer pipeline reports to it without knowing of it.
 */
export class SanadMetrics implements AnswerObserver {
  readonly registry = new Registry();
  private readonly questions: Counter<"mode" | "outcome">;
  private readonly answerSeconds: Histogram<"mode">;
  private readonly retrievalSeconds: Histogram;
  private readonly modelErrors: Counter<"kind">;
  private readonly telegramErrors: Counter<"kind">;

  constructor(
    /** How answers are written by default (llm or extractive): the mode of a question that failed. */
    private readonly mode: "llm" | "extractive",
    sources: MetricSources,
  ) {
    const registers = [this.registry];
    this.questions = new Counter({
      name: "sanad_questions_total",
      help: "Questions answered, by how the answer was written and what became of it.",
      labelNames: ["mode", "outcome"],
      registers,
    });
    this.answerSeconds = new Histogram({
      name: "sanad_answer_seconds",
      help: "Time from a question to its verified answer.",
      labelNames: ["mode"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.retrievalSeconds = new Histogram({
      name: "sanad_retrieval_seconds",
      help: "Time of one retrieval (lexical and vector search, fused).",
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.modelErrors = new Counter({
      name: "sanad_model_errors_total",
      help: "Model answers replaced by quoted ones, by reason.",
      labelNames: ["kind"],
      registers,
    });
    this.telegramErrors = new Counter({
      name: "sanad_telegram_errors_total",
      help: "Failed Bot API calls, by kind (network, 429, 5xx, 4xx), retries included.",
      labelNames: ["kind"],
      registers,
    });
    new Gauge({
      name: "sanad_answer_queue_depth",
      help: "Answers waiting for a free slot.",
      registers,
      collect() {
        this.set(sources.queueDepth());
      },
    });
    new Gauge({
      name: "sanad_pending_updates",
      help: "Updates received and not yet answered: the update journal, or the shared stream with Redis.",
      registers,
      collect() {
        this.set(sources.pendingUpdates());
      },
    });
    new Gauge({
      name: "sanad_index_documents",
      help: "Articles in the index served.",
      registers,
      collect() {
        this.set(sources.index().documents);
      },
    });
    new Gauge({
      name: "sanad_index_age_seconds",
      help: "Seconds since the index served was built.",
      registers,
      collect() {
        this.set(Math.max(0, (Date.now() - Date.parse(sources.index().builtAt)) / 1000));
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** A question answered (or hedged, refused, answered from the fallback) in `seconds`. */
  answered(answer: Answer, seconds: number): void {
    this.questions.inc({ mode: answer.mode, outcome: outcomeOf(answer) });
    this.answerSeconds.observe({ mode: answer.mode }, seconds);
  }

  /** A question that got no answer: the pipeline or the delivery failed. */
  failed(): void {
    this.questions.inc({ mode: this.mode, outcome: "failed" });
  }

  retrieval(seconds: number): void {
    this.retrievalSeconds.observe(seconds);
  }

  modelError(kind: ModelErrorKind): void {
    this.modelErrors.inc({ kind });
  }

  /** A Bot API call failed: "network", "429", "5xx" or "4xx". */
  telegramError(kind: "network" | "429" | "5xx" | "4xx"): void {
    this.telegramErrors.inc({ kind });
  }

  /** The metrics as Prometheus scrapes them, with their content type. */
  async scrape(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
