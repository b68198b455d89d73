import { createHash } from "node:crypto";
import path from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { config as loadDotenv } from "dotenv";
import { loadConfig, type SanadConfig } from "../config/index.js";
import { OperatorError } from "../errors/index.js";
import { createLogger, type Logger } from "../log/index.js";

/** Exit codes of the command-line programs. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A mistake in how a command was called; printed with the command's usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * Parses a command's arguments (strictly: unknown flags are errors) and adds `--help`/`-h`; a mistake
 * becomes a {@link UsageError}, which prints the usage.
 */
export function parseCommandLine<const T extends NonNullable<ParseArgsConfig["options"]>>(
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** What every command starts from: the validated configuration and the logger. */
export interface Runtime {
  readonly config: SanadConfig;
  readonly logger: Logger;
}

/** Reads `.env` (if present) and the environment once, and makes the logger. */
export function startRuntime(): Runtime {
  loadDotenv({ quiet: true });
  const config = loadConfig(process.env);
  return { config, logger: createLogger(config.logLevel) };
}

/**
 * The folders a command works on. A corpus given on the command line without an index gets an index
 * of its own under the default index's parent, named after the corpus's absolute path, so that asking
 * about another corpus never overwrites the default index.
 */
export function resolveFolders(
  config: SanadConfig,
  flags: { readonly corpus?: string | undefined; readonly index?: string | undefined },
): { corpusDir: string; indexDir: string } {
  const corpusDir = flags.corpus ?? config.corpusDir;
  if (flags.index) return { corpusDir, indexDir: flags.index };
  if (!flags.corpus) return { corpusDir, indexDir: config.indexDir };
  const key = createHash("sha256").update(path.resolve(flags.corpus)).digest("hex").slice(0, 12);
  return { corpusDir, indexDir: path.join(path.dirname(path.resolve(config.indexDir)), "corpora", key) };
}

/**
 * Runs a command's main function: prints a usage error with the usage text (exit 2) and any other error
 * as one line naming what to fix (exit 1), never a stack trace for an expected problem.
 */
export function runMain(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`error: ${error.message}\n\n${usage}`);
        process.exitCode = EXIT.usage;
        return;
      }
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      // A problem an operator can fix says what to fix in one line; anything else is a bug, and its
      // stack helps.
      if (error instanceof Error && !(error instanceof OperatorError)) console.error(error.stack);
      process.exitCode = EXIT.failure;
    },
  );
}

/** Progress on a terminal: one line rewritten in place; nothing when stderr is not a terminal. */
export function terminalProgress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    process.stderr.write(`\r${label}: ${done}/${total}${done === total ? "\n" : ""}`);
  };
}
