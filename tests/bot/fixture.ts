import pino from "pino";
import type { AnswerPipeline } from "../../src/answer/index.js";
import { QuestionLimits, type BotDependencies } from "../../src/bot/index.js";

/** What the bot needs, over a pipeline, with generous limits and silent logs. */
export function botDependencies(pipeline: AnswerPipeline): BotDependencies {
  return {
    answerer: pipeline.answerer,
    conversations: pipeline.conversations,
    articles: () => pipeline.articles(),
    limits: new QuestionLimits({ perWindow: 100, concurrent: 8 }),
    maxQuestionLength: 1000,
    logger: pino({ level: "silent" }),
  };
}
