import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Update } from "grammy/types";
import type { UpdateQueue, UpdateConsumer } from "../bot/index.js";
import type { Logger } from "../log/index.js";
import type { RedisConnection } from "./redis-connection.js";

/** How long an update id is remembered to drop a re-delivery (Telegram re-delivers within hours). */
const SEEN_TTL_SECONDS = 24 * 60 * 60;
/** Entries read at once, and how long a read waits for new ones (ms): stop takes at most this. */
const READ_COUNT = 16;
const READ_BLOCK_MS = 1_000;
/** Entries a replica holds at most, unless told otherwise. */
const DEFAULT_MAX_HELD = 64;
/** Pause before a chat's next entry is tried again while an earlier one is being answered (ms). */
const TURN_RETRY_MS = 50;
/** How long the first read waits for its connection, in milliseconds; past it, reads retry as in an outage. */
const STARTUP_WAIT_MS = 5_000;
/** Pause after a failed read before the next, in milliseconds. */
const FAILURE_PAUSE_MS = 1_000;

/**
 * Appends an update unless its id was seen (one step, so that two replicas given the same update queue
 * it once), and queues its entry id on its chat's list: the chat's order of arrival.
 */
const APPEND_SCRIPT = `
if not redis.call("SET", KEYS[1], "1", "NX", "EX", ARGV[2]) then return false end
local id = redis.call("XADD", KEYS[2], "*", "update", ARGV[1], "chat", ARGV[3])
if ARGV[3] ~= "" then redis.call("RPUSH", KEYS[3], id) end
return id
`;

/** Whether an entry is its chat's oldest unanswered one (or has no chat): only then is it answered. */
const TURN_SCRIPT = `
if ARGV[2] == "" then return 1 end
local head = redis.call("LINDEX", KEYS[1], 0)
if not head or head == ARGV[1] then return 1 end
return 0
`;

/** Acknowledges an answered entry, removes it from the stream, and passes its chat's turn on. */
const DONE_SCRIPT = `
redis.call("XACK", KEYS[1], ARGV[1], ARGV[2])
redis.call("XDEL", KEYS[1], ARGV[2])
if ARGV[3] ~= "" then redis.call("LREM", KEYS[2], 1, ARGV[2]) end
return 1
`;

/** One entry of the stream, as read. */
interface Entry {
  readonly id: string;
  readonly update: Update | undefined;
  readonly chat: string;
}

/** Options of {@link RedisUpdateStream}. */
export interface RedisUpdateStreamOptions {
  /** An entry silent this long (ms) is taken over from the replica that holds it (STREAM_CLAIM_AFTER_MS). */
  readonly claimAfterMs: number;
  /** This replica's name in the consumer group; unique by default. */
  readonly consumer?: string;
  /**
   * Entries this replica holds at most (being answered or waiting for their chat's turn): past it, it
   * reads no more and leaves new entries to the other replicas. Defaults to 64.
   */
  readonly maxHeld?: number;
}

/**
 * The work queue of replicas in webhook mode: a Redis Stream with one consumer group. The replica that
 * receives an update appends it (dropping an update id seen in the last day) and acknowledges Telegram;
 * every replica reads entries through the group, answers, and acknowledges an entry only once its reply
 * is delivered. A replica renews the entries it holds every third of `claimAfterMs`; entries left by a
 * replica that died go silent and are claimed by another (XAUTOCLAIM). Each chat's entries are answered
 * in order of arrival, whichever replicas hold them: an entry waits until every earlier one of its chat
 * is acknowledged.
 */
export class RedisUpdateStream implements UpdateQueue {
  private readonly stream: string;
  private readonly group = "answerers";
  private readonly consumer: string;
  private pending = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly logger: Logger,
    private readonly options: RedisUpdateStreamOptions,
  ) {
    this.stream = redis.key("updates", "stream");
    this.consumer = options.consumer ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  /** Entries appended and not yet acknowledged, across replicas (as of the last look). */
  get pendingCount(): number {
    return this.pending;
  }

  async append(update: Update): Promise<boolean> {
    const chat = orderKeyOf(update);
    const id: unknown = await this.redis.client.eval(
      APPEND_SCRIPT,
      3,
      this.redis.key("updates", `seen:${update.update_id}`),
      this.stream,
      this.redis.key("updates", `chat:${chat}`),
      JSON.stringify(update),
      SEEN_TTL_SECONDS,
      chat,
    );
    return typeof id === "string";
  }

  consume(handle: (update: Update) => Promise<void>): UpdateConsumer {
    const held = new Map<string, Promise<void>>();
    let stopped = false;
    let lastClaim = 0;
    const take = (entry: Entry): void => {
      if (held.has(entry.id)) return;
      const work = this.answer(entry, handle, () => stopped).finally(() => held.delete(entry.id));
      held.set(entry.id, work);
    };
    // Renewal runs on a timer of its own: a blocking read must never let a held entry go silent.
    const renewal = setInterval(() => {
      this.renew([...held.keys()]).catch((error: unknown) => {
        this.redis.failed(error);
      });
    }, this.options.claimAfterMs / 3);
    const loop = async (): Promise<void> => {
      // The connection for blocking reads is opened now: a read before it is up would fail, and say so.
      await this.redis.ready(STARTUP_WAIT_MS, this.redis.blocking());
      await this.ensureGroup().catch(() => undefined);
      while (!stopped) {
        try {
          const now = Date.now();
          if (now - lastClaim >= this.options.claimAfterMs / 2) {
            for (const entry of await this.claimSilent()) take(entry);
            this.pending = await this.countPending();
            lastClaim = now;
          }
          const room = (this.options.maxHeld ?? DEFAULT_MAX_HELD) - held.size;
          if (room <= 0) {
            await sleep(TURN_RETRY_MS);
            continue;
          }
          for (const entry of await this.readNew(Math.min(READ_COUNT, room))) take(entry);
        } catch (error) {
          if (String(error).includes("NOGROUP")) {
            // Redis came back empty (restarted without its data): the group is made again.
            await this.ensureGroup().catch(() => undefined);
          } else {
            this.redis.failed(error);
          }
          await sleep(FAILURE_PAUSE_MS);
        }
      }
      await Promise.all(held.values());
      clearInterval(renewal);
    };
    const running = loop();
    return {
      stop: async () => {
        stopped = true;
        await running;
      },
    };
  }

  /** Answers one entry in its chat's turn, then acknowledges it. */
  private async answer(
    entry: Entry,
    handle: (update: Update) => Promise<void>,
    stopped: () => boolean,
  ): Promise<void> {
    if (entry.update) {
      while (!(await this.isTurnOf(entry))) {
        // Stopping leaves the entry pending: another replica takes it over, in its turn.
        if (stopped()) return;
        await sleep(TURN_RETRY_MS);
      }
      await handle(entry.update);
    } else {
      this.logger.warn({ entry: entry.id }, "update stream: an entry without a readable update dropped");
    }
    await this.done(entry);
  }

  private async isTurnOf(entry: Entry): Promise<boolean> {
    try {
      const turn = await this.redis.client.eval(
        TURN_SCRIPT,
        1,
        this.redis.key("updates", `chat:${entry.chat}`),
        entry.id,
        entry.chat,
      );
      return turn === 1;
    } catch (error) {
      this.redis.failed(error);
      return false;
    }
  }

  /** Acknowledges an entry, retrying while Redis is away: until then it stays this replica's. */
  private async done(entry: Entry): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.redis.client.eval(
          DONE_SCRIPT,
          2,
          this.stream,
          this.redis.key("updates", `chat:${entry.chat}`),
          this.group,
          entry.id,
          entry.chat,
        );
        return;
      } catch (error) {
        this.redis.failed(error);
        if (attempt >= 30) {
          this.logger.warn({ entry: entry.id }, "update stream: answered entry not acknowledged");
          return;
        }
        await sleep(FAILURE_PAUSE_MS);
      }
    }
  }

  private async ensureGroup(): Promise<void> {
    try {
      await this.redis.client.xgroup("CREATE", this.stream, this.group, "0", "MKSTREAM");
    } catch (error) {
      if (!String(error).includes("BUSYGROUP")) throw error;
    }
  }

  private async readNew(count: number): Promise<Entry[]> {
    const reply = (await this.redis
      .blocking()
      .xreadgroup(
        "GROUP",
        this.group,
        this.consumer,
        "COUNT",
        count,
        "BLOCK",
        Math.min(READ_BLOCK_MS, Math.ceil(this.options.claimAfterMs / 2)),
        "STREAMS",
        this.stream,
        ">",
      )) as [string, [string, string[]][]][] | null;
    return (reply?.[0]?.[1] ?? []).map(toEntry);
  }

  /** Takes over the entries that have been silent for claimAfterMs (their replica died). */
  private async claimSilent(): Promise<Entry[]> {
    const reply = (await this.redis.client.xautoclaim(
      this.stream,
      this.group,
      this.consumer,
      this.options.claimAfterMs,
      "0-0",
      "COUNT",
      100,
    )) as [string, ([string, string[]] | null)[]];
    const entries = reply[1].flatMap((raw) => (raw ? [toEntry(raw)] : []));
    if (entries.length > 0) {
      this.logger.info({ entries: entries.length }, "update stream: took over entries a silent replica held");
    }
    return entries;
  }

  /** Resets the idle time of the entries this replica holds: they are not silent, only slow. */
  private async renew(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.client.xclaim(this.stream, this.group, this.consumer, 0, ...ids, "JUSTID");
  }

  /** Entries appended and not yet answered: answered ones are deleted from the stream. */
  private countPending(): Promise<number> {
    return this.redis.client.xlen(this.stream);
  }
}

/** The order an update belongs to: its chat (a message, a button under one), or its user (inline). */
export function orderKeyOf(update: Update): string {
  const chat =
    update.message?.chat.id ?? update.callback_query?.message?.chat.id ?? update.callback_query?.from.id;
  if (chat !== undefined) return String(chat);
  const user = update.inline_query?.from.id;
  return user === undefined ? "" : `user:${user}`;
}

function toEntry([id, fields]: [string, string[]]): Entry {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i] ?? "", fields[i + 1] ?? "");
  return { id, update: parseUpdate(values.get("update")), chat: values.get("chat") ?? "" };
}

function parseUpdate(text: string | undefined): Update | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Update>;
    return typeof value.update_id === "number" ? (value as Update) : undefined;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
