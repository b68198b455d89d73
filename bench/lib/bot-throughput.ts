/**
 * The bot's throughput and latency with many chats asking at once: grammY's runner against the Bot API
 * stand-in on 127.0.0.1 (the same one the end-to-end tests use), compared with the answer pipeline
 * called directly with the same questions.
 */
import { createAnswerPipeline } from "../../src/answer/index.js";
import { DEFAULT_HASHING_DIMENSIONS, DEFAULT_TOP_K } from "../../src/config/index.js";
import { createBot, QuestionLimits, startBot } from "../../src/bot/index.js";
import { loadCorpus } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { silentLogger } from "../../src/log/index.js";
import { startBotApiStandIn } from "../../tests/support/bot-api-stand-in.js";
import { summarize, type Summary } from "./stats.js";

export interface BotMeasurement {
  readonly chats: number;
  readonly rounds: number;
  readonly bot: Summary;
  readonly botPerSecond: number;
  readonly direct: Summary;
  readonly directPerSecond: number;
}

/** First chat id of the simulated users. */
const FIRST_CHAT = 5_000;

export async function measureBot(
  corpusDir: string,
  questions: readonly string[],
  options: { chats: number; rounds: number },
): Promise<BotMeasurement> {
  const { articles } = await loadCorpus(corpusDir);
  const index = await SanadIndex.build(articles, {
    provider: "hashing",
    dimensions: DEFAULT_HASHING_DIMENSIONS,
  });
  const logger = silentLogger();
  const pipeline = await createAnswerPipeline({ index, chat: undefined, topK: DEFAULT_TOP_K, logger });
  const server = await startBotApiStandIn();
  const bot = createBot(
    {
      answerer: pipeline.answerer,
      conversations: pipeline.conversations,
      articles: () => pipeline.articles(),
      // Generous limits: the bench measures the bot, not its rate limiting.
      limits: new QuestionLimits({ perWindow: 1_000_000, concurrent: options.chats }),
      maxQuestionLength: 1000,
      logger,
    },
    { token: server.token, apiRoot: server.apiRoot },
  );
  const handle = await startBot(bot);
  const question = (chat: number, round: number): string =>
    questions[(chat * 7 + round) % questions.length] ?? "";
  try {
    const latencies: number[] = [];
    let botMs = 0;
    let sent = 0;
    // Round 0 warms up and is not counted.
    for (let round = 0; round <= options.rounds; round++) {
      const asked = new Map<number, number>();
      const started = Date.now();
      for (let c = 0; c < options.chats; c++) {
        asked.set(FIRST_CHAT + c, Date.now());
        server.privateText(FIRST_CHAT + c, question(c, round));
      }
      const calls = await server.waitForCalls("sendMessage", sent + options.chats, 60_000);
      const fresh = calls.slice(sent);
      sent += options.chats;
      if (round === 0) continue;
      botMs += Math.max(...fresh.map((call) => call.at)) - started;
      for (const call of fresh)
        latencies.push(call.at - (asked.get(Number(call.payload.chat_id)) ?? started));
    }
    const direct: number[] = [];
    let directMs = 0;
    for (let round = 1; round <= options.rounds; round++) {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: options.chats }, async (_, c) => {
          const t = performance.now();
          await pipeline.conversations.answer(`bench:${c}`, question(c, round));
          direct.push(performance.now() - t);
        }),
      );
      directMs += performance.now() - started;
    }
    const total = options.chats * options.rounds;
    return {
      chats: options.chats,
      rounds: options.rounds,
      bot: summarize(latencies),
      botPerSecond: total / (botMs / 1000),
      direct: summarize(direct),
      directPerSecond: total / (directMs / 1000),
    };
  } finally {
    await handle.stop();
    await server.close();
  }
}
