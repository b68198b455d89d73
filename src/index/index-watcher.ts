import { unwatchFile, watchFile, type Stats } from "node:fs";
import path from "node:path";
import type { EmbeddingsConfig } from "../config/index.js";
import type { Logger } from "../log/index.js";
import { IndexLoadError } from "./errors.js";
import { MANIFEST_FILE } from "./manifest.js";
import { SanadIndex } from "./sanad-index.js";

/** Options of {@link watchIndex}. */
export interface IndexWatcherOptions {
  readonly indexDir: string;
  readonly embeddings: EmbeddingsConfig;
  readonly logger: Logger;
  /** The index being served now: a manifest with its build time is not loaded again. */
  readonly current: SanadIndex;
  /** Called with each new index once it has loaded completely. */
  readonly onIndex: (index: SanadIndex) => void;
  /** How often the manifest is checked, in milliseconds; 0 checks only when {@link IndexWatcher.reload} is called. */
  readonly intervalMs: number;
}

/** A running watch over an index folder. */
export interface IndexWatcher {
  /**
   * Checks the manifest now and loads the index when it is another build than the one serving (what
   * SIGHUP does). Resolves to true when a new index was loaded; never rejects: a failure is logged and
   * the index serving goes on.
   */
  reload(): Promise<boolean>;
  /** Stops watching. */
  close(): void;
}

/** Pause before the one retry of a failed load: `npm run reindex` may be swapping the folder. */
const RETRY_DELAY_MS = 250;

/**
 * Watches the manifest of the index folder (stat polling, which survives the folder being renamed into
 * place by `npm run reindex`) and loads each new index in the background. A new index that fails to load
 * is logged with the reason and the command to repair it, and the old one keeps serving.
 *
 * @example
 * const watcher = watchIndex({ indexDir, embeddings, logger, current: index, intervalMs: 2000,
 *   onIndex: (next) => pipeline.useIndex(next) });
 * process.on("SIGHUP", () => void watcher.reload());
 */
export function watchIndex(options: IndexWatcherOptions): IndexWatcher {
  const { indexDir, logger } = options;
  const manifestFile = path.join(indexDir, MANIFEST_FILE);
  let servingBuild = options.current.manifest.builtAt;
  let failedBuild: string | undefined;
  // One check at a time: a poll and a SIGHUP at the same moment load the index once.
  let queue: Promise<boolean> = Promise.resolve(false);

  const check = async (explicit: boolean): Promise<boolean> => {
    let attempted: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const manifest = await SanadIndex.readManifest(indexDir);
        attempted = manifest?.builtAt;
        if (!manifest || manifest.builtAt === servingBuild) return false;
        // A build that failed to load is not retried on every poll, only when asked (SIGHUP).
        if (manifest.builtAt === failedBuild && !explicit) return false;
        const started = performance.now();
        const index = await SanadIndex.load(indexDir, options.embeddings);
        options.onIndex(index);
        servingBuild = index.manifest.builtAt;
        failedBuild = undefined;
        logger.info(
          {
            indexDir,
            builtAt: servingBuild,
            ...index.manifest.counts,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          },
          "new index loaded; answering from it",
        );
        return true;
      } catch (error) {
        if (attempt < 2 && error instanceof IndexLoadError) {
          await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
          continue;
        }
        // The build that failed, as read before loading it: a build saved since is still to be tried.
        failedBuild = attempted;
        logger.error(
          { indexDir, err: error instanceof Error ? error.message : String(error) },
          "the new index failed to load; still answering from the previous one",
        );
        return false;
      }
    }
  };

  const enqueue = (explicit: boolean): Promise<boolean> => {
    queue = queue.then(() => check(explicit));
    return queue;
  };

  const onChange = (current: Stats, previous: Stats): void => {
    if (current.mtimeMs !== previous.mtimeMs || current.ino !== previous.ino) void enqueue(false);
  };
  if (options.intervalMs > 0) {
    watchFile(manifestFile, { interval: options.intervalMs, persistent: false }, onChange);
  }
  return {
    reload: () => enqueue(true),
    close: () => {
      unwatchFile(manifestFile, onChange);
    },
  };
}
