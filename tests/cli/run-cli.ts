/**
 * Helpers for the command-line integration tests: run a real program (`src/cli/*.ts`) under tsx as a
 * child process, in a sandbox that holds a copy of the corpus and its own index folder, so that the
 * tests never read or write the repository's `data/` folder and never pick up a `.env` file.
 */
import { afterAll, beforeAll } from "vitest";
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: every program runs with it as its working directory. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");

/** The one article of the corpus. */
export const ARTICLE_ID = "tass-2025-10-09-putin-dushanbe";
export const ARTICLE_FILE = `${ARTICLE_ID}.md`;

/** Timeout for a test that spawns programs (tsx start-up alone takes about a second). */
export const CLI_TIMEOUT = 60_000;

/** The command-line programs, as `npm run` names them. */
export type CliName = "ask" | "reindex" | "eval" | "start";

/** What a finished program left behind. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment values; `undefined` removes a variable. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface RunOptions {
  /** The environment, on top of {@link baseEnv}. */
  readonly env?: Env;
  /** Written to the program's stdin, which is then closed (unless `keepStdinOpen`). */
  readonly input?: string;
  /** Leave stdin open after writing `input`: the program has to end by itself. */
  readonly keepStdinOpen?: boolean;
  /** Kill the program after this many milliseconds (the result then has a signal). */
  readonly timeoutMs?: number;
}

/**
 * Configuration variables that a `.env` file in the repository could set: set here to the empty string,
 * which the program reads as "not set" and which `dotenv` never overrides, so the defaults apply.
 */
const BLANKED_VARIABLES = [
  "EMBEDDINGS",
  "HASHING_DIMENSIONS",
  "OPENAI_BASE_URL",
  "OPENAI_API_KEY",
  "EMBEDDINGS_BASE_URL",
  "EMBEDDINGS_API_KEY",
  "EMBEDDINGS_MODEL",
  "EMBEDDINGS_TIMEOUT_MS",
  "EMBEDDINGS_MAX_RETRIES",
  "TOP_K",
  "MAX_INDEX_MEMORY_MB",
  "INDEX_RELOAD_INTERVAL_MS",
  "CHAT_MODEL",
  "CHAT_TEMPERATURE",
  "CHAT_TIMEOUT_MS",
  "CHAT_MAX_RETRIES",
  "PROMPTS_DIR",
  "TELEGRAM_BOT_TOKEN",
  "TELEGRAM_API_ROOT",
  "MAX_QUESTION_LENGTH",
  "RATE_LIMIT_PER_MINUTE",
  "MAX_CONCURRENT_ANSWERS",
  "ALLOWED_CHAT_IDS",
  "BOT_MODE",
  "WEBHOOK_URL",
  "WEBHOOK_HOST",
  "WEBHOOK_PORT",
  "WEBHOOK_SECRET",
  "UPDATE_JOURNAL",
  "TELEGRAM_STARTUP_TIMEOUT_MS",
  "METRICS_PORT",
  "METRICS_HOST",
  "REDIS_URL",
  "REDIS_KEY_PREFIX",
  "STREAM_CLAIM_AFTER_MS",
];

/** A minimal environment: no inherited configuration, quiet logs. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? os.tmpdir(),
    TMPDIR: os.tmpdir(),
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    LOG_LEVEL: "warn",
  };
  for (const name of BLANKED_VARIABLES) env[name] = "";
  return env;
}

/** Runs `src/cli/<name>.ts` under tsx with the repository root as working directory. */
export function runCli(name: CliName, args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return runProgram(TSX, [path.join("src", "cli", `${name}.ts`), ...args], options);
}

/**
 * Runs a script of package.json as a user does (`npm start -- --console`: npm, then what the script
 * runs, the build included), with the repository root as working directory.
 */
export function runPackageScript(
  script: "start",
  args: readonly string[],
  options: RunOptions = {},
): Promise<CliResult> {
  return runProgram("npm", ["run", "--silent", script, "--", ...args], options);
}

function runProgram(command: string, args: readonly string[], options: RunOptions): Promise<CliResult> {
  const env: Record<string, string> = baseEnv();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) Reflect.deleteProperty(env, key);
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // A program that exits before reading all its input must not fail the test with EPIPE.
    child.stdin.on("error", () => undefined);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? CLI_TIMEOUT - 5_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin.write(options.input);
    if (!options.keepStdinOpen) child.stdin.end();
  });
}

/** A temporary folder with a copy of the corpus and a place for the index. */
export interface Sandbox {
  readonly root: string;
  readonly corpusDir: string;
  readonly indexDir: string;
  /** The copied article file. */
  readonly articlePath: string;
  /** CORPUS_DIR and INDEX_DIR pointing into the sandbox. */
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** Makes a sandbox under the system's temporary folder; nothing is indexed yet. */
export async function makeSandbox(): Promise<Sandbox> {
  const root = await mkdtemp(path.join(os.tmpdir(), "sanad-cli-"));
  const corpusDir = path.join(root, "corpus");
  const indexDir = path.join(root, "data", "index");
  await cp(path.join(REPO_ROOT, "corpus"), corpusDir, { recursive: true });
  await mkdir(path.dirname(indexDir), { recursive: true });
  return {
    root,
    corpusDir,
    indexDir,
    articlePath: path.join(corpusDir, ARTICLE_FILE),
    env: { CORPUS_DIR: corpusDir, INDEX_DIR: indexDir },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/**
 * A sandbox with its index built, made once before the tests of the file that calls this and removed
 * after them: the getter returns it inside a test.
 */
export function useIndexedSandbox(): () => Sandbox {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await makeSandbox();
    await buildIndex(sandbox);
  }, CLI_TIMEOUT);
  afterAll(async () => {
    await sandbox?.cleanup();
  });
  return () => {
    if (!sandbox) throw new Error("the sandbox is made in beforeAll: use it inside a test");
    return sandbox;
  };
}

/** Builds the sandbox's index with `reindex`; throws with the program's output when it fails. */
export async function buildIndex(sandbox: Sandbox, env: Env = {}): Promise<CliResult> {
  const result = await runCli("reindex", [], { env: { ...sandbox.env, ...env } });
  if (result.code !== 0) {
    throw new Error(`reindex failed (${String(result.code)}): ${result.stderr}${result.stdout}`);
  }
  return result;
}

/** The original article's text, as in the repository's corpus. */
export function readArticle(): Promise<string> {
  return readFile(path.join(REPO_ROOT, "corpus", ARTICLE_FILE), "utf8");
}

/** The public JSON shape of `ask --json`. */
export interface AskJson {
  id: string | number | null;
  question: string;
  mode: string;
  refused: boolean;
  confidence: string;
  answer: string;
  citations: {
    n: number;
    doc: string;
    sentence: number;
    text: string;
    article: { title: string; source?: string; published?: string };
  }[];
}

/** Parses stdout that must hold only JSON lines; throws naming the first line that is not JSON. */
export function jsonLines(stdout: string): AskJson[] {
  return stdout
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as AskJson;
      } catch {
        throw new Error(`stdout line is not JSON: ${line}`);
      }
    });
}

/** The only line of JSON on stdout. */
export function singleJson(result: CliResult): AskJson {
  const lines = jsonLines(result.stdout);
  if (lines.length !== 1) throw new Error(`expected one JSON line, got ${lines.length}: ${result.stdout}`);
  return lines[0] as AskJson;
}

/** A program started by {@link startInBackground}, still running or not. */
export interface BackgroundCli {
  /** The process id of the program itself (not of a wrapper). */
  readonly pid: number | undefined;
  /** What it has written to stdout so far. */
  stdout(): string;
  /** What it has written to stderr so far. */
  stderr(): string;
  /** Whether it has exited. */
  hasExited(): boolean;
  /**
   * Sends it a signal: SIGTERM asks it to stop; SIGKILL ends it at once, as `kill -9` or a power cut
   * would, with no chance to finish anything.
   */
  kill(signal: NodeJS.Signals): void;
  /** Resolves when it has exited. */
  readonly exited: Promise<CliResult>;
}

/** Options of {@link startInBackground}. */
export interface BackgroundOptions {
  /** The environment, on top of {@link baseEnv}. */
  readonly env?: Env;
  /** Kill the program (SIGKILL) after this many milliseconds if it is still running. */
  readonly timeoutMs?: number;
}

/**
 * Starts `src/cli/<name>.ts` in the background as `npm start` runs it — `node --import tsx`, one process
 * — so that a signal reaches the program itself: the tsx command-line wrapper that {@link runCli} uses
 * runs the program as its own child, which a SIGKILL of the wrapper would leave running. Stdin is
 * closed. The caller ends it with {@link BackgroundCli.kill} and awaits {@link BackgroundCli.exited}.
 */
export function startInBackground(
  name: CliName,
  args: readonly string[],
  options: BackgroundOptions = {},
): BackgroundCli {
  const env: Record<string, string> = baseEnv();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) Reflect.deleteProperty(env, key);
    else env[key] = value;
  }
  const child = spawn(process.execPath, ["--import", "tsx", path.join("src", "cli", `${name}.ts`), ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let done = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? CLI_TIMEOUT - 5_000);
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.on("error", (error) => {
      clearTimeout(timer);
      done = true;
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done = true;
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    pid: child.pid,
    stdout: () => stdout,
    stderr: () => stderr,
    hasExited: () => done,
    kill: (signal) => {
      if (!done) child.kill(signal);
    },
    exited,
  };
}

/** One JSON log line a program wrote (pino), as far as the tests read it. */
export interface LogLine {
  readonly msg?: string;
  readonly time?: number;
  readonly port?: unknown;
}

/** The JSON log lines a program wrote to stderr, one object a line; other lines are left out. */
export function logLines(stderr: string): LogLine[] {
  return stderr.split("\n").flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

/**
 * The port a program running the bot in webhook mode listens on, read from its "bot running" log line
 * (WEBHOOK_PORT=0 lets the system choose); throws with its output when it exits first or takes longer
 * than `timeoutMs`.
 */
export async function webhookPortOf(
  program: BackgroundCli,
  timeoutMs: number,
  name = "the bot",
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const running = logLines(program.stderr()).find((line) => line.msg === "bot running");
    if (typeof running?.port === "number") return running.port;
    if (program.hasExited()) throw new Error(`${name} exited before it ran:\n${program.stderr()}`);
    if (Date.now() > deadline)
      throw new Error(`${name} did not start within ${timeoutMs} ms:\n${program.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
