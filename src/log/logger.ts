import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/**
 * Fields that may hold secrets. Redacted wherever they appear in a log line, so that an error object or
 * a configuration logged by mistake never prints a key.
 */
const REDACTED_PATHS = [
  "apiKey",
  "*.apiKey",
  "*.*.apiKey",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "*.headers.authorization",
];

/**
 * The program's one logger: JSON lines on stderr (stdout is for results), with secrets redacted.
 *
 * @example const log = createLogger("info"); log.info({ documents: 1 }, "index built");
 */
export function createLogger(level: string): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: undefined },
    pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything: for library use and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
