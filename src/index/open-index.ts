import type { EmbeddingsConfig } from "../config/index.js";
import { loadCorpus, type Corpus } from "../corpus/index.js";
import type { Logger } from "../log/index.js";
import { IndexBuildError, IndexLoadError } from "./errors.js";
import { corpusFingerprint, formatProblem } from "./manifest.js";
import type { ParallelBuildOptions } from "./hnsw-store.js";
import type { BuildProgress } from "./embeddings-provider.js";
import { SanadIndex, type UpdateSummary } from "./sanad-index.js";

/** Options of {@link openIndex}. */
export interface OpenIndexOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  readonly embeddings: EmbeddingsConfig;
  readonly logger: Logger;
  /**
   * `full`: build from scratch even when the saved index is up to date. `incremental`: bring the saved
   * index up to date, re-embedding only the articles that changed (a full build when there is no usable
   * saved index). Unset: load the saved index when it is current, else as `incremental`.
   */
  readonly rebuild?: "full" | "incremental";
  readonly onProgress?: BuildProgress;
  /** Memory the index may take when serving (MAX_INDEX_MEMORY_MB), checked before building. */
  readonly memoryLimitBytes?: number;
  readonly parallel?: ParallelBuildOptions;
}

/** An index ready for questions, and what it took to get it. */
export interface OpenedIndex {
  readonly index: SanadIndex;
  readonly corpus: Corpus;
  /** True when the index was (re)built now rather than loaded. */
  readonly built: boolean;
  /**
   * What an incremental update did, when the index was updated rather than built from scratch. With
   * `rebuild` set, an updated index is for reporting: vector graphs the update did not change are left
   * unread (call `index.loadDeferred()` to search it).
   */
  readonly update?: UpdateSummary;
  readonly seconds: number;
}

/**
 * Loads the saved index of a corpus, or builds and saves it when it is missing, older than the corpus
 * (its content fingerprint differs), of another format version (written by another version of Sanad:
 * rebuilt from scratch, with the reason logged) or a rebuild is asked for. Bad corpus files are logged
 * with their reason and left out; an index built with other embedding settings is an error that says to
 * reindex.
 */
export async function openIndex(options: OpenIndexOptions): Promise<OpenedIndex> {
  const started = performance.now();
  const { corpusDir, indexDir, logger } = options;
  // An update asked for reads the saved index first, so that only the articles that changed are parsed.
  const early = options.rebuild === "incremental" ? await loadPrevious(indexDir, options, logger) : undefined;
  const corpus = await loadCorpus(corpusDir, { known: early?.knownArticles() });
  for (const problem of corpus.problems) {
    logger.warn({ file: problem.path, reason: problem.reason }, "corpus file skipped");
  }
  if (corpus.articles.length === 0) {
    throw new IndexBuildError(`no article could be loaded from ${corpusDir}: add .md or .txt files there`);
  }
  const fingerprint = corpusFingerprint(corpus.articles);
  const seconds = (): number => (performance.now() - started) / 1000;
  const reindexCommand = `npm run reindex -- --corpus ${corpusDir} --index ${indexDir}`;
  try {
    const loaded =
      options.rebuild === undefined
        ? await loadIfCurrent(indexDir, fingerprint, options.embeddings)
        : undefined;
    if (loaded) return { index: loaded, corpus, built: false, seconds: seconds() };
  } catch (error) {
    if (!(error instanceof IndexLoadError)) throw error;
    // The hint names the folders this command used, so that the suggested command repairs this index.
    throw new IndexLoadError(indexDir, error.problem, { cause: error, reindexCommand });
  }
  const { onProgress, memoryLimitBytes, parallel } = options;
  const buildOptions = { onProgress, memoryLimitBytes, parallel };
  const previous = options.rebuild === undefined ? await loadPrevious(indexDir, options, logger) : early;
  if (previous) {
    logger.info({ corpusDir, indexDir }, "updating the index: only changed articles are embedded");
    const { index, summary } = await SanadIndex.update(
      previous,
      corpus.articles,
      options.embeddings,
      buildOptions,
    );
    await index.save(indexDir);
    // A reindex command only saves the index; a caller that answers from it needs every graph read
    // (and checked: the update took the graphs it did not change on their size alone).
    if (options.rebuild === undefined) await loadDeferred(index, indexDir, reindexCommand);
    return { index, corpus, built: true, update: summary, seconds: seconds() };
  }
  logger.info(
    { corpusDir, indexDir, reason: options.rebuild === "full" ? "asked" : "missing, or not usable" },
    "building the index",
  );
  const index = await SanadIndex.build(corpus.articles, options.embeddings, buildOptions);
  await index.save(indexDir);
  return { index, corpus, built: true, seconds: seconds() };
}

/** Reads what an update left unread; a damaged file is an IndexLoadError that names the command. */
async function loadDeferred(index: SanadIndex, indexDir: string, reindexCommand: string): Promise<void> {
  try {
    await index.loadDeferred();
  } catch (error) {
    if (!(error instanceof IndexLoadError)) throw error;
    throw new IndexLoadError(indexDir, error.problem, {
      cause: error,
      reindexCommand: `${reindexCommand} --full`,
    });
  }
}

/**
 * The saved index to update, or undefined (with the reason logged) when there is none or it cannot be
 * used: of another format version, built with other settings, or damaged. Then the index is built from
 * scratch: the words and vectors of another format are never reused.
 */
async function loadPrevious(
  indexDir: string,
  options: OpenIndexOptions,
  logger: Logger,
): Promise<SanadIndex | undefined> {
  try {
    const manifest = await SanadIndex.readManifest(indexDir);
    if (!manifest) return undefined;
    const problem = formatProblem(manifest);
    if (problem) {
      logger.info(
        { indexDir, reason: problem },
        "the saved index was written by another version of Sanad; building it from scratch",
      );
      return undefined;
    }
    return await SanadIndex.loadForUpdate(indexDir, options.embeddings);
  } catch (error) {
    if (!(error instanceof IndexLoadError)) throw error;
    logger.warn(
      { indexDir, reason: error.problem },
      "the saved index cannot be updated; building it from scratch",
    );
    return undefined;
  }
}

/** Pause before the one retry of a load that failed: another process may have been swapping the index. */
const LOAD_RETRY_DELAY_MS = 250;

/**
 * The saved index if it was built from this corpus in this format version, else undefined. A load that
 * fails is tried once more after a pause: a reindex in another process replaces the folder with two
 * renames, and a reader caught between them would otherwise report a missing or corrupt index.
 */
async function loadIfCurrent(
  indexDir: string,
  fingerprint: string,
  embeddings: EmbeddingsConfig,
): Promise<SanadIndex | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      const manifest = await SanadIndex.readManifest(indexDir);
      if (!manifest || manifest.corpusHash !== fingerprint || formatProblem(manifest)) return undefined;
      return await SanadIndex.load(indexDir, embeddings);
    } catch (error) {
      if (attempt >= 2 || !(error instanceof IndexLoadError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, LOAD_RETRY_DELAY_MS));
    }
  }
}
