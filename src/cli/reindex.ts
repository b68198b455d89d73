import { openIndex } from "../index/index.js";
import {
  EXIT,
  resolveFolders,
  runMain,
  startRuntime,
  terminalProgress,
  parseCommandLine,
} from "./runtime.js";

const USAGE = `usage: npm run reindex [-- --corpus DIR --index DIR --full]

Brings the search index of the articles in DIR (default: CORPUS_DIR or corpus/) up to date and saves
it (default: INDEX_DIR or data/index), replacing the old one atomically. Only articles that are new or
changed are analyzed and embedded; removed ones are dropped. --full builds everything from scratch.
A running bot or console picks the new index up by itself (or at once on SIGHUP).`;

const MB = 1024 * 1024;

async function main(): Promise<number> {
  const { values } = parseCommandLine({
    corpus: { type: "string" },
    index: { type: "string" },
    full: { type: "boolean" },
  });
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const { config, logger } = startRuntime();
  const folders = resolveFolders(config, values);
  const { index, corpus, seconds, update } = await openIndex({
    ...folders,
    embeddings: config.embeddings,
    logger,
    rebuild: values.full ? "full" : "incremental",
    memoryLimitBytes: config.maxIndexMemoryMb * MB,
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
      update
        ? `update: ${update.kept} kept, ${update.added} added, ${update.changed} changed, ${update.removed} removed` +
          (update.compacted ? " (vector graphs compacted)" : "")
        : "update: full build",
      `skipped files: ${corpus.problems.length}`,
      ...corpus.problems.map((problem) => `  ${problem.path}: ${problem.reason}`),
      `seconds: ${seconds.toFixed(2)}`,
    ].join("\n"),
  );
  return EXIT.ok;
}

runMain(main, USAGE);
