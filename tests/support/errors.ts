/** The error an action throws, for tests that check an error's class, fields and message. */

/** A class of errors, as `instanceof` takes it. */
type ErrorClass<T extends Error> = abstract new (...args: never[]) => T;

/**
 * The error of class `type` that `action` throws, or that the promise it returns rejects with: returned
 * as it is when `action` is synchronous, as a promise when it returns one. Fails the test when nothing is
 * thrown, or an error of another class is: a check of an error's message must never pass because there
 * was no error to check.
 *
 * @example
 * expect(errorOf(() => loadConfig({ TOP_K: "0" }), ConfigError).message).toContain("TOP_K");
 * expect((await errorOf(() => loadPrompts(dir), PromptFileError)).file).toBe(file);
 */
export function errorOf<T extends Error>(action: () => Promise<unknown>, type: ErrorClass<T>): Promise<T>;
export function errorOf<T extends Error>(action: () => unknown, type: ErrorClass<T>): T;
export function errorOf<T extends Error>(action: () => unknown, type: ErrorClass<T>): T | Promise<T> {
  let result: unknown;
  try {
    result = action();
  } catch (error) {
    return expectClass(error, type);
  }
  if (result instanceof Promise) {
    return result.then(
      () => {
        throw new Error(`expected a ${type.name}, but the promise resolved`);
      },
      (error: unknown) => expectClass(error, type),
    );
  }
  throw new Error(`expected a ${type.name}, but nothing was thrown`);
}

function expectClass<T extends Error>(error: unknown, type: ErrorClass<T>): T {
  if (error instanceof type) return error;
  throw new Error(`expected a ${type.name}, got ${String(error)}`, { cause: error });
}
