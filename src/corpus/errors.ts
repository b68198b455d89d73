import { OperatorError } from "../errors/index.js";

/** Hint appended to folder errors: the two ways an operator can point the program at the articles. */
const CORPUS_DIR_HINT = "Pass --corpus DIR or set CORPUS_DIR to the folder that holds the article files.";

/** A corpus file that cannot be turned into an article; `reason` tells an operator what to fix. */
export class CorpusFileError extends OperatorError {
  /** Path of the offending file, as given to the loader. */
  readonly path: string;
  /** What is wrong with the file, without the path. */
  readonly reason: string;

  /** Creates the error; the message is `${path}: ${reason}` so logs show both. */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(`${path}: ${reason}`, options);
    this.name = "CorpusFileError";
    this.path = path;
    this.reason = reason;
  }
}

/** The corpus folder itself is unusable (missing, not a folder, unreadable); nothing can be loaded. */
export class CorpusDirectoryError extends OperatorError {
  /** The folder that was asked for. */
  readonly dir: string;
  /** What is wrong with the folder, without the hint. */
  readonly reason: string;

  /** Creates the error; the message names the folder and how to choose another one. */
  constructor(dir: string, reason: string, options?: ErrorOptions) {
    super(`corpus folder ${dir}: ${reason}. ${CORPUS_DIR_HINT}`, options);
    this.name = "CorpusDirectoryError";
    this.dir = dir;
    this.reason = reason;
  }
}
