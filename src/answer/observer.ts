import type { Evidence, PassageRetriever, RetrieveOptions } from "../retrieval/index.js";

/** Why a model's answer was not given: what an operator counts to see the model server's health. */
export type ModelErrorKind = "unreachable" | "refused" | "server-error" | "unverified";

/**
 * What the answer pipeline reports as it works, for an operator's metrics; it is told, it never asks.
 * Every method is optional: a pipeline without an observer reports nothing.
 */
export interface AnswerObserver {
  /** One retrieval took this long. */
  retrieval?(seconds: number): void;
  /** A model's answer was replaced by the extractive one, for this reason. */
  modelError?(kind: ModelErrorKind): void;
}

/** The retriever, timed: each retrieval's duration goes to the observer. */
export function timedRetriever(retriever: PassageRetriever, observer: AnswerObserver): PassageRetriever {
  return {
    async retrieve(question: string, options?: RetrieveOptions): Promise<Evidence> {
      const started = performance.now();
      try {
        return await retriever.retrieve(question, options);
      } finally {
        observer.retrieval?.((performance.now() - started) / 1000);
      }
    },
  };
}

/** The kind of a failed model call, from the error the client threw. */
export function modelErrorKind(error: unknown): ModelErrorKind {
  const status = (error as { status?: unknown } | undefined)?.status;
  if (typeof status !== "number") return "unreachable";
  return status >= 500 ? "server-error" : "refused";
}
