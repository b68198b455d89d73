import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

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
 * The program's one logger, on stderr (stdout is for results), with secrets redacted: JSON lines for
 * machines, or readable lines when stderr is a terminal.
 *
 * @example const log = createLogger("info"); log.info({ documents: 1 }, "index built");
 */
export function createLogger(level: string, readable = process.stderr.isTTY): Logger {
  const destination: DestinationStream = readable
    ? pretty({ destination: 2, sync: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss" })
    : pino.destination({ dest: 2, sync: true });
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: undefined },
    destination,
  );
}

/** A logger that drops everything: for library use and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
