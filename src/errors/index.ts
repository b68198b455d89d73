/** Errors shared by every stage: the base class of the problems an operator can fix. */
export { OperatorError } from "./operator-error.js";
