/**
 * The bot under faults, against the Bot API stand-in on 127.0.0.1: a crash in webhook mode, an outage,
 * failing and hanging calls, lost responses, floods, the access list, and question lengths. Each test
 * runs its own stand-in and bot. (`npm start` killed with SIGKILL, stopped with SIGTERM and started
 * against an unreachable server: tests/cli/crash-recovery.test.ts.)
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { RunnerHandle } from "@grammyjs/runner";
import type { CallbackQuery, Update, User } from "grammy/types";
import pino from "pino";
import { beforeAll, describe, expect, it, type TestContext } from "vitest";
import { createAnswerPipeline, type AnswerPipeline, type Answerer } from "../../src/answer/index.js";
import { ConversationalAnswerer, ConversationMemory } from "../../src/answer/conversation.js";
import {
  BOT_MESSAGES,
  createBot,
  EXAMPLE_QUESTIONS,
  QuestionLimits,
  startBot,
  startWebhook,
  UpdateJournal,
  type BotDependencies,
  type WebhookHandle,
} from "../../src/bot/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import { startBotApiStandIn, type BotApiStandIn, type RecordedCall } from "../support/bot-api-stand-in.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { memoryLogger, type LogRecord } from "../support/memory-logger.js";
import { sleep, until } from "../support/wait.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
/** What the answer to {@link STUDENTS} says. */
const STUDENTS_FACT = "35 ألف طالب";
/** The notice a user gets when an answer could not be delivered. */
const FAILED = BOT_MESSAGES.failed;
/** The default RATE_LIMIT_PER_MINUTE. */
const RATE_LIMIT_PER_MINUTE = 10;
/** The default MAX_QUESTION_LENGTH, in characters (code points). */
const MAX_QUESTION_LENGTH = 1000;
const WEBHOOK_SECRET = "webhook-secret-for-reliability-tests";
const WEBHOOK_PATH = "/telegram/hook";

/** pino's numeric levels. */
const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

let index: SanadIndex;

beforeAll(async () => {
  index = await buildCorpusIndex();
});

/**
 * What one test started (stand-ins, bots, journals, folders), stopped when the test ends, whatever
 * happened, last started first. Per test, so that tests can run concurrently.
 */
class Scope {
  private readonly cleanups: (() => Promise<void>)[] = [];

  constructor(context: TestContext) {
    context.onTestFinished(async () => {
      for (const cleanup of this.cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    });
  }

  defer(cleanup: () => Promise<void>): void {
    this.cleanups.push(cleanup);
  }
}

async function pipelineOverIndex(): Promise<AnswerPipeline> {
  return createAnswerPipeline({ index, chat: undefined, topK: 3, logger: pino({ level: "silent" }) });
}

/** A stand-in, stopped after the test. */
async function standIn(scope: Scope): Promise<BotApiStandIn> {
  const server = await startBotApiStandIn();
  scope.defer(() => server.close());
  return server;
}

/** What the bot needs, logging to memory. */
function dependencies(
  pipeline: AnswerPipeline,
  logger: BotDependencies["logger"],
  perWindow = 100,
): BotDependencies {
  return {
    answerer: pipeline.answerer,
    conversations: pipeline.conversations,
    articles: () => pipeline.articles(),
    limits: new QuestionLimits({ perWindow, concurrent: 8 }),
    maxQuestionLength: MAX_QUESTION_LENGTH,
    logger,
  };
}

/** A bot polling a stand-in through the runner, as `npm start` runs it, with its log kept in memory. */
interface PollingBot {
  readonly server: BotApiStandIn;
  readonly records: () => LogRecord[];
  readonly handle: RunnerHandle;
}

async function pollingBot(
  scope: Scope,
  options: { readonly allowedChatIds?: ReadonlySet<number>; readonly perWindow?: number } = {},
): Promise<PollingBot> {
  const server = await standIn(scope);
  const { logger, records } = memoryLogger("debug");
  const bot = createBot(dependencies(await pipelineOverIndex(), logger, options.perWindow), {
    token: server.token,
    apiRoot: server.apiRoot,
    allowedChatIds: options.allowedChatIds,
  });
  const handle = await startBot(bot);
  // Stopped before the stand-in closes.
  scope.defer(() => handle.stop());
  return { server, records, handle };
}

/** The texts the bot sent to a chat. */
function sent(server: BotApiStandIn, chatId: number): string[] {
  return server.sentMessages(chatId).map((message) => message.text);
}

function callsOf(server: BotApiStandIn, method: string): RecordedCall[] {
  return server.calls.filter((call) => call.method === method);
}

/** The log lines of a level, or above it. */
function logged(records: () => LogRecord[], level: number, text = ""): LogRecord[] {
  return records().filter((record) => record.level >= level && record.msg.includes(text));
}

/** Resolves with the first sendMessage to `chatId`, and how long after `since` it was processed. */
async function firstMessageTo(
  server: BotApiStandIn,
  chatId: number,
  since: number,
  timeoutMs = 10_000,
): Promise<{ call: RecordedCall; afterMs: number }> {
  await until(
    () => callsOf(server, "sendMessage").some((call) => call.payload.chat_id === chatId),
    timeoutMs,
    `a message to chat ${chatId}`,
  );
  const call = callsOf(server, "sendMessage").find((c) => c.payload.chat_id === chatId) as RecordedCall;
  return { call, afterMs: call.at - since };
}

function user(id: number): User {
  return { id, is_bot: false, first_name: `قارئ ${id}`, language_code: "ar" };
}

/** A private text message as Telegram posts it to a webhook. */
function privateUpdate(updateId: number, chatId: number, text: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chatId, type: "private", first_name: `قارئ ${chatId}` },
      from: user(chatId),
      text,
    },
  };
}

/** The ids of the updates a journal file holds as received. */
function journaledIds(file: string): number[] {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // Not written yet.
  }
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => {
      const entry = JSON.parse(line) as { update?: { update_id: number } };
      return entry.update ? [entry.update.update_id] : [];
    });
}

/** A temporary folder, removed after the test. */
async function temporaryFolder(scope: Scope): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "sanad-reliability-"));
  scope.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** An update journal, closed after the test. */
async function openJournal(scope: Scope, file: string): Promise<UpdateJournal> {
  const journal = await UpdateJournal.open(file, pino({ level: "silent" }));
  scope.defer(() => journal.close());
  return journal;
}

/** A webhook server over a bot with a journal; stopped after the test. */
async function webhookBot(
  scope: Scope,
  server: BotApiStandIn,
  journal: UpdateJournal,
  deps: BotDependencies,
): Promise<WebhookHandle> {
  const bot = createBot(deps, { token: server.token, apiRoot: server.apiRoot, journal });
  const webhook = await startWebhook(
    bot,
    {
      url: `https://bot.example.org${WEBHOOK_PATH}`,
      host: "127.0.0.1",
      port: 0,
      secretToken: WEBHOOK_SECRET,
      journal,
    },
    deps.logger,
  );
  scope.defer(() => webhook.stop());
  return webhook;
}

/** Posts an update to a webhook as Telegram does. */
function post(webhook: WebhookHandle, update: Update): Promise<Response> {
  return fetch(`http://127.0.0.1:${webhook.port}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });
}

describe("webhook mode with the update journal", () => {
  it("acknowledges an update only once it is on disk, then answers it", async (context) => {
    const scope = new Scope(context);
    const server = await standIn(scope);
    const file = path.join(await temporaryFolder(scope), "journal.jsonl");
    const journal = await openJournal(scope, file);
    // The journal's write is held: meanwhile Telegram must get no 200.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const receive = journal.receive.bind(journal);
    journal.receive = async (updates) => {
      await held;
      return receive(updates);
    };
    const { logger } = memoryLogger();
    const webhook = await webhookBot(scope, server, journal, dependencies(await pipelineOverIndex(), logger));

    let acknowledged = false;
    const response = post(webhook, privateUpdate(700, 77, STUDENTS)).then((answer) => {
      acknowledged = true;
      return answer;
    });
    await sleep(300);
    expect(acknowledged).toBe(false);
    release();
    expect((await response).status).toBe(200);
    // Read as soon as the 200 arrived: the update was already there.
    expect(journaledIds(file)).toContain(700);
    await server.waitForCalls("sendMessage", 1);
    expect(sent(server, 77)).toHaveLength(1);
    expect(sent(server, 77)[0]).toContain(STUDENTS_FACT);
  });

  it("answers 500, and does not handle the update, when the journal cannot write it", async (context) => {
    const scope = new Scope(context);
    const server = await standIn(scope);
    const file = path.join(await temporaryFolder(scope), "journal.jsonl");
    const journal = await UpdateJournal.open(file, pino({ level: "silent" }));
    const { logger, records } = memoryLogger();
    const webhook = await webhookBot(scope, server, journal, dependencies(await pipelineOverIndex(), logger));
    // A journal whose file is gone from under it: every write fails.
    await journal.close();
    const response = await post(webhook, privateUpdate(701, 78, STUDENTS));
    expect(response.status).toBe(500);
    await sleep(300);
    expect(callsOf(server, "sendMessage")).toEqual([]);
    expect(logged(records, LEVEL.error, "update journal: write failed")).toHaveLength(1);
  });

  it("after a crash, a new instance answers the update the old one acknowledged and never finished, once", async (context) => {
    const scope = new Scope(context);
    const file = path.join(await temporaryFolder(scope), "journal.jsonl");
    const pipeline = await pipelineOverIndex();
    // The first instance: its answer is held until the end of the test, as if the process had died.
    const oldServer = await standIn(scope);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const holding: Answerer = {
      answer: (question, options) => pipeline.answerer.answer(question, options),
      async *stream(question, options) {
        await held;
        yield* pipeline.answerer.stream(question, options);
      },
    };
    const oldDeps: BotDependencies = {
      ...dependencies(pipeline, pino({ level: "silent" })),
      conversations: new ConversationalAnswerer(holding, new ConversationMemory()),
    };
    const oldJournal = await openJournal(scope, file);
    const oldWebhook = await webhookBot(scope, oldServer, oldJournal, oldDeps);
    // Before the old instance stops: it ends once its answer is let through.
    scope.defer(() => {
      release();
      return Promise.resolve();
    });
    const update = privateUpdate(800, 88, STUDENTS);
    expect((await post(oldWebhook, update)).status).toBe(200);
    // Its handling has begun ("typing"), and will not end.
    await oldServer.waitForCalls("sendChatAction", 1);

    // The new instance, from the same file, the old one's work unfinished.
    const server = await standIn(scope);
    const { logger, records } = memoryLogger();
    const journal = await openJournal(scope, file);
    expect(journal.pending().map(({ update_id }) => update_id)).toEqual([800]);
    const webhook = await webhookBot(scope, server, journal, dependencies(pipeline, logger));
    await server.waitForCalls("sendMessage", 1);
    // Telegram delivers it again (the old 200 may not have arrived): it is not answered twice.
    expect((await post(webhook, update)).status).toBe(200);
    await sleep(300);
    expect(sent(server, 88)).toHaveLength(1);
    expect(sent(server, 88)[0]).toContain(STUDENTS_FACT);
    expect(logged(records, LEVEL.info, "unfinished by the last run")).toHaveLength(1);
    await webhook.stop();
    const reopened = await openJournal(scope, file);
    expect(reopened.pending()).toEqual([]);
  });
});

describe("an outage of the Bot API", () => {
  it("logs one warning naming TELEGRAM_API_ROOT and one line when it is back; answers resume within seconds", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    await server.waitForCalls("setMyCommands", 2);
    await sleep(100);
    server.outage(true);
    const users = [61, 62, 63];
    for (const id of users) server.privateText(id, STUDENTS);
    await sleep(3_300);
    const endedAt = Date.now();
    server.outage(false);

    // getUpdates is tried every second: the answers follow within about one. (A doubling wait from
    // 100 ms would try next about 3 s after this outage's end.)
    const { afterMs } = await firstMessageTo(server, 61, endedAt);
    expect(afterMs).toBeLessThan(2_500);
    await server.waitForCalls("sendMessage", users.length);
    await sleep(200);
    for (const id of users) {
      expect(sent(server, id)).toHaveLength(1);
      expect(sent(server, id)[0]).toContain(STUDENTS_FACT);
    }

    const warnings = logged(records, LEVEL.warn, "is unreachable");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.level).toBe(LEVEL.warn);
    expect(warnings[0]?.msg).toContain("TELEGRAM_API_ROOT");
    expect(warnings[0]?.msg).toContain(server.apiRoot);
    expect(warnings[0]?.msg).not.toContain(server.token);
    const back = logged(records, LEVEL.info, "is reachable again");
    expect(back).toHaveLength(1);
    expect(back[0]?.level).toBe(LEVEL.info);
    expect(records().indexOf(warnings[0] as LogRecord)).toBeLessThan(
      records().findIndex((record) => record.msg.includes("is reachable again")),
    );
    expect(logged(records, LEVEL.error)).toEqual([]);
  });
});

/** A fault scripted on the stand-in before a question is asked. */
type Fault = (server: BotApiStandIn) => void;

describe.concurrent("cosmetic calls never hold up an answer", () => {
  it.for<[string, Fault]>([
    [
      "fails with 500 (four times in a row)",
      (server: BotApiStandIn) => {
        for (let i = 0; i < 4; i++)
          server.failNext("sendChatAction", { error_code: 500, description: "Internal Server Error" });
      },
    ],
    [
      "is refused with 429 retry_after 25",
      (server: BotApiStandIn) => {
        server.failNext("sendChatAction", {
          error_code: 429,
          description: "Too Many Requests: retry after 25",
          retry_after: 25,
        });
      },
    ],
  ])(
    "«typing» that %s: the answer comes at once, and «typing» is not retried",
    async ([, fault], context) => {
      const scope = new Scope(context);
      const { server, records } = await pollingBot(scope);
      await server.waitForCalls("setMyCommands", 2);
      fault(server);
      const askedAt = Date.now();
      server.privateText(91, STUDENTS);
      const { afterMs } = await firstMessageTo(server, 91, askedAt);
      expect(afterMs).toBeLessThan(3_000);
      // Past the first retry a 5xx would get (1 s): still the one attempt.
      await sleep(1_300);
      expect(callsOf(server, "sendChatAction")).toHaveLength(1);
      expect(callsOf(server, "sendChatAction")[0]?.response.ok).toBe(false);
      expect(sent(server, 91)).toHaveLength(1);
      expect(sent(server, 91)[0]).toContain(STUDENTS_FACT);
      expect(logged(records, LEVEL.error)).toEqual([]);
    },
  );

  it("«typing» that gets no answer is abandoned after 2 s, unseen, and is no outage", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    await server.waitForCalls("setMyCommands", 2);
    server.delay("sendChatAction", 10_000);
    const askedAt = Date.now();
    server.privateText(92, STUDENTS);
    const { afterMs } = await firstMessageTo(server, 92, askedAt);
    // Not waited for at all: the answer does not even wait for the 2 s deadline.
    expect(afterMs).toBeLessThan(1_500);
    await until(
      () => logged(records, LEVEL.debug, "chat action not shown").length > 0,
      4_000,
      "the chat action to be abandoned",
    );
    expect(Date.now() - askedAt).toBeGreaterThanOrEqual(1_900);
    expect(logged(records, LEVEL.warn)).toEqual([]);
    expect(sent(server, 92)[0]).toContain(STUDENTS_FACT);
  });

  it.for<[string, Fault]>([
    [
      "fails with 500",
      (server: BotApiStandIn) => {
        server.failNext("answerCallbackQuery", { error_code: 500, description: "Internal Server Error" });
      },
    ],
    [
      "gets no answer",
      (server: BotApiStandIn) => {
        server.delay("answerCallbackQuery", 10_000);
      },
    ],
  ])(
    "an example button whose acknowledgement %s: its answer still comes, with no failure notice",
    async ([, fault], context) => {
      const scope = new Scope(context);
      const { server, records } = await pollingBot(scope);
      await server.waitForCalls("setMyCommands", 2);
      fault(server);
      const askedAt = Date.now();
      const press = server.callbackQuery(93, 93, "ask:1", 1);
      const { call, afterMs } = await firstMessageTo(server, 93, askedAt);
      expect(afterMs).toBeLessThan(3_000);
      await sleep(300);
      const texts = sent(server, 93);
      expect(texts).toHaveLength(1);
      // Asked by a button: the answer opens with the question, which nobody typed.
      expect(texts[0]).toContain(EXAMPLE_QUESTIONS[1]);
      expect(texts[0]).toContain("35 ألف");
      expect(texts[0]).not.toContain(FAILED);
      expect(call.payload.chat_id).toBe(93);
      // Tried once, whatever became of it.
      const acknowledgements = callsOf(server, "answerCallbackQuery");
      expect(acknowledgements.length).toBeLessThanOrEqual(1);
      if (acknowledgements[0]) {
        expect(acknowledgements[0].payload.callback_query_id).toBe(press.callback_query?.id);
      }
      expect(logged(records, LEVEL.error)).toEqual([]);
    },
  );
});

describe.concurrent("delivery of an answer", () => {
  it("a sendMessage lost on its way to Telegram: the answer arrives once, without a failure notice", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    await server.waitForCalls("setMyCommands", 2);
    server.dropNext("sendMessage", 1, { processed: false });
    const askedAt = Date.now();
    server.privateText(101, STUDENTS);
    const { afterMs } = await firstMessageTo(server, 101, askedAt);
    // Sent again after the 1 s pause that follows a network error.
    expect(afterMs).toBeGreaterThanOrEqual(900);
    expect(afterMs).toBeLessThan(3_000);
    await sleep(1_500);
    const texts = sent(server, 101);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(STUDENTS_FACT);
    expect(logged(records, LEVEL.error)).toEqual([]);
  });

  it("a sendMessage whose response was lost: the answer arrives, perhaps twice (a repeat rather than a loss), never a failure notice", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    await server.waitForCalls("setMyCommands", 2);
    server.dropNext("sendMessage", 1, { processed: true });
    server.privateText(102, STUDENTS);
    await server.waitForCalls("sendMessage", 1);
    // Long enough for the retry after a network error (1 s) to land.
    await sleep(2_000);
    const texts = sent(server, 102);
    // Telegram did deliver the first one; the bot cannot know it and sends again: a repeat rather than a
    // loss, by choice (the retry policy, src/bot/telegram-requests.ts).
    expect(texts.length).toBeGreaterThanOrEqual(1);
    expect(texts.length).toBeLessThanOrEqual(2);
    for (const text of texts) {
      expect(text).toContain(STUDENTS_FACT);
      expect(text).not.toContain(FAILED);
    }
    expect(logged(records, LEVEL.error)).toEqual([]);
  });

  it("four 500s in a row: tried after 1, 2 and 4 s, then the failure notice at once (within 8 s of the question)", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    await server.waitForCalls("setMyCommands", 2);
    for (let i = 0; i < 4; i++)
      server.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    const askedAt = Date.now();
    server.privateText(103, STUDENTS);
    const calls = await server.waitForCalls("sendMessage", 5, 12_000);
    const at = calls.map((call) => call.at);
    const [first = 0, second = 0, third = 0, fourth = 0, notice = 0] = at;
    expect(calls.slice(0, 4).every((call) => !call.response.ok)).toBe(true);
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(second - first).toBeLessThan(1_600);
    expect(third - second).toBeGreaterThanOrEqual(1_950);
    expect(third - second).toBeLessThan(2_600);
    expect(fourth - third).toBeGreaterThanOrEqual(3_950);
    expect(fourth - third).toBeLessThan(4_600);
    // No wait after the last attempt.
    expect(notice - fourth).toBeLessThan(500);
    expect(notice - askedAt).toBeLessThan(8_000);
    await sleep(300);
    expect(sent(server, 103)).toEqual([FAILED]);
    expect(logged(records, LEVEL.error, "update failed")).toHaveLength(1);
  });

  it("a 429 with retry_after 2: the answer arrives after 2 s, once", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    await server.waitForCalls("setMyCommands", 2);
    server.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 2",
      retry_after: 2,
    });
    server.privateText(104, STUDENTS);
    const [refused, accepted] = await server.waitForCalls("sendMessage", 2, 6_000);
    expect(refused?.response.ok).toBe(false);
    expect(accepted?.response.ok).toBe(true);
    const waited = (accepted?.at ?? 0) - (refused?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1_950);
    expect(waited).toBeLessThan(2_600);
    await sleep(300);
    const texts = sent(server, 104);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(STUDENTS_FACT);
    expect(logged(records, LEVEL.error)).toEqual([]);
  });
});

describe("ALLOWED_CHAT_IDS", () => {
  const LISTED = 111;
  const UNLISTED = 112;

  it("answers an inline query from a listed user, and one from anyone else with no results", async (context) => {
    const scope = new Scope(context);
    const { server } = await pollingBot(scope, { allowedChatIds: new Set([LISTED]) });
    const stranger = server.inlineQuery(UNLISTED, STUDENTS);
    const member = server.inlineQuery(LISTED, STUDENTS);
    const calls = await server.waitForCalls("answerInlineQuery", 2);
    const byId = (update: Update) =>
      calls.find((call) => call.payload.inline_query_id === update.inline_query?.id);
    expect(byId(stranger)?.payload.results).toEqual([]);
    const results = byId(member)?.payload.results as { input_message_content: { message_text: string } }[];
    expect(results).toHaveLength(1);
    expect(results[0]?.input_message_content.message_text).toContain(STUDENTS_FACT);
  });

  it("acknowledges a button under an inline message (no chat), listed user or not, and the update does not fail", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope, { allowedChatIds: new Set([LISTED]) });
    const press = (from: number, data: string): CallbackQuery => ({
      id: `inline-press-${from}-${data}`,
      from: user(from),
      inline_message_id: `AgAAAInlineMessage${from}`,
      chat_instance: "4242",
      data,
    });
    const presses = [press(LISTED, "ask:0"), press(UNLISTED, "ask:0"), press(LISTED, "old:7")];
    for (const callback_query of presses) server.pushUpdate({ callback_query });
    const calls = await server.waitForCalls("answerCallbackQuery", presses.length);
    expect(calls.map((call) => call.payload.callback_query_id).sort()).toEqual(
      presses.map(({ id }) => id).sort(),
    );
    expect(calls.every((call) => call.response.ok)).toBe(true);
    await sleep(300);
    expect(callsOf(server, "sendMessage")).toEqual([]);
    expect(logged(records, LEVEL.error)).toEqual([]);
  });

  it("tells a private chat that is not listed that the bot is not available there, and answers nothing", async (context) => {
    const scope = new Scope(context);
    const { server } = await pollingBot(scope, { allowedChatIds: new Set([LISTED]) });
    server.privateText(UNLISTED, STUDENTS);
    server.privateText(LISTED, STUDENTS);
    await server.waitForCalls("sendMessage", 2);
    expect(sent(server, UNLISTED)).toEqual([BOT_MESSAGES.notAllowed]);
    expect(sent(server, LISTED)[0]).toContain(STUDENTS_FACT);
  });
});

describe("floods", () => {
  it(`30 stickers in a few seconds get ${RATE_LIMIT_PER_MINUTE} replies, not 30`, async (context) => {
    const scope = new Scope(context);
    const { server } = await pollingBot(scope, { perWindow: RATE_LIMIT_PER_MINUTE });
    for (let i = 0; i < 30; i++) {
      server.privateSticker(121);
      await sleep(30);
    }
    await server.waitForCalls("sendMessage", RATE_LIMIT_PER_MINUTE);
    await sleep(500);
    const texts = sent(server, 121);
    expect(texts).toHaveLength(RATE_LIMIT_PER_MINUTE);
    expect(new Set(texts)).toEqual(new Set([BOT_MESSAGES.notText]));
  });

  it("stickers, unknown commands and /help, then questions: the limit's replies and one notice", async (context) => {
    const scope = new Scope(context);
    const { server } = await pollingBot(scope, { perWindow: RATE_LIMIT_PER_MINUTE });
    for (let i = 0; i < 10; i++) {
      server.privateSticker(122);
      server.privateText(122, "/nosuchcommand");
      server.privateText(122, "/help");
    }
    for (let i = 0; i < 3; i++) server.privateText(122, STUDENTS);
    await server.waitForCalls("sendMessage", RATE_LIMIT_PER_MINUTE + 1);
    await sleep(500);
    const texts = sent(server, 122);
    const notices = texts.filter((text) => text === BOT_MESSAGES.rateLimited);
    expect(notices).toHaveLength(1);
    expect(texts).toHaveLength(RATE_LIMIT_PER_MINUTE + 1);
    // The questions came after the budget was spent: no answer among the replies.
    expect(texts.some((text) => text.includes(STUDENTS_FACT))).toBe(false);
    expect(texts.at(-1)).toBe(BOT_MESSAGES.rateLimited);
  });
});

describe("buttons", () => {
  it("acknowledges a button with data it does not know, and sends nothing", async (context) => {
    const scope = new Scope(context);
    const { server, records } = await pollingBot(scope);
    const press = server.callbackQuery(131, 131, "old-keyboard:42", 1);
    const [call] = await server.waitForCalls("answerCallbackQuery", 1);
    expect(call?.payload.callback_query_id).toBe(press.callback_query?.id);
    expect(call?.response.ok).toBe(true);
    await sleep(300);
    expect(callsOf(server, "sendMessage")).toEqual([]);
    expect(logged(records, LEVEL.error)).toEqual([]);
  });
});

describe("question length, counted in characters (code points)", () => {
  /** A text's code points (an emoji is one; a flag is two regional indicators). */
  const codePoints = (text: string): string[] => Array.from(text);

  /** `count` code points: the question, then emoji (two UTF-16 units each) and an Arabic word. */
  function paddedQuestion(count: number): string {
    const filler = codePoints("📚🙂🌍📰🕌🌙📖🕊🌟🎓🏫🇷🇺 نص ");
    const chars = codePoints(`${STUDENTS} `);
    for (let i = 0; chars.length < count; i++) chars.push(filler[i % filler.length] ?? "📚");
    return chars.join("");
  }

  it("answers a question of 615 characters that takes more than 1000 UTF-16 units", async (context) => {
    const scope = new Scope(context);
    const { server } = await pollingBot(scope);
    const question = paddedQuestion(615);
    expect(codePoints(question)).toHaveLength(615);
    expect(question.length).toBeGreaterThan(MAX_QUESTION_LENGTH);
    server.privateText(141, question);
    await server.waitForCalls("sendMessage", 1);
    const [text] = sent(server, 141);
    expect(text).not.toBe(BOT_MESSAGES.tooLong(MAX_QUESTION_LENGTH));
    expect(text).toContain(STUDENTS_FACT);
  });

  it("accepts 1000 characters and refuses 1001 with the Arabic too-long message", async (context) => {
    const scope = new Scope(context);
    const { server } = await pollingBot(scope);
    const longest = paddedQuestion(MAX_QUESTION_LENGTH);
    const tooLong = paddedQuestion(MAX_QUESTION_LENGTH + 1);
    expect(codePoints(tooLong)).toHaveLength(MAX_QUESTION_LENGTH + 1);
    server.privateText(142, longest);
    server.privateText(143, tooLong);
    await server.waitForCalls("sendMessage", 2);
    expect(sent(server, 142)[0]).not.toBe(BOT_MESSAGES.tooLong(MAX_QUESTION_LENGTH));
    expect(sent(server, 143)).toEqual([BOT_MESSAGES.tooLong(MAX_QUESTION_LENGTH)]);
    expect(BOT_MESSAGES.tooLong(MAX_QUESTION_LENGTH)).toContain("سؤالك طويل جداً");
  });
});
