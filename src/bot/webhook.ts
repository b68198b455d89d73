import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { BotError, GrammyError, type Bot } from "grammy";
import { ConfigError } from "../config/index.js";
import type { Update } from "grammy/types";
import type { Logger } from "../log/index.js";
import { ALLOWED_UPDATES, registerCommands } from "./run-bot.js";

/** Options of {@link startWebhook}. */
export interface WebhookOptions {
  /** The public HTTPS URL Telegram posts updates to; its path is the path served. */
  readonly url: string;
  /** Address and port to listen on (behind the HTTPS proxy that `url` reaches). */
  readonly host: string;
  readonly port: number;
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token: requests without it are refused. */
  readonly secretToken: string;
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
/** Update ids remembered to drop Telegram's re-deliveries. */
const REMEMBERED_UPDATES = 10_000;

/**
 * Webhook mode: Telegram posts each update to `url`; the server acknowledges at once (Telegram re-delivers
 * an update that is not acknowledged within seconds, and an LLM answer takes longer) and handles it in
 * the background, ignoring an update_id it has already seen.
 */
export async function startWebhook(
  bot: Bot,
  options: WebhookOptions,
  logger: Logger,
): Promise<WebhookHandle> {
  await bot.init();
  await registerCommands(bot);
  const seen = new Set<number>();
  const inFlight = new Set<Promise<void>>();
  const path = new URL(options.url).pathname;

  const server = createServer((request, response) => {
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
      .then((update) => {
        if (!update) {
          response.writeHead(400).end();
          return;
        }
        response.writeHead(200, { "content-type": "application/json" }).end("{}");
        if (seen.has(update.update_id)) return;
        seen.add(update.update_id);
        if (seen.size > REMEMBERED_UPDATES) seen.delete(seen.values().next().value ?? update.update_id);
        const handling = bot
          .handleUpdate(update)
          .catch(async (error: unknown) => {
            // handleUpdate does not call bot.catch itself: hand the error to it, as polling does.
            // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- instanceof narrows to BotError<any>; this bot's context is Context
            if (error instanceof BotError) await bot.errorHandler(error);
            else logger.error({ updateId: update.update_id, err: String(error) }, "update failed");
          })
          .finally(() => inFlight.delete(handling));
        inFlight.add(handling);
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
  const { port } = server.address() as AddressInfo;
  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
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
