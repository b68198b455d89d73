import type { EmbeddingsConfig } from "../config/index.js";
import { loadCorpus, type Corpus } from "../corpus/index.js";
import type { Logger } from "../log/index.js";
import { IndexBuildError } from "./errors.js";
import { corpusFingerprint } from "./manifest.js";
import { SanadIndex, type BuildProgress } from "./sanad-index.js";

/** Options of {@link openIndex}. */
export interface OpenIndexOptions {
  readonly corpusDir: string;
  readonly indexDir: string;
  readonly embeddings: EmbeddingsConfig;
  readonly logger: Logger;
  /** Rebuild even when the saved index is up to date. */
  readonly rebuild?: boolean;
  readonly onProgress?: BuildProgress;
}

/** An index ready for questions, and what it took to get it. */
export interface OpenedIndex {
  readonly index: SanadIndex;
  readonly corpus: Corpus;
  /** True when the index was (re)built now rather than loaded. */
  readonly built: boolean;
  readonly seconds: number;
}

/**
 * Loads the saved index of a corpus, or builds and saves it when it is missing, older than the corpus
 * (its content fingerprint differs) or a rebuild is asked for. Bad corpus files are logged with their
 * reason and left out; an index built with other embedding settings is an error that says to reindex.
 */
export async function openIndex(options: OpenIndexOptions): Promise<OpenedIndex> {
  const started = performance.now();
  const { corpusDir, indexDir, logger } = options;
  const corpus = await loadCorpus(corpusDir);
  for (const problem of corpus.problems) {
    logger.warn({ file: problem.path, reason: problem.reason }, "corpus file skipped");
  }
  if (corpus.articles.length === 0) {
    throw new IndexBuildError(`no article could be loaded from ${corpusDir}: add .md or .txt files there`);
  }
  const fingerprint = corpusFingerprint(corpus.articles);
  const manifest = options.rebuild ? undefined : await SanadIndex.readManifest(indexDir);
  const seconds = (): number => (performance.now() - started) / 1000;
  if (manifest?.corpusHash === fingerprint) {
    const index = await SanadIndex.load(indexDir, options.embeddings);
    return { index, corpus, built: false, seconds: seconds() };
  }
  logger.info(
    { corpusDir, indexDir, reason: options.rebuild ? "asked" : manifest ? "corpus changed" : "no index yet" },
    "building the index",
  );
  const index = await SanadIndex.build(corpus.articles, options.embeddings, options.onProgress);
  await index.save(indexDir);
  return { index, corpus, built: true, seconds: seconds() };
}
