import { ChatOpenAI } from "@langchain/openai";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatConfig } from "../config/index.js";
import type { SanadIndex } from "../index/index.js";
import { OutageLog, type Logger } from "../log/index.js";
import { articleRecord, type ArticleRecord } from "../retrieval/index.js";
import {
  ConversationalAnswerer,
  ConversationMemory,
  joinFollowUp,
  type ConversationStore,
  type QuestionRewriter,
} from "./conversation.js";
import { createAnswerer } from "./create-answerer.js";
import type { AnswerObserver } from "./observer.js";
import { DEFAULT_CONTEXT_SENTENCES, LlmAnswerer } from "./llm-answerer.js";
import { loadPrompts, type Prompts } from "./prompts.js";
import { modelTranslator } from "./question-translator.js";
import { SwitchableAnswerer } from "./switchable-answerer.js";
import { QuestionTriage, type QuestionTranslator } from "./triage.js";
import type { Answerer } from "./types.js";

/** The answer pipeline the interfaces use. */
export interface AnswerPipeline {
  /** How answers are written: by the model (verified, with the extractive fallback) or extractively. */
  readonly mode: "llm" | "extractive";
  /** Answers single questions, after the triage of greetings and questions not in Arabic. */
  readonly answerer: Answerer;
  /** The same answerer with per-conversation memory for follow-up questions. */
  readonly conversations: ConversationalAnswerer;
  /** The articles now answered from, in corpus order (for a list of sources). */
  articles(): readonly ArticleRecord[];
  /**
   * Serves the next questions from another index. Questions already being answered finish on the old
   * one; conversations keep their memory.
   */
  useIndex(index: SanadIndex): void;
}

/** Options of {@link createAnswerPipeline}. */
export interface AnswerPipelineOptions {
  readonly index: SanadIndex;
  /** The chat model's settings; without them answers are extractive. */
  readonly chat: ChatConfig | undefined;
  /** Sentences cited at most. */
  readonly topK: number;
  readonly logger: Logger;
  /** Told how long retrievals take and why a model's answer was replaced (metrics). */
  readonly observer?: AnswerObserver;
  /** Where conversations are kept; defaults to this process's memory. */
  readonly memory?: ConversationStore;
}

/**
 * Builds the answer pipeline over a loaded index: with a chat model configured, the LLM answerer (its
 * prompts loaded now, so that a broken prompt file stops start-up) with the extractive answerer behind
 * it; without one, the extractive answerer alone. In front of either, the {@link QuestionTriage}
 * (greetings, thanks, questions not in Arabic, which the model translates when there is one).
 *
 * @example const { conversations } = await createAnswerPipeline({ index, chat: config.chat, topK: 3, logger });
 */
export async function createAnswerPipeline(options: AnswerPipelineOptions): Promise<AnswerPipeline> {
  const observed = options.observer ? { observer: options.observer } : {};
  if (!options.chat) {
    const answererFor = (index: SanadIndex): Answerer =>
      createAnswerer(index, { topK: options.topK, ...observed });
    return servingPipeline({
      mode: "extractive",
      initial: options.index,
      answererFor,
      memory: options.memory,
    });
  }
  const chat = options.chat;
  const prompts = await loadPrompts(chat.promptsDir);
  const model = chatModel(chat);
  const deadlineMs = deadlineOf(chat);
  const outages = new OutageLog(
    options.logger,
    `the model server at ${chat.baseURL ?? "api.openai.com"} (OPENAI_BASE_URL)`,
  );
  const answererFor = (index: SanadIndex): Answerer =>
    new LlmAnswerer({
      extractive: createAnswerer(index, { topK: options.topK, ...observed }),
      model,
      prompts,
      topK: options.topK,
      contextSentences: Math.max(DEFAULT_CONTEXT_SENTENCES, options.topK),
      deadlineMs,
      logger: options.logger,
      outages,
      ...observed,
    });
  return servingPipeline({
    mode: "llm",
    initial: options.index,
    answererFor,
    memory: options.memory,
    rewrite: modelRewriter(model, prompts, deadlineMs, options.logger),
    translate: modelTranslator(model, prompts.translateQuestion, deadlineMs, options.logger),
  });
}

/** What {@link servingPipeline} is made of. */
interface ServingParts {
  readonly mode: AnswerPipeline["mode"];
  readonly initial: SanadIndex;
  readonly answererFor: (index: SanadIndex) => Answerer;
  readonly memory: ConversationStore | undefined;
  /** Makes follow-ups standalone. Defaults to joining them to the previous question. */
  readonly rewrite?: QuestionRewriter;
  /** Translates questions not in Arabic; without it they get the reply that questions are in Arabic. */
  readonly translate?: QuestionTranslator;
}

/**
 * A pipeline over a replaceable index: the answerers are rebuilt for each new index and swapped in. An
 * answer begun on the old index finishes on it, and its citations carry their articles, so nothing of
 * the old index has to be kept for it.
 */
function servingPipeline(parts: ServingParts): AnswerPipeline {
  const { mode, initial, answererFor } = parts;
  let articles = initial.documents.map(articleRecord);
  const live = new SwitchableAnswerer(answererFor(initial));
  const answerer = new QuestionTriage({
    answerer: live,
    ...(parts.translate ? { translate: parts.translate } : {}),
  });
  return {
    mode,
    answerer,
    conversations: new ConversationalAnswerer(
      answerer,
      parts.memory ?? new ConversationMemory(),
      parts.rewrite,
    ),
    articles: () => articles,
    useIndex(index) {
      // Built before anything is replaced: a failure leaves the old index serving.
      const next = answererFor(index);
      articles = index.documents.map(articleRecord);
      live.replace(next);
    },
  };
}

/** ChatOpenAI against any OpenAI-compatible server, with bounded retries and timeouts. */
export function chatModel(chat: ChatConfig): BaseChatModel {
  return new ChatOpenAI({
    model: chat.model,
    apiKey: chat.apiKey,
    temperature: chat.temperature,
    timeout: chat.timeoutMs,
    maxRetries: chat.maxRetries,
    // Many local servers reject stream_options; usage figures are not needed.
    streamUsage: false,
    // The client's own console logging is off: failures reach the logger through the fallback.
    configuration: { logLevel: "off", ...(chat.baseURL ? { baseURL: chat.baseURL } : {}) },
  });
}

/** Longest a model call may take with its retries, before the extractive answer is given instead. */
function deadlineOf(chat: ChatConfig): number {
  return chat.timeoutMs * (chat.maxRetries + 1) + 1000;
}

/**
 * Rewrites a follow-up with the model (the condense-question prompt); on any failure, or an empty or
 * multi-line reply, falls back to searching the follow-up with the previous question.
 */
function modelRewriter(
  model: BaseChatModel,
  prompts: Prompts,
  deadlineMs: number,
  logger: Logger,
): QuestionRewriter {
  return async (history, question) => {
    try {
      const messages = await prompts.condenseQuestion.formatMessages({
        history: history.map((turn) => `س: ${turn.question}\nج: ${turn.answer}`).join("\n"),
        question,
      });
      const reply = await model.invoke(messages, { signal: AbortSignal.timeout(deadlineMs) });
      const standalone = typeof reply.content === "string" ? reply.content.trim() : "";
      if (standalone !== "" && !standalone.includes("\n")) return standalone;
      logger.info({ reply: standalone.slice(0, 200) }, "unusable rewrite of a follow-up question");
    } catch (error) {
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "follow-up rewrite failed",
      );
    }
    return joinFollowUp(history, question);
  };
}
