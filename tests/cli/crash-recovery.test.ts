/**
 * `npm start` as a real process against the Bot API stand-in: killed with SIGKILL while answers are in
 * flight, stopped with SIGTERM, and started against a Bot API that does not answer.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, request, type IncomingHttpHeaders } from "node:http";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { UpdateJournal } from "../../src/bot/update-journal.js";
import { startBotApiStandIn, type BotApiStandIn } from "../support/bot-api-stand-in.js";
import { listenOnLoopback } from "../support/loopback.js";
import {
  CLI_TIMEOUT,
  startInBackground,
  type BackgroundCli,
  type Env,
  useIndexedSandbox,
  logLines,
} from "./run-cli.js";
import { sleep, until } from "../support/wait.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
/** What the answer to {@link STUDENTS} says. */
const STUDENTS_FACT = "35 ألف طالب";
/** The notice a user gets when delivery failed (BOT_MESSAGES.failed). */
const FAILED = "تعذّرت الإجابة";
/** Twenty private chats, one question each. */
const USERS = Array.from({ length: 20 }, (_, i) => 5_000 + i);

const sandbox = useIndexedSandbox();

/** Where `npm start` keeps its journal when UPDATE_JOURNAL is not set: beside the index folder. */
function defaultJournalFile(): string {
  return path.join(path.dirname(sandbox().indexDir), "update-journal.jsonl");
}

/**
 * `npm start` as the bot, against a Bot API at `apiRoot`. The journal is at its default place unless
 * `env` sets UPDATE_JOURNAL: a test with its own stand-in needs its own journal, since a journal drops
 * update ids at or below the highest it has seen, and every stand-in counts from the same first id.
 */
function startBot(telegram: BotApiStandIn, apiRoot: string, env: Env = {}): BackgroundCli {
  return startInBackground("start", [], {
    env: {
      ...sandbox().env,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_STARTUP_TIMEOUT_MS: "10000",
      // Blank: the default place beside INDEX_DIR, whatever a .env file says.
      UPDATE_JOURNAL: "",
      ...env,
    },
  });
}

/** Ends a program a failed test left running. */
async function killIfRunning(program: BackgroundCli | undefined): Promise<void> {
  if (!program || program.hasExited()) return;
  program.kill("SIGKILL");
  await program.exited.catch(() => undefined);
}

/** One line of the journal file, as far as these tests read it. */
interface JournalEntry {
  readonly update?: { readonly update_id: number };
  readonly done?: number;
}

/** The journal file's complete lines (a line cut short by the kill is left out). */
function journalEntries(text: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of text.split("\n")) {
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      // An empty line, or one cut short.
    }
  }
  return entries;
}

/** The ids of the updates the journal file holds as received. */
function journaledIds(text: string): Set<number> {
  return new Set(journalEntries(text).flatMap((entry) => (entry.update ? [entry.update.update_id] : [])));
}

/** The offset of a getUpdates request's JSON body; 0 when it has none. */
function offsetOf(body: Buffer): number {
  try {
    const { offset } = JSON.parse(body.toString("utf8")) as { offset?: unknown };
    return typeof offset === "number" ? offset : 0;
  } catch {
    return 0;
  }
}

/** A getUpdates request the bot sent, and what the journal file held at that moment. */
interface Confirmation {
  /** Its offset: every update below it is confirmed to Telegram by this request. */
  readonly offset: number;
  /** The update ids in the journal file when the request left the bot. */
  readonly journaled: ReadonlySet<number>;
}

/**
 * A pass-through proxy on 127.0.0.1 between the bot and the stand-in that reads the journal file at the
 * moment each getUpdates request arrives, before passing it on: what Telegram is told was received can
 * then be compared with what was on disk when it was told. A request whose client goes away (a killed
 * process) is cut on the way to the stand-in too, as it would be to Telegram.
 */
async function journalWatchingProxy(
  target: string,
  journalFile: string,
): Promise<{ apiRoot: string; confirmations: Confirmation[]; close: () => Promise<void> }> {
  const confirmations: Confirmation[] = [];
  const upstreamUrl = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      if (/\/getUpdates$/i.test(incoming.url ?? "")) {
        const offset = offsetOf(body);
        let text = "";
        try {
          text = readFileSync(journalFile, "utf8");
        } catch {
          // Not created yet.
        }
        if (offset > 0) confirmations.push({ offset, journaled: journaledIds(text) });
      }
      const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstreamUrl.host };
      const upstream = request(
        new URL(incoming.url ?? "/", target),
        { method: incoming.method, headers, agent: false },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
          answer.on("error", () => outgoing.destroy());
        },
      );
      upstream.on("error", () => outgoing.destroy());
      outgoing.on("close", () => {
        if (!outgoing.writableFinished) upstream.destroy();
      });
      upstream.end(body);
    });
  });
  const { port, destroyConnections } = await listenOnLoopback(server);
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    confirmations,
    close: () =>
      new Promise<void>((resolve) => {
        destroyConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The texts the bot sent to each of {@link USERS}. */
function sentPerUser(telegram: BotApiStandIn): string[][] {
  return USERS.map((user) => telegram.sentMessages(user).map((message) => message.text));
}

const sendMessages = (telegram: BotApiStandIn): number =>
  telegram.calls.filter((call) => call.method === "sendMessage").length;

describe("npm start killed and restarted (update journal)", () => {
  it(
    "kill -9 with 20 answers in flight: after a restart every chat gets its answer exactly once",
    async () => {
      const telegram = await startBotApiStandIn();
      const journalFile = defaultJournalFile();
      const proxy = await journalWatchingProxy(telegram.apiRoot, journalFile);
      let first: BackgroundCli | undefined;
      let second: BackgroundCli | undefined;
      try {
        // Every answer is held 1.5 s on its way in: the kill comes while they are in flight.
        telegram.delay("sendMessage", 1_500);
        first = startBot(telegram, proxy.apiRoot);
        await telegram.waitForCalls("setMyCommands", 2, 20_000);
        const ids = USERS.map((user) => telegram.privateText(user, STUDENTS).update_id);
        const lastId = Math.max(...ids);
        // Fetched and confirmed: the next getUpdates told Telegram it has them all.
        await until(() => telegram.confirmedUpTo() >= lastId, 15_000, "the 20 updates to be confirmed");
        await sleep(700);
        // Some are being answered ("typing" went out); no answer has reached Telegram yet.
        expect(telegram.calls.some((call) => call.method === "sendChatAction")).toBe(true);
        expect(sendMessages(telegram)).toBe(0);
        first.kill("SIGKILL");
        const killed = await first.exited;
        expect(killed.signal).toBe("SIGKILL");

        // Every getUpdates that confirmed an update left the bot only once that update was on disk.
        const confirming = proxy.confirmations.filter((c) => ids.some((id) => id < c.offset));
        expect(confirming.length).toBeGreaterThan(0);
        expect(Math.max(...confirming.map((c) => c.offset))).toBe(lastId + 1);
        for (const { offset, journaled } of confirming) {
          const missing = ids.filter((id) => id < offset && !journaled.has(id));
          expect(missing, `confirmed with offset ${offset} before they were journaled`).toEqual([]);
        }
        // The journal, beside the index, holds all 20 as received and none as done.
        const text = await readFile(journalFile, "utf8");
        expect([...journaledIds(text)]).toEqual(expect.arrayContaining(ids));
        const done = journalEntries(text).flatMap((entry) => (entry.done === undefined ? [] : [entry.done]));
        expect(done.filter((id) => ids.includes(id))).toEqual([]);

        // The answers held at the stand-in died with their client: none of them was delivered.
        telegram.delay("sendMessage", 0);
        await sleep(200);
        expect(sendMessages(telegram)).toBe(0);

        second = startBot(telegram, proxy.apiRoot);
        await telegram.waitForCalls("sendMessage", USERS.length, 20_000);
        await sleep(500);
        for (const [i, texts] of sentPerUser(telegram).entries()) {
          expect(texts, `chat ${USERS[i]}`).toHaveLength(1);
          expect(texts[0], `chat ${USERS[i]}`).toContain(STUDENTS_FACT);
        }
        second.kill("SIGTERM");
        const stopped = await second.exited;
        expect(stopped.code, stopped.stderr).toBe(0);
        // Everything was marked done: a third start would have nothing to answer again.
        const journal = await UpdateJournal.open(journalFile, pino({ level: "silent" }));
        expect(journal.pending()).toEqual([]);
        await journal.close();
      } finally {
        await killIfRunning(first);
        await killIfRunning(second);
        await proxy.close();
        await telegram.close();
      }
    },
    CLI_TIMEOUT,
  );

  it(
    "SIGTERM with 20 questions fetched: all 20 are answered, once, before it exits with 0",
    async () => {
      const telegram = await startBotApiStandIn();
      let program: BackgroundCli | undefined;
      try {
        // Four answers at a time (MAX_CONCURRENT_ANSWERS), each held 0.5 s: most still queued at the stop.
        telegram.delay("sendMessage", 500);
        program = startBot(telegram, telegram.apiRoot, {
          MAX_CONCURRENT_ANSWERS: "4",
          UPDATE_JOURNAL: path.join(sandbox().root, "sigterm", "journal.jsonl"),
          LOG_LEVEL: "info",
        });
        await telegram.waitForCalls("setMyCommands", 2, 20_000);
        const ids = USERS.map((user) => telegram.privateText(user, STUDENTS).update_id);
        await until(
          () => telegram.confirmedUpTo() >= Math.max(...ids),
          15_000,
          "the 20 updates to be confirmed",
        );
        await sleep(200);
        expect(sendMessages(telegram)).toBeLessThan(USERS.length);
        const stoppedAt = Date.now();
        program.kill("SIGTERM");
        const result = await program.exited;
        expect(result.signal).toBeNull();
        expect(result.code, result.stderr).toBe(0);
        // It waited for the answers queued behind the four in flight: five rounds of 0.5 s.
        expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1_500);
        for (const [i, texts] of sentPerUser(telegram).entries()) {
          expect(texts, `chat ${USERS[i]}`).toHaveLength(1);
          expect(texts[0], `chat ${USERS[i]}`).toContain(STUDENTS_FACT);
          expect(texts[0]).not.toContain(FAILED);
        }
        // It said it had stopped only once the last answer had reached Telegram.
        const stoppedLine = logLines(result.stderr).find((line) => line.msg === "stopped");
        expect(stoppedLine, result.stderr).toBeDefined();
        const lastAnswer = Math.max(
          ...telegram.calls.filter((c) => c.method === "sendMessage").map((c) => c.at),
        );
        expect(stoppedLine?.time).toBeGreaterThanOrEqual(lastAnswer);
        // Every answer was marked done before the journal was closed: a restart answers none again.
        const journal = await UpdateJournal.open(
          path.join(sandbox().root, "sigterm", "journal.jsonl"),
          pino({ level: "silent" }),
        );
        expect(journal.pending()).toEqual([]);
        await journal.close();
      } finally {
        await killIfRunning(program);
        await telegram.close();
      }
    },
    CLI_TIMEOUT,
  );
});

describe.concurrent("npm start against a Bot API that cannot be reached", () => {
  it.each([
    [
      "does not answer getMe",
      (telegram: BotApiStandIn) => {
        telegram.delay("getMe", 60_000);
      },
    ],
    [
      "resets every connection",
      (telegram: BotApiStandIn) => {
        telegram.outage(true);
      },
    ],
  ])(
    "gives up after TELEGRAM_STARTUP_TIMEOUT_MS when it %s, naming TELEGRAM_API_ROOT",
    async (name, fault) => {
      const telegram = await startBotApiStandIn();
      let program: BackgroundCli | undefined;
      try {
        fault(telegram);
        const started = Date.now();
        program = startBot(telegram, telegram.apiRoot, {
          TELEGRAM_STARTUP_TIMEOUT_MS: "2000",
          UPDATE_JOURNAL: path.join(sandbox().root, name.replaceAll(" ", "-"), "journal.jsonl"),
        });
        const result = await program.exited;
        const seconds = (Date.now() - started) / 1000;
        expect(result.signal).toBeNull();
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("TELEGRAM_API_ROOT");
        expect(result.stderr).toContain(telegram.apiRoot);
        expect(result.stderr).not.toContain(telegram.token);
        // The program's own start-up (node, tsx, the index) takes a second or two; the wait itself 2 s.
        expect(seconds).toBeGreaterThanOrEqual(2);
        expect(seconds).toBeLessThan(10);
      } finally {
        await killIfRunning(program);
        await telegram.close();
      }
    },
    CLI_TIMEOUT,
  );
});
