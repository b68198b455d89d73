/**
 * A running console (`npm start -- --console`) picks up the index that `npm run reindex` saves into its
 * INDEX_DIR, without a restart: by polling the manifest (INDEX_RELOAD_INTERVAL_MS), or at once on SIGHUP
 * when polling is off. The console is driven line by line through its stdin while it runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, describe, expect, it, vi } from "vitest";

import { baseEnv, buildIndex, CLI_TIMEOUT, makeSandbox, REPO_ROOT, type Sandbox } from "./run-cli.js";

const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const PROMPT = "سؤالك> ";
const LOADED_MSG = "new index loaded; answering from it";
const ARTICLE_TITLE = "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";
/** The line that names the article under an answer from it: source, written date, title. */
const ARTICLE_SOURCE_LINE = `المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — ${ARTICLE_TITLE}`;

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
/**
 * Only the new article answers this. (Asked as «كم عدد زوار …», the broken plural زوار does not meet
 * the singular زائر, and the sales sentence ranks first: a ranking matter, not this test's.)
 */
const FESTIVAL = "كم زائراً حضر مهرجان التمور في بريدة؟";
const FESTIVAL_TITLE = "مهرجان التمور في بريدة يستقبل زواره";
const FESTIVAL_ARTICLE = [
  "---",
  "id: buraidah-dates-festival",
  `title: ${FESTIVAL_TITLE}`,
  "source: وكالة تجريبية",
  "published: 2025-11-02",
  "language: ar",
  "---",
  "",
  "افتتح مهرجان التمور في مدينة بريدة أبوابه أمس بمشاركة واسعة من المزارعين.",
  "",
  "وحضر المهرجان أكثر من 48 ألف زائر خلال أيامه الثلاثة الأولى، وفق المنظمين.",
  "",
  "وبلغت مبيعات التمور في المهرجان نحو 12 مليون ريال.",
  "",
].join("\n");
/** The line that names the festival article under an answer from it, its date written out. */
const FESTIVAL_SOURCE_LINE = `المصدر: وكالة تجريبية، 2 نوفمبر/تشرين الثاني 2025 — ${FESTIVAL_TITLE}`;

interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** A running console: what it printed so far, and a way to ask it questions one at a time. */
interface RunningConsole {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  /** The JSON log lines on stderr (the logger writes JSON when stderr is not a terminal). */
  logs(): LogRecord[];
  /** Writes a question and resolves with what the console printed for it, up to its next prompt. */
  ask(question: string): Promise<string>;
  /** Closes stdin and resolves with the exit code. */
  end(): Promise<number | null>;
}

/** Variables of this feature that run-cli's base environment does not blank: a .env must not set them. */
const UNSET = { MAX_INDEX_MEMORY_MB: "", INDEX_RELOAD_INTERVAL_MS: "" } as const;

const sandboxes: Sandbox[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

afterAll(async () => {
  // The tests run concurrently: a console is killed here, not after each test, if its test did not end it.
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  await Promise.all(sandboxes.map((sandbox) => sandbox.cleanup()));
});

async function indexedSandbox(): Promise<Sandbox> {
  const sandbox = await makeSandbox();
  sandboxes.push(sandbox);
  await buildIndex(sandbox, UNSET);
  return sandbox;
}

const WAIT = { timeout: 20_000, interval: 20 } as const;

/**
 * How the program is run: under the tsx command, as the other command-line tests run it, or in one node
 * process with tsx as a loader. The tsx command runs the program in a child process and passes it only
 * SIGINT and SIGTERM (a SIGHUP ends tsx itself), so a test that signals the program runs it directly.
 */
type Launcher = "tsx" | "node";

/** Starts `src/cli/start.ts --console` with piped stdin and waits for its first prompt. */
async function startConsole(
  env: Record<string, string>,
  launcher: Launcher = "tsx",
): Promise<RunningConsole> {
  const script = [path.join("src", "cli", "start.ts"), "--console"];
  const [command, args] =
    launcher === "tsx" ? [TSX, script] : [process.execPath, ["--import", "tsx", ...script]];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...baseEnv(), ...UNSET, LOG_LEVEL: "info", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  child.stdin.on("error", () => undefined);
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      resolve(code);
    }),
  );
  const prompts = (): number => out.split(PROMPT).length - 1;
  const running: RunningConsole = {
    child,
    stdout: () => out,
    logs: () =>
      err
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as LogRecord),
    ask: async (question) => {
      const before = prompts();
      const from = out.length;
      child.stdin.write(`${question}\n`);
      await vi.waitFor(() => {
        if (child.exitCode !== null) throw new Error(`the console exited: ${err}`);
        expect(prompts()).toBeGreaterThan(before);
      }, WAIT);
      return out.slice(from, out.lastIndexOf(PROMPT));
    },
    end: () => {
      child.stdin.end();
      return exited;
    },
  };
  await vi.waitFor(() => {
    if (child.exitCode !== null) throw new Error(`the console exited: ${err}`);
    expect(prompts()).toBe(1);
  }, WAIT);
  return running;
}

/** Adds the festival article to the corpus and reindexes into the same INDEX_DIR, as an operator would. */
async function addArticleAndReindex(sandbox: Sandbox): Promise<void> {
  await writeFile(path.join(sandbox.corpusDir, "buraidah-dates-festival.md"), FESTIVAL_ARTICLE);
  const result = await buildIndex(sandbox, UNSET);
  expect(result.stdout).toMatch(/^documents: 2$/m);
  expect(result.stdout).toMatch(/^update: 1 kept, 1 added, 0 changed, 0 removed/m);
}

const loadedLines = (running: RunningConsole): LogRecord[] =>
  running.logs().filter((record) => record.msg === LOADED_MSG);

describe.concurrent("npm start -- --console with a reindex while it runs", () => {
  it(
    "answers from the new index once polling has loaded it",
    async () => {
      const sandbox = await indexedSandbox();
      const running = await startConsole({ ...sandbox.env, INDEX_RELOAD_INTERVAL_MS: "100" });

      const students = await running.ask(STUDENTS);
      expect(students).toContain(ARTICLE_SOURCE_LINE);
      const unknown = await running.ask(FESTIVAL);
      expect(unknown).not.toContain(FESTIVAL_TITLE);

      await addArticleAndReindex(sandbox);
      await vi.waitFor(() => {
        expect(loadedLines(running)).toHaveLength(1);
      }, WAIT);
      expect(loadedLines(running)[0]).toMatchObject({ level: 30, documents: 2 });

      // A new conversation, so that the question is not read as a follow-up of the one before.
      await running.ask("/reset");
      const festival = await running.ask(FESTIVAL);
      expect(festival).toContain("48 ألف زائر");
      expect(festival).toContain(FESTIVAL_SOURCE_LINE);
      // The old article is still served.
      expect(await running.ask(STUDENTS)).toContain(ARTICLE_SOURCE_LINE);

      expect(await running.end()).toBe(0);
      expect(running.logs().filter((record) => record.level >= 50)).toEqual([]);
      expect(loadedLines(running)).toHaveLength(1);
    },
    CLI_TIMEOUT,
  );

  it(
    "with INDEX_RELOAD_INTERVAL_MS=0 keeps the old index until SIGHUP, then loads the new one",
    async () => {
      const sandbox = await indexedSandbox();
      const running = await startConsole({ ...sandbox.env, INDEX_RELOAD_INTERVAL_MS: "0" }, "node");

      await addArticleAndReindex(sandbox);
      // No polling: the saved index is not picked up by itself.
      expect(await running.ask(FESTIVAL)).not.toContain(FESTIVAL_TITLE);
      expect(loadedLines(running)).toEqual([]);

      running.child.kill("SIGHUP");
      await vi.waitFor(() => {
        expect(loadedLines(running)).toHaveLength(1);
      }, WAIT);
      expect(running.logs().map((record) => record.msg)).toContain("SIGHUP: checking for a new index");

      await running.ask("/reset");
      const festival = await running.ask(FESTIVAL);
      expect(festival).toContain("48 ألف زائر");
      expect(festival).toContain(FESTIVAL_SOURCE_LINE);

      // A second SIGHUP with nothing new loads nothing, and the console keeps running.
      running.child.kill("SIGHUP");
      await vi.waitFor(() => {
        expect(running.logs().filter((r) => r.msg === "SIGHUP: checking for a new index")).toHaveLength(2);
      }, WAIT);
      expect(await running.ask(STUDENTS)).toContain(ARTICLE_SOURCE_LINE);
      expect(await running.end()).toBe(0);
      expect(loadedLines(running)).toHaveLength(1);
      expect(running.logs().filter((record) => record.level >= 50)).toEqual([]);
    },
    CLI_TIMEOUT,
  );
});
