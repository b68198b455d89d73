import path from "node:path";
import pino from "pino";
import type { AnswerPipeline } from "../../src/answer/index.js";
import { QuestionLimits, type BotDependencies } from "../../src/bot/index.js";
import { loadCorpus } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";

/** The repository root. */
export const ROOT = path.resolve(import.meta.dirname, "../..");

/** The real corpus, indexed small (hashing, 512 dimensions) for quick end-to-end tests. */
export async function corpusIndex(): Promise<SanadIndex> {
  const { articles } = await loadCorpus(path.join(ROOT, "corpus"));
  return SanadIndex.build(articles, { provider: "hashing", dimensions: 512 });
}

/** What the bot needs, over a pipeline and its index, with generous limits and silent logs. */
export function botDependencies(index: SanadIndex, pipeline: AnswerPipeline): BotDependencies {
  return {
    answerer: pipeline.answerer,
    conversations: pipeline.conversations,
    documents: () => index.documents,
    documentOf: (id) => index.document(id),
    limits: new QuestionLimits({ perWindow: 100, concurrent: 8 }),
    maxQuestionLength: 1000,
    logger: pino({ level: "silent" }),
  };
}
