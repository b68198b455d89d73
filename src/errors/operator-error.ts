/**
 * A problem an operator can fix (a bad setting, a missing or damaged file, a corpus that does not fit):
 * its message names the variable, file or command to fix it, so the command-line programs print that one
 * line and no stack trace. Any other error is a bug, and its stack is printed.
 *
 * @example
 * export class PromptFileError extends OperatorError {
 *   constructor(file: string, problem: string) {
 *     super(`prompt file ${file}: ${problem}`);
 *     this.name = "PromptFileError";
 *   }
 * }
 */
export class OperatorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "OperatorError";
  }
}
