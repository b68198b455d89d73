/** What to run to repair any index problem. */
export const REINDEX_HINT = "run npm run reindex";

/** An index that is missing, corrupt, or built with other settings than the current configuration. */
export class IndexLoadError extends Error {
  /** The index folder. */
  readonly dir: string;

  constructor(dir: string, problem: string, options?: ErrorOptions) {
    super(`index at ${dir}: ${problem}; ${REINDEX_HINT}`, options);
    this.name = "IndexLoadError";
    this.dir = dir;
  }
}

/** An index that could not be built (no articles, an embeddings server failing, a disk error). */
export class IndexBuildError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IndexBuildError";
  }
}
