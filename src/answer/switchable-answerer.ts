import type { Answer, AnswerEvent, Answerer } from "./types.js";

/**
 * An answerer whose underlying answerer can be replaced while it serves: each question is answered by
 * the answerer current when it was asked, so a question in flight finishes on the index it started on
 * while the next one already uses the new index.
 *
 * @example
 * const live = new SwitchableAnswerer(createAnswerer(oldIndex));
 * live.replace(createAnswerer(newIndex)); // questions already asked finish on oldIndex
 */
export class SwitchableAnswerer implements Answerer {
  private current: Answerer;

  constructor(initial: Answerer) {
    this.current = initial;
  }

  /** Serves the next questions with `next`. */
  replace(next: Answerer): void {
    this.current = next;
  }

  answer(question: string, options?: { readonly topK?: number }): Promise<Answer> {
    return this.current.answer(question, options);
  }

  stream(question: string, options?: { readonly topK?: number }): AsyncGenerator<AnswerEvent> {
    return this.current.stream(question, options);
  }
}
