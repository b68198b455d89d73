import { openIndex } from "../index/index.js";
import {
  EXIT,
  resolveFolders,
  runMain,
  startRuntime,
  terminalProgress,
  parseCommandLine,
} from "./runtime.js";

const USAGE = `usage: npm run reindex [-- --corpus DIR --index DIR]

Builds the search index of the articles in DIR (default: CORPUS_DIR or corpus/) and saves it
(default: INDEX_DIR or data/index), replacing the old one atomically.`;

async function main(): Promise<number> {
  const { values } = parseCommandLine({ corpus: { type: "string" }, index: { type: "string" } });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const { config, logger } = startRuntime();
  const folders = resolveFolders(config, values);
  const { index, corpus, seconds } = await openIndex({
    ...folders,
    embeddings: config.embeddings,
    logger,
    rebuild: true,
    onProgress: terminalProgress("embedding passages"),
  });
  const { counts, embeddings } = index.manifest;
  console.log(
    [
      `index: ${folders.indexDir}`,
      `documents: ${counts.documents}`,
      `sentences: ${counts.sentences}`,
      `passages: ${counts.passages}`,
      `embeddings: ${embeddings.provider}/${embeddings.model}/${embeddings.dimensions}`,
      `skipped files: ${corpus.problems.length}`,
      ...corpus.problems.map((problem) => `  ${problem.path}: ${problem.reason}`),
      `seconds: ${seconds.toFixed(2)}`,
    ].join("\n"),
  );
  return EXIT.ok;
}

runMain(main, USAGE);
