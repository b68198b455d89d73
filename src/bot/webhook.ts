import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GrammyError, type Bot } from "grammy";
import { ConfigError } from "../config/index.js";
import type { Update } from "grammy/types";
import type { Logger } from "../log/index.js";
import { handleOne, replayUnfinished } from "./bot.js";
import { ALLOWED_UPDATES, registerCommands, withinStartup, type StartupOptions } from "./run-bot.js";
import { RecentIds } from "./recent-ids.js";
import type { UpdateJournal } from "./update-journal.js";

/** Options of {@link startWebhook}. */
export interface WebhookOptions extends StartupOptions {
  /** The public HTTPS URL Telegram posts updates to; its path is the path served. */
  readonly url: string;
  /** Address and port to listen on (behind the HTTPS proxy that `url` reaches). */
  readonly host: string;
  readonly port: number;
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token: requests without it are refused. */
  readonly secretToken: string;
  /**
   * The bot's update journal (the one passed to createBot): an update is acknowledged only once it is
   * on disk, and the updates a previous run left unfinished are answered first.
   */
  readonly journal?: UpdateJournal;
  /**
   * The queue replicas share (a Redis Stream): an update is acknowledged once it is queued, and answered
   * by whichever replica takes it. When the queue cannot be reached, updates are answered here, at once.
   */
  readonly queue?: UpdateQueue;
  /** Serves the operations endpoints (GET /healthz, /readyz, /metrics) on this server; says if it did. */
  readonly ops?: (request: IncomingMessage, response: ServerResponse) => boolean;
}

/** Work shared by replicas: updates queued by the one that receives them, answered by any. */
export interface UpdateQueue {
  /** Queues an update; false when its id was queued before. Rejects when the queue cannot be reached. */
  append(update: Update): Promise<boolean>;
  /** Answers queued updates with `handle` until stopped; an entry is done once `handle` resolves. */
  consume(handle: (update: Update) => Promise<void>): UpdateConsumer;
}

/** A replica's share of the queue's work, running. */
export interface UpdateConsumer {
  /** Takes no more entries and waits for the ones being answered. */
  stop(): Promise<void>;
}

/** A running webhook server. */
export interface WebhookHandle {
  /** The port actually listened on (useful with port 0). */
  readonly port: number;
  /** Stops accepting updates, then waits for the answers in flight. */
  stop(): Promise<void>;
}

/** Largest update body accepted, in bytes: updates are a few kilobytes. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Webhook mode: Telegram posts each update to `url`; the server acknowledges it as soon as it is safe —
 * at once, or with a journal once the update is on disk (Telegram re-delivers an update that is not
 * acknowledged within seconds, and an LLM answer takes longer) — and handles it in the background,
 * ignoring an update_id it has already seen.
 */
export async function startWebhook(
  bot: Bot,
  options: WebhookOptions,
  logger: Logger,
): Promise<WebhookHandle> {
  await withinStartup(options, async (signal) => {
    await bot.init(signal);
    await registerCommands(bot, signal);
  });
  const seen = new RecentIds();
  const inFlight = new Set<Promise<void>>();
  const path = new URL(options.url).pathname;
  const track = (handling: Promise<void>): void => {
    const tracked = handling.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const server = createServer((request, response) => {
    if (options.ops?.(request, response) === true) return;
    if (request.method !== "POST" || request.url !== path) {
      response.writeHead(404).end();
      return;
    }
    if (request.headers["x-telegram-bot-api-secret-token"] !== options.secretToken) {
      response.writeHead(401).end();
      return;
    }
    void readUpdate(request)
      // A client that drops the connection mid-body: nothing to answer.
      .catch(() => undefined)
      .then(async (update) => {
        if (!update) {
          response.writeHead(400).end();
          return;
        }
        if (options.queue) {
          try {
            await options.queue.append(update);
            response.writeHead(200, { "content-type": "application/json" }).end("{}");
            return;
          } catch {
            // The queue's own outage log has told the operator; the update is answered here instead.
          }
        }
        if (options.journal) {
          try {
            await options.journal.receive([update]);
          } catch (error) {
            // Not acknowledged: Telegram delivers it again, and nothing is lost.
            logger.error({ updateId: update.update_id, err: String(error) }, "update journal: write failed");
            response.writeHead(500).end();
            return;
          }
        }
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
        // With a journal, the bot itself drops what it has seen (createBot); without one, this set does.
        if (!options.journal) {
          if (seen.has(update.update_id)) return;
          seen.add(update.update_id);
        }
        track(handleOne(bot, update, logger));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  try {
    await bot.api.setWebhook(options.url, {
      secret_token: options.secretToken,
      allowed_updates: ALLOWED_UPDATES,
    });
  } catch (error) {
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
    const reason = error instanceof GrammyError ? error.description : String(error);
    throw new ConfigError(`Telegram refused the webhook at WEBHOOK_URL ${options.url}: ${reason}`);
  }
  if (options.journal) track(replayUnfinished(bot, options.journal, logger));
  const consumer = options.queue?.consume((update) => handleOne(bot, update, logger));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      await consumer?.stop();
      await Promise.all(inFlight);
    },
  };
}

async function readUpdate(request: IncomingMessage): Promise<Update | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Partial<Update>;
    return typeof update.update_id === "number" ? (update as Update) : undefined;
  } catch {
    return undefined;
  }
}
