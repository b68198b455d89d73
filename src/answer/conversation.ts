import { readFollowUp } from "./follow-up.js";
import { readSmallTalk } from "./small-talk.js";
import type { Answer, AnswerEvent, Answerer } from "./types.js";
import { finalAnswer } from "./final-answer.js";

/** One question and the answer it got. */
export interface Turn {
  readonly question: string;
  readonly answer: string;
}

/**
 * Where conversations are kept: in this process ({@link ConversationMemory}) or shared by replicas (a
 * Redis store, src/state). A store that cannot be reached answers with no history and loses the turn:
 * a question is then answered as if it were the first, never refused for it.
 */
export interface ConversationStore {
  history(key: string): readonly Turn[] | Promise<readonly Turn[]>;
  remember(key: string, turn: Turn): void | Promise<void>;
  forget(key: string): void | Promise<void>;
}

/** Limits of {@link ConversationMemory}. */
export interface ConversationMemoryOptions {
  /** Turns kept per conversation. Defaults to 6. */
  maxTurns?: number;
  /** Conversations kept at once; the least recently used goes first. Defaults to 10,000. */
  maxConversations?: number;
  /** A conversation idle this long (milliseconds) is forgotten. Defaults to 30 minutes. */
  ttlMs?: number;
  /** The clock, for tests. Defaults to `Date.now`. */
  now?: () => number;
}

/**
 * The recent turns of each conversation (a private chat, a group topic, the console), bounded in turns,
 * in conversations and in time, so that memory cannot grow without limit and old talk does not leak into
 * new questions.
 */
export class ConversationMemory implements ConversationStore {
  private readonly conversations = new Map<string, { turns: Turn[]; touched: number }>();
  private readonly maxTurns: number;
  private readonly maxConversations: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ConversationMemoryOptions = {}) {
    this.maxTurns = options.maxTurns ?? 6;
    this.maxConversations = options.maxConversations ?? 10_000;
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The conversation's turns, oldest first; empty when it is unknown or has expired. */
  history(key: string): readonly Turn[] {
    const entry = this.conversations.get(key);
    if (!entry) return [];
    if (this.now() - entry.touched > this.ttlMs) {
      this.conversations.delete(key);
      return [];
    }
    return entry.turns;
  }

  /** Adds a turn to the conversation. */
  remember(key: string, turn: Turn): void {
    const turns = [...this.history(key), turn].slice(-this.maxTurns);
    // Re-inserting moves the key to the end: the map's order is least recently used first.
    this.conversations.delete(key);
    this.conversations.set(key, { turns, touched: this.now() });
    while (this.conversations.size > this.maxConversations) {
      const oldest = this.conversations.keys().next().value;
      if (oldest === undefined) break;
      this.conversations.delete(oldest);
    }
  }

  /** Forgets the conversation. */
  forget(key: string): void {
    this.conversations.delete(key);
  }
}

/** Turns a follow-up into a question that stands alone, given the conversation so far. */
export type QuestionRewriter = (history: readonly Turn[], question: string) => Promise<string>;

/**
 * The rewriter used without a language model: a follow-up ("ومتى حدث ذلك؟") is searched together with
 * the previous question, so that retrieval sees what "ذلك" is.
 */
export const joinFollowUp: QuestionRewriter = (history, question) => {
  const previous = history.at(-1);
  return Promise.resolve(previous ? `${previous.question} ${question}` : question);
};

/**
 * An answerer with memory: each question that the follow-up rule ({@link readFollowUp}) finds leaning on
 * the previous one is first made standalone from the conversation's history (a question that stands on
 * its own is asked as it is, and no model is called for it), then answered, and the turn is remembered
 * under the conversation's key. Greetings before a question are left out of the question; refusals and
 * replies that are no answer (greetings, thanks) are not remembered.
 */
export class ConversationalAnswerer {
  constructor(
    private readonly answerer: Answerer,
    private readonly memory: ConversationStore,
    private readonly rewrite: QuestionRewriter = joinFollowUp,
  ) {}

  /** The answer to a question in a conversation, streamed; the final answer carries the user's question. */
  async *stream(key: string, question: string): AsyncGenerator<AnswerEvent> {
    const history = await this.memory.history(key);
    const standalone = await this.standalone(history, question);
    for await (const event of this.answerer.stream(standalone)) {
      if (event.type === "final") {
        const answer: Answer = { ...event.answer, question };
        if (!answer.refused && answer.kind === undefined) {
          await this.memory.remember(key, { question: standalone, answer: answer.answer });
        }
        yield { type: "final", answer };
      } else {
        yield event;
      }
    }
  }

  /** The answer to a question in a conversation. */
  answer(key: string, question: string): Promise<Answer> {
    return finalAnswer(this.stream(key, question));
  }

  /** Forgets a conversation (the user asked to start over). */
  async forget(key: string): Promise<void> {
    await this.memory.forget(key);
  }

  /** The question to answer: the follow-up made standalone, or the question as it is. */
  private async standalone(history: readonly Turn[], question: string): Promise<string> {
    const previous = history.at(-1);
    const talk = readSmallTalk(question);
    // Small talk alone is the answerer's to reply to, even when it points back («شكراً على ذلك»).
    if (talk?.rest === "") return question;
    // Before a question, it is no part of it.
    const asked = talk ? talk.rest : question;
    if (!previous || !readFollowUp(previous.question, asked).followUp) return asked;
    return this.rewrite(history, asked);
  }
}
