import { OperatorError } from "../errors/index.js";

/** An evaluation file that cannot be used; the message names the file and what is wrong with it. */
export class EvalSetError extends OperatorError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "EvalSetError";
  }
}
