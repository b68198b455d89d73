import { OperatorError } from "../errors/index.js";

/** What to run to repair an index problem, unless a more precise command is known. */
export const REINDEX_HINT = "run npm run reindex";

/** An index that is missing, corrupt, or built with other settings than the current configuration. */
export class IndexLoadError extends OperatorError {
  /** The index folder. */
  readonly dir: string;
  /** What is wrong, without the folder and the hint. */
  readonly problem: string;

  /** `reindexCommand` names the exact command that repairs this index (with its folders). */
  constructor(dir: string, problem: string, options?: ErrorOptions & { reindexCommand?: string }) {
    super(
      `index at ${dir}: ${problem}; ${options?.reindexCommand ? `run ${options.reindexCommand}` : REINDEX_HINT}`,
      options,
    );
    this.name = "IndexLoadError";
    this.dir = dir;
    this.problem = problem;
  }
}

/** An index that could not be built (no articles, an embeddings server failing, a disk error). */
export class IndexBuildError extends OperatorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "IndexBuildError";
  }
}

/** The message of anything thrown, for an error that quotes it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
