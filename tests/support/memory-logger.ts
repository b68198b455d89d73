import { pino } from "pino";
import type { Logger } from "../../src/log/index.js";

/** One JSON line a pino logger wrote. */
export interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A pino logger that keeps its JSON lines in memory, so that a test can read what was logged. */
export function memoryLogger(level: "debug" | "info" = "debug"): {
  logger: Logger;
  records: () => LogRecord[];
} {
  const lines: string[] = [];
  const logger = pino({ level, base: undefined }, { write: (line: string) => void lines.push(line) });
  return { logger, records: () => lines.map((line) => JSON.parse(line) as LogRecord) };
}
