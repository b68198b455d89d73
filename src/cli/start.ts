import { createAnswerPipeline } from "../answer/index.js";
import { runConsoleChat } from "../console/index.js";
import { openIndex } from "../index/index.js";
import { formatAnswerText } from "./format.js";
import { EXIT, parseCommandLine, runMain, startRuntime, terminalProgress } from "./runtime.js";

const USAGE = `usage: npm start

Opens the console chat over the articles in CORPUS_DIR (default corpus/), building the index first
when it is missing or older than the articles. Type a question; /exit or Ctrl-D leaves.`;

async function main(): Promise<number> {
  if (parseCommandLine({}).values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const { config, logger } = startRuntime();
  const { index, built, seconds } = await openIndex({
    corpusDir: config.corpusDir,
    indexDir: config.indexDir,
    embeddings: config.embeddings,
    logger,
    onProgress: terminalProgress("embedding passages"),
  });
  logger.info({ built, seconds: Number(seconds.toFixed(2)), ...index.manifest.counts }, "index ready");
  const pipeline = await createAnswerPipeline({ index, chat: config.chat, topK: config.topK, logger });
  logger.info({ mode: pipeline.mode }, "answering");
  await runConsoleChat({
    answerer: pipeline.conversations,
    format: (answer) => formatAnswerText(answer, (doc) => index.document(doc)),
    input: process.stdin,
    output: process.stdout,
    onError: (error) => {
      logger.error({ err: error }, "a question failed");
    },
  });
  return EXIT.ok;
}

runMain(main, USAGE);
