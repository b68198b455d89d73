import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type {
  CallbackQuery,
  Chat,
  InlineQuery,
  Message,
  MessageEntity,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { listenOnLoopback } from "./loopback.js";

/** The body of a Bot API answer, as sent. */
export type ApiResponse =
  | { readonly ok: true; readonly result: unknown }
  | {
      readonly ok: false;
      readonly error_code: number;
      readonly description: string;
      readonly parameters?: { readonly retry_after: number };
    };

/** A method call the stand-in answered (getUpdates excepted). */
export interface RecordedCall {
  /** The method's canonical name (`sendMessage` even when called as `sendmessage`). */
  readonly method: string;
  /** The parameters, from the JSON body, form body and query string. */
  readonly payload: Record<string, unknown>;
  /** When it was answered, in ms since the epoch. */
  readonly at: number;
  /** What the stand-in answered. */
  readonly response: ApiResponse;
}

/** A failure scripted with {@link BotApiStandIn.failNext}. */
export interface ScriptedFailure {
  readonly error_code: number;
  readonly description: string;
  /** Sent as `parameters.retry_after`. */
  readonly retry_after?: number;
}

/** Options of {@link BotApiStandIn.dropNext}. */
export interface DropOptions {
  /**
   * Whether the call is processed and recorded before its connection is cut, as when Telegram did what was
   * asked but the answer was lost on the way back. Default false: the request is lost on the way there.
   */
  readonly processed?: boolean;
}

/** A message the bot sent, as it stands now (edits applied, deleted ones gone). */
export interface SentMessage {
  readonly message_id: number;
  readonly text: string;
  readonly entities?: unknown[];
  readonly reply_parameters?: unknown;
  readonly message_thread_id?: number;
}

/** A running stand-in for the Telegram Bot API. */
export interface BotApiStandIn {
  /** What `client.apiRoot` takes, e.g. `http://127.0.0.1:PORT` (no trailing slash). */
  readonly apiRoot: string;
  /** The token it accepts; requests with another token get 401 "Unauthorized". */
  readonly token: string;
  /** What getMe answers; can be passed as grammY's `botInfo` to skip getMe. */
  readonly botInfo: UserFromGetMe;
  /**
   * Every method call except getUpdates, in the order they were processed. Only processed calls are here:
   * not the ones lost to {@link delay}, {@link dropNext} (without `processed`) or {@link outage}.
   */
  readonly calls: RecordedCall[];
  /** Queues an update (update_id assigned automatically, increasing) for getUpdates; returns it. */
  pushUpdate(update: Omit<Update, "update_id">): Update;
  /** Queues a private-chat text message; a bot_command entity for "/cmd" and a mention for "@name". */
  privateText(userId: number, text: string, extra?: Partial<Message>): Update;
  /** Queues a supergroup text message; bot_command entities for "/cmd" and "/cmd@username", mentions for "@username". */
  groupText(chatId: number, userId: number, text: string, extra?: Partial<Message>): Update;
  /** Queues a private-chat sticker. */
  privateSticker(userId: number): Update;
  /** Queues an inline query; its id can be answered once with answerInlineQuery. */
  inlineQuery(userId: number, query: string): Update;
  /** Queues a button press on message `messageId` of chat `chatId`; its id can be answered once. */
  callbackQuery(userId: number, chatId: number, data: string, messageId: number): Update;
  /**
   * Makes the next call of `method` fail with this error; several are consumed in order. The call is
   * recorded with the error. Faults apply in this order: {@link outage}, {@link delay}, {@link dropNext},
   * then failNext, which is consumed only by a call that is processed.
   */
  failNext(method: string, failure: ScriptedFailure): void;
  /**
   * From now on every call of `method` waits `ms` after its request has arrived before it is processed
   * (its `at` is then); `delay(method, 0)` ends this. A call whose client closes the connection while it
   * waits (an AbortController, a killed process) is neither processed nor recorded, as a request that
   * never reached Telegram. For getUpdates the wait comes before its offset is applied and its long poll
   * starts. {@link close} ends the waits, processing none of them.
   */
  delay(method: string, ms: number): void;
  /**
   * Cuts the connection (a TCP reset, with no HTTP response) of the next `count` (default 1) calls of
   * `method` that get past {@link delay}. Without `processed` the call is not processed: nothing recorded,
   * no {@link failNext} consumed, no getUpdates offset applied. With `processed: true` it is processed and
   * recorded first (a scripted failure included), then cut; a getUpdates applies its offset and runs its
   * long poll, and its answer is replaced by the reset.
   */
  dropNext(method: string, count?: number, options?: DropOptions): void;
  /**
   * While on, the server is unreachable: every open connection (idle keep-alive ones, pending long polls,
   * calls waiting in a {@link delay}, which are then not processed) is reset at once, and so is every new
   * one as soon as it is accepted, so that clients see ECONNRESET or "socket hang up". The port stays bound
   * (this is not "connection refused", which would need the port released and taken again). Off restores
   * service; queued updates, chats, messages and scripted faults are kept.
   */
  outage(on: boolean): void;
  /**
   * The highest update_id that a processed getUpdates call confirmed: its `offset` - 1, or the last
   * update a negative offset made Telegram forget; 0 before any.
   */
  confirmedUpTo(): number;
  /** Resolves with the calls of `method` once `count` were recorded; rejects after `timeoutMs` (default 10 s) or on close. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** The messages the bot sent to a chat (sendMessage, with editMessageText applied), by message_id. */
  sentMessages(chatId: number): SentMessage[];
  /**
   * Releases a pending getUpdates with no updates, rejects pending waits, ends the calls waiting in a
   * {@link delay} unprocessed, and closes every connection (during an outage too).
   */
  close(): Promise<void>;
}

/** Options of {@link startBotApiStandIn}. */
export interface BotApiStandInOptions {
  /** Default {@link STAND_IN_TOKEN}; the bot's id is the part before the colon. */
  readonly token?: string;
  /** Default {@link STAND_IN_USERNAME}. */
  readonly username?: string;
}

export const STAND_IN_TOKEN = "7000000001:AAStandInTokenForTestsOnly0123456789ab";
export const STAND_IN_USERNAME = "sanad_test_bot";

/** The first update_id handed out. */
const FIRST_UPDATE_ID = 100_000;
/** Longest text of a message, in UTF-16 code units. */
const MAX_TEXT_LENGTH = 4096;
/** Most results an inline query may be answered with. */
const MAX_INLINE_RESULTS = 50;

/** What getMe answers for the bot of this token and username (the id is the token's number). */
export function standInBotInfo(token = STAND_IN_TOKEN, username = STAND_IN_USERNAME): UserFromGetMe {
  return {
    id: Number(/^(\d+):/.exec(token)?.[1] ?? "7000000001"),
    is_bot: true,
    first_name: "Sanad Test",
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: true,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/**
 * A Telegram Bot API server on 127.0.0.1 for end-to-end tests of a grammY bot, speaking the real wire
 * format: `POST {apiRoot}/bot{token}/{method}` with a JSON, form or query-string payload, answered with
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }` under the same HTTP
 * status. Method names are matched case-insensitively, as the Bot API does.
 *
 * Implemented: getMe, getUpdates (offset, limit, long polling with timeout, 409 for a second poller),
 * deleteWebhook, getWebhookInfo, setMyCommands, setMyDescription, sendMessage, editMessageText,
 * deleteMessage, sendChatAction, sendMessageDraft, answerInlineQuery, answerCallbackQuery. Any other
 * method gets 404 "Not Found: method not found". Texts are checked as the Bot API server and TDLib check
 * them (their error texts): empty and too-long texts, explicit entities (offsets/lengths inside the text,
 * not splitting a surrogate pair), HTML parse mode (a port of TDLib's parser: balanced supported tags,
 * escaped `<`; a bare `&` is accepted, as Telegram does), control characters cleaned and the text trimmed.
 * Markdown parse modes are not implemented and answered with a 400 naming the stand-in.
 *
 * Chats are implicit: any chat id is accepted; positive ids are private chats, ids below -10^12
 * supergroups, other negative ids basic groups. Message ids are counted per chat, shared by the
 * messages pushed in updates and the ones the bot sends, so that replies can be checked.
 *
 * Faults for reliability tests, per method: an error answer ({@link BotApiStandIn.failNext}), a wait
 * before processing ({@link BotApiStandIn.delay}), a connection cut with or without the call processed
 * ({@link BotApiStandIn.dropNext}); and for the whole server, an outage that resets every connection
 * ({@link BotApiStandIn.outage}). {@link BotApiStandIn.confirmedUpTo} tells which updates the bot confirmed.
 */
export async function startBotApiStandIn(options: BotApiStandInOptions = {}): Promise<BotApiStandIn> {
  const token = options.token ?? STAND_IN_TOKEN;
  const state = new StandInState(token, standInBotInfo(token, options.username ?? STAND_IN_USERNAME));

  const server: Server = createServer((request, response) => {
    state.handle(request, response).catch(() => {
      if (!response.headersSent && !response.destroyed) {
        sendJson(response, 500, { ok: false, error_code: 500, description: "Internal Server Error" });
      } else response.destroy();
    });
  });
  server.keepAliveTimeout = 0;
  server.on("connection", (socket: Socket) => {
    state.accept(socket);
  });
  const { port, destroyConnections } = await listenOnLoopback(server);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const flushed = state.shutDown();
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      });
      await flushed;
      destroyConnections();
      await closed;
    })();
    return closing;
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo: state.botInfo,
    calls: state.calls,
    pushUpdate: (update) => state.pushUpdate(update),
    privateText: (userId, text, extra) => state.privateText(userId, text, extra),
    groupText: (chatId, userId, text, extra) => state.groupText(chatId, userId, text, extra),
    privateSticker: (userId) => state.privateSticker(userId),
    inlineQuery: (userId, query) => state.inlineQuery(userId, query),
    callbackQuery: (userId, chatId, data, messageId) => state.callbackQuery(userId, chatId, data, messageId),
    failNext: (method, failure) => {
      state.failNext(method, failure);
    },
    delay: (method, ms) => {
      state.delay(method, ms);
    },
    dropNext: (method, count, dropOptions) => {
      state.dropNext(method, count ?? 1, dropOptions?.processed ?? false);
    },
    outage: (on) => {
      state.setOutage(on);
    },
    confirmedUpTo: () => state.confirmedUpTo,
    waitForCalls: (method, count, timeoutMs) => state.waitForCalls(method, count, timeoutMs ?? 10_000),
    sentMessages: (chatId) => state.sentMessages(chatId),
    close,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Errors and payload reading

/** A Bot API error answer. */
class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(description);
  }
}

const badRequest = (text: string): ApiError => new ApiError(400, `Bad Request: ${text}`);

type Payload = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A parameter that holds JSON: objects as sent in a JSON body, or JSON text in a form or query string. */
function jsonParameter(payload: Payload, name: string): unknown {
  const value = payload[name];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw badRequest(`can't parse ${name} JSON object`);
  }
}

/** An integer parameter (a number or a string of digits), or undefined. */
function integerOf(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

function requireChatId(payload: Payload): number {
  const raw = payload.chat_id;
  if (raw === undefined || raw === "") throw badRequest("chat_id is empty");
  const id = integerOf(raw);
  // Chats are implicit by id; a @username cannot be resolved.
  if (id === undefined || id === 0) throw badRequest("chat not found");
  return id;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readPayload(request: IncomingMessage, url: URL): Promise<Payload> {
  const payload: Payload = {};
  for (const [key, value] of url.searchParams) payload[key] = value;
  const body = await readBody(request);
  if (body.length === 0) return payload;
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (!isRecord(parsed)) throw badRequest("can't parse JSON object");
    Object.assign(payload, parsed);
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) payload[key] = value;
  } else if (type.startsWith("multipart/form-data")) {
    throw badRequest("the stand-in does not accept multipart/form-data (file uploads)");
  }
  return payload;
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Cuts the connection of a request with a TCP reset, answering nothing. */
function cut(response: ServerResponse): void {
  const socket = response.req.socket;
  if (!socket.destroyed) socket.resetAndDestroy();
  response.destroy();
}

/** Whether the client of a request that has not been answered yet is gone. */
function isGone(response: ServerResponse): boolean {
  return response.destroyed || response.req.socket.destroyed;
}

function toResponse(error: ApiError): ApiResponse {
  return {
    ok: false,
    error_code: error.errorCode,
    description: error.description,
    ...(error.retryAfter === undefined ? {} : { parameters: { retry_after: error.retryAfter } }),
  };
}

// ---------------------------------------------------------------------------------------------------------
// State

interface StoredMessage {
  message: Message;
  readonly fromBot: boolean;
  readonly replyParameters?: unknown;
}

interface ChatState {
  nextMessageId: number;
  readonly messages: Map<number, StoredMessage>;
}

interface Poll {
  readonly response: ServerResponse;
  readonly limit: number;
  /** Cut instead of answered (a {@link BotApiStandIn.dropNext} with `processed`). */
  readonly drop: boolean;
  timer?: NodeJS.Timeout;
  done: boolean;
}

interface Waiter {
  readonly method: string;
  readonly count: number;
  readonly resolve: (calls: RecordedCall[]) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

type Handler = (payload: Payload) => unknown;

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid";
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a " +
  "current content and reply markup of the message";

class StandInState {
  readonly calls: RecordedCall[] = [];
  private readonly updates: Update[] = [];
  private nextUpdateId = FIRST_UPDATE_ID;
  private poll: Poll | undefined;
  private readonly waiters = new Set<Waiter>();
  private readonly failures = new Map<string, ScriptedFailure[]>();
  /** Delays by lower-cased method name. */
  private readonly delays = new Map<string, number>();
  /** Scripted drops by lower-cased method name; each entry says whether the call is processed. */
  private readonly drops = new Map<string, boolean[]>();
  /** Ends a call's delay: true if its client is still there. */
  private readonly pauses = new Set<(connected: boolean) => void>();
  private readonly sockets = new Set<Socket>();
  private outage = false;
  private confirmed = 0;
  private readonly chats = new Map<number, ChatState>();
  private readonly chatObjects = new Map<number, Chat>();
  private readonly users = new Map<number, User>();
  private readonly openQueries = new Set<string>();
  private readonly inlineMessages = new Map<string, { text: string; entities: string; markup: string }>();
  private nextQueryId = 4_000_000_000_000_000;
  private closed = false;
  private readonly handlers: ReadonlyMap<string, { readonly name: string; readonly handler: Handler }>;

  constructor(
    readonly token: string,
    readonly botInfo: UserFromGetMe,
  ) {
    const table: Record<string, Handler> = {
      getMe: () => this.botInfo,
      deleteWebhook: () => true,
      // Telegram checks that the URL is HTTPS and reachable; the stand-in only records it.
      setWebhook: (p) => {
        if (typeof p.url !== "string" || p.url === "")
          throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
        return true;
      },
      getWebhookInfo: () => ({
        url: "",
        has_custom_certificate: false,
        pending_update_count: this.updates.length,
      }),
      setMyCommands: (p) => this.setMyCommands(p),
      setMyDescription: (p) => {
        const description = stringOf(p.description) ?? "";
        if (description.length > 512) throw badRequest("description is too long");
        return true;
      },
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessageText(p),
      deleteMessage: (p) => this.deleteMessage(p),
      sendChatAction: (p) => {
        requireChatId(p);
        if (!CHAT_ACTIONS.has(stringOf(p.action) ?? ""))
          throw badRequest("wrong parameter action in request");
        return true;
      },
      sendMessageDraft: (p) => this.sendMessageDraft(p),
      answerInlineQuery: (p) => this.answerInlineQuery(p),
      answerCallbackQuery: (p) => {
        this.closeQuery(stringOf(p.callback_query_id));
        return true;
      },
    };
    this.handlers = new Map(
      Object.entries(table).map(([name, handler]) => [name.toLowerCase(), { name, handler }]),
    );
  }

  // --- HTTP ----------------------------------------------------------------------------------------------

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
    let payload: Payload = {};
    let readError: ApiError | undefined;
    try {
      payload = await readPayload(request, url);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      readError = error;
    }
    if (!match) {
      sendJson(response, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    const [, token = "", calledName = ""] = match;
    const known = this.handlers.get(calledName.toLowerCase());
    const method = known?.name ?? (calledName.toLowerCase() === "getupdates" ? "getUpdates" : calledName);
    const key = method.toLowerCase();

    // Faults: a delay (lost if the client leaves meanwhile), the outage, then a scripted drop.
    const delayMs = this.delays.get(key) ?? 0;
    if (delayMs > 0 && !(await this.pause(delayMs, response))) {
      cut(response);
      return;
    }
    if (this.outage || isGone(response)) {
      cut(response);
      return;
    }
    const drop = this.drops.get(key)?.shift();
    if (drop === false) {
      cut(response);
      return;
    }
    const dropped = drop === true;

    let outcome: ApiResponse;
    if (token !== this.token) outcome = toResponse(new ApiError(401, "Unauthorized"));
    else if (calledName === "") outcome = toResponse(new ApiError(404, "Not Found"));
    else if (readError) outcome = toResponse(readError);
    else {
      const failure = this.failures.get(key)?.shift();
      if (failure)
        outcome = toResponse(new ApiError(failure.error_code, failure.description, failure.retry_after));
      else if (method === "getUpdates") {
        this.getUpdates(payload, response, dropped);
        return;
      } else if (!known) outcome = toResponse(new ApiError(404, "Not Found: method not found"));
      else {
        try {
          outcome = { ok: true, result: known.handler(payload) };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          outcome = toResponse(error);
        }
      }
    }
    if (method !== "getUpdates" && method !== "")
      this.record({ method, payload, at: Date.now(), response: outcome });
    if (dropped) cut(response);
    else sendJson(response, outcome.ok ? 200 : outcome.error_code, outcome);
  }

  /** Waits `ms` for a request; resolves false at once if its client leaves, or when the stand-in closes. */
  private pause(ms: number, response: ServerResponse): Promise<boolean> {
    if (this.closed || isGone(response)) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const settle = (connected: boolean): void => {
        clearTimeout(timer);
        response.off("close", onClose);
        this.pauses.delete(settle);
        resolve(connected);
      };
      const onClose = (): void => {
        settle(false);
      };
      const timer = setTimeout(() => {
        settle(!isGone(response));
      }, ms);
      response.once("close", onClose);
      this.pauses.add(settle);
    });
  }

  /** Takes a new connection, resetting it at once during an outage. */
  accept(socket: Socket): void {
    if (this.outage) {
      socket.resetAndDestroy();
      return;
    }
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
  }

  setOutage(on: boolean): void {
    this.outage = on;
    if (!on) return;
    // Pending long polls and delayed calls notice through their responses' "close" events.
    for (const socket of [...this.sockets]) socket.resetAndDestroy();
  }

  delay(method: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`delay: ${ms} is not a number of milliseconds`);
    if (ms === 0) this.delays.delete(method.toLowerCase());
    else this.delays.set(method.toLowerCase(), ms);
  }

  dropNext(method: string, count: number, processed: boolean): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError(`dropNext: ${count} is not a positive count`);
    const key = method.toLowerCase();
    const queue = this.drops.get(key) ?? [];
    for (let i = 0; i < count; i++) queue.push(processed);
    this.drops.set(key, queue);
  }

  get confirmedUpTo(): number {
    return this.confirmed;
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of this.waiters) {
      const matching = this.callsOf(waiter.method);
      if (matching.length >= waiter.count) {
        this.waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(matching);
      }
    }
  }

  private callsOf(method: string): RecordedCall[] {
    const key = method.toLowerCase();
    return this.calls.filter((call) => call.method.toLowerCase() === key);
  }

  failNext(method: string, failure: ScriptedFailure): void {
    const key = method.toLowerCase();
    const queue = this.failures.get(key) ?? [];
    queue.push(failure);
    this.failures.set(key, queue);
  }

  waitForCalls(method: string, count: number, timeoutMs: number): Promise<RecordedCall[]> {
    const now = this.callsOf(method);
    if (now.length >= count) return Promise.resolve(now);
    if (this.closed)
      return Promise.reject(new Error(`The stand-in is closed; ${method} was called ${now.length} times`));
    return new Promise<RecordedCall[]>((resolve, reject) => {
      const waiter: Waiter = {
        method,
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          const seen = this.calls.map((call) => call.method).join(", ") || "none";
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${count} ${method} call(s); ` +
                `got ${this.callsOf(method).length}. Calls so far: ${seen}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Answers a pending poll with no updates and rejects the waits; resolves once that answer is written. */
  async shutDown(): Promise<void> {
    this.closed = true;
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(
        new Error(`The stand-in was closed while waiting for ${waiter.count} ${waiter.method} call(s)`),
      );
    }
    this.waiters.clear();
    for (const settle of [...this.pauses]) settle(false);
    const poll = this.poll;
    if (poll && !poll.done) {
      const written = new Promise<void>((resolve) => {
        if (poll.response.destroyed) resolve();
        poll.response.once("finish", resolve);
        poll.response.once("close", resolve);
      });
      this.finishPoll(poll, { ok: true, result: [] });
      await written;
    }
  }

  // --- getUpdates ----------------------------------------------------------------------------------------

  private getUpdates(payload: Payload, response: ServerResponse, drop: boolean): void {
    const offset = integerOf(payload.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, integerOf(payload.limit) ?? 100));
    const timeout = Math.max(0, integerOf(payload.timeout) ?? 0);
    if (offset > 0) {
      this.confirmed = Math.max(this.confirmed, offset - 1);
      while ((this.updates[0]?.update_id ?? Infinity) < offset) this.updates.shift();
    } else if (offset < 0) {
      const forgotten = this.updates.splice(0, Math.max(0, this.updates.length + offset));
      this.confirmed = Math.max(this.confirmed, forgotten.at(-1)?.update_id ?? 0);
    }

    // Like Telegram: a newer getUpdates ends the older one with 409.
    if (this.poll && !this.poll.done) {
      this.finishPoll(this.poll, {
        ok: false,
        error_code: 409,
        description:
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      });
    }
    const poll: Poll = { response, limit, drop, done: false };
    if (this.updates.length > 0 || timeout === 0 || this.closed) {
      this.finishPoll(poll, { ok: true, result: this.updates.slice(0, limit) });
      return;
    }
    this.poll = poll;
    poll.timer = setTimeout(() => {
      this.finishPoll(poll, { ok: true, result: [] });
    }, timeout * 1000);
    response.once("close", () => {
      // The client went away (e.g. the runner was stopped and aborted its request).
      if (!poll.done) {
        poll.done = true;
        clearTimeout(poll.timer);
        if (this.poll === poll) this.poll = undefined;
      }
    });
  }

  private finishPoll(poll: Poll, outcome: ApiResponse): void {
    if (poll.done) return;
    poll.done = true;
    clearTimeout(poll.timer);
    if (this.poll === poll) this.poll = undefined;
    if (poll.drop) cut(poll.response);
    else if (!poll.response.destroyed)
      sendJson(poll.response, outcome.ok ? 200 : outcome.error_code, outcome);
  }

  pushUpdate(update: Omit<Update, "update_id">): Update {
    const full = { ...update, update_id: this.nextUpdateId++ };
    this.remember(full);
    this.updates.push(full);
    const poll = this.poll;
    if (poll && !poll.done) this.finishPoll(poll, { ok: true, result: this.updates.slice(0, poll.limit) });
    return full;
  }

  /** Keeps what an update tells about users, chats, messages and open queries. */
  private remember(update: Update): void {
    for (const message of [
      update.message,
      update.edited_message,
      update.channel_post,
      update.edited_channel_post,
    ]) {
      if (!message) continue;
      if (message.from) this.users.set(message.from.id, message.from);
      this.chatObjects.set(message.chat.id, message.chat);
      const chat = this.chat(message.chat.id);
      chat.nextMessageId = Math.max(chat.nextMessageId, message.message_id + 1);
      const known = chat.messages.get(message.message_id);
      if (known) known.message = message;
      else chat.messages.set(message.message_id, { message, fromBot: false });
    }
    if (update.inline_query) {
      this.users.set(update.inline_query.from.id, update.inline_query.from);
      this.openQueries.add(update.inline_query.id);
    }
    if (update.callback_query) {
      this.users.set(update.callback_query.from.id, update.callback_query.from);
      this.openQueries.add(update.callback_query.id);
    }
  }

  // --- update helpers ------------------------------------------------------------------------------------

  private chat(chatId: number): ChatState {
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { nextMessageId: 1, messages: new Map() };
      this.chats.set(chatId, chat);
    }
    return chat;
  }

  private user(userId: number): User {
    return (
      this.users.get(userId) ?? {
        id: userId,
        is_bot: false,
        first_name: `User ${userId}`,
        language_code: "ar",
      }
    );
  }

  private chatObject(chatId: number): Chat {
    const known = this.chatObjects.get(chatId);
    if (known) return known;
    if (chatId > 0) return { id: chatId, type: "private", first_name: this.user(chatId).first_name };
    if (chatId < -1_000_000_000_000) return { id: chatId, type: "supergroup", title: `Group ${chatId}` };
    return { id: chatId, type: "group", title: `Group ${chatId}` };
  }

  private botUser(): User {
    const { id, is_bot, first_name, username } = this.botInfo;
    return { id, is_bot, first_name, username };
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  privateText(userId: number, text: string, extra: Partial<Message> = {}): Update {
    const from = this.user(userId);
    const entities = detectEntities(text);
    const message = {
      message_id: this.chat(userId).nextMessageId,
      from,
      chat: { id: userId, type: "private", first_name: from.first_name },
      date: this.now(),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...extra,
    } as Message & Update.NonChannel;
    return this.pushUpdate({ message });
  }

  groupText(chatId: number, userId: number, text: string, extra: Partial<Message> = {}): Update {
    const entities = detectEntities(text);
    const message = {
      message_id: this.chat(chatId).nextMessageId,
      from: this.user(userId),
      chat: this.chatObjects.get(chatId) ?? { id: chatId, type: "supergroup", title: `Group ${chatId}` },
      date: this.now(),
      text,
      ...(entities.length > 0 ? { entities } : {}),
      ...extra,
    } as Message & Update.NonChannel;
    return this.pushUpdate({ message });
  }

  privateSticker(userId: number): Update {
    const from = this.user(userId);
    const message = {
      message_id: this.chat(userId).nextMessageId,
      from,
      chat: { id: userId, type: "private", first_name: from.first_name },
      date: this.now(),
      sticker: {
        file_id: "CAACAgIAAxkBAAIBStandInSticker",
        file_unique_id: "AgADStandIn",
        type: "regular",
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: "👍",
        set_name: "StandInStickers",
      },
    } as Message & Update.NonChannel;
    return this.pushUpdate({ message });
  }

  inlineQuery(userId: number, query: string): Update {
    const inline_query: InlineQuery = {
      id: String(this.nextQueryId++),
      from: this.user(userId),
      query,
      offset: "",
      chat_type: "sender",
    };
    return this.pushUpdate({ inline_query });
  }

  callbackQuery(userId: number, chatId: number, data: string, messageId: number): Update {
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    const callback_query: CallbackQuery = {
      id: String(this.nextQueryId++),
      from: this.user(userId),
      // An unknown message is "inaccessible" (date 0), as Telegram sends it.
      message: stored?.message ?? { chat: this.chatObject(chatId), message_id: messageId, date: 0 },
      chat_instance: String(-Math.abs(chatId) * 7919),
      data,
    };
    return this.pushUpdate({ callback_query });
  }

  sentMessages(chatId: number): SentMessage[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    return [...chat.messages.values()]
      .filter((stored) => stored.fromBot)
      .sort((a, b) => a.message.message_id - b.message.message_id)
      .map(({ message, replyParameters }) => ({
        message_id: message.message_id,
        text: message.text ?? "",
        ...(message.entities ? { entities: message.entities } : {}),
        ...(replyParameters === undefined ? {} : { reply_parameters: replyParameters }),
        ...(message.message_thread_id === undefined ? {} : { message_thread_id: message.message_thread_id }),
      }));
  }

  // --- methods -------------------------------------------------------------------------------------------

  private sendMessage(p: Payload): Message {
    const chatId = requireChatId(p);
    const formatted = readText(p, "text", false);
    const markup = jsonParameter(p, "reply_markup");
    checkReplyMarkup(markup);
    if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
    const threadId = integerOf(p.message_thread_id);

    const chat = this.chat(chatId);
    let replyParameters = jsonParameter(p, "reply_parameters");
    if (replyParameters === undefined && p.reply_to_message_id !== undefined) {
      replyParameters = { message_id: integerOf(p.reply_to_message_id) };
    }
    let replyTo: Message | undefined;
    if (isRecord(replyParameters)) {
      const replyChatId = integerOf(replyParameters.chat_id) ?? chatId;
      const replyId = integerOf(replyParameters.message_id);
      replyTo =
        replyId === undefined ? undefined : this.chats.get(replyChatId)?.messages.get(replyId)?.message;
      const allowWithout =
        replyParameters.allow_sending_without_reply === true || p.allow_sending_without_reply === true;
      if (!replyTo && !allowWithout) throw badRequest("message to be replied not found");
    }

    const message = {
      message_id: chat.nextMessageId++,
      from: this.botUser(),
      chat: this.chatObject(chatId),
      date: this.now(),
      ...(threadId === undefined ? {} : { message_thread_id: threadId, is_topic_message: true }),
      ...(replyTo ? { reply_to_message: withoutReply(replyTo) } : {}),
      text: formatted.text,
      ...(formatted.entities.length > 0 ? { entities: formatted.entities } : {}),
      ...(isRecord(markup) && Array.isArray(markup.inline_keyboard) ? { reply_markup: markup } : {}),
    } as Message;
    chat.messages.set(message.message_id, {
      message,
      fromBot: true,
      ...(replyParameters === undefined ? {} : { replyParameters }),
    });
    return message;
  }

  private editMessageText(p: Payload): Message | true {
    const inlineId = stringOf(p.inline_message_id);
    if (inlineId === undefined) {
      requireChatId(p);
      if (integerOf(p.message_id) === undefined) throw badRequest("message identifier is not specified");
    }
    const formatted = readText(p, "text", false);
    const markup = jsonParameter(p, "reply_markup");
    checkReplyMarkup(markup);
    if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
    const entitiesKey = JSON.stringify(formatted.entities);
    const markupKey = JSON.stringify(markup ?? null);

    if (inlineId !== undefined) {
      const previous = this.inlineMessages.get(inlineId);
      if (
        previous?.text === formatted.text &&
        previous.entities === entitiesKey &&
        previous.markup === markupKey
      ) {
        throw badRequest(NOT_MODIFIED);
      }
      this.inlineMessages.set(inlineId, { text: formatted.text, entities: entitiesKey, markup: markupKey });
      return true;
    }

    const chatId = requireChatId(p);
    const messageId = integerOf(p.message_id) ?? 0;
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    if (!stored) throw badRequest("message to edit not found");
    if (!stored.fromBot) throw badRequest("message can't be edited");
    const current = stored.message;
    if (
      current.text === formatted.text &&
      JSON.stringify(current.entities ?? []) === entitiesKey &&
      JSON.stringify(current.reply_markup ?? null) === markupKey
    ) {
      throw badRequest(NOT_MODIFIED);
    }
    const rest: Partial<Message> = { ...current };
    delete rest.entities;
    delete rest.reply_markup;
    const edited = {
      ...rest,
      text: formatted.text,
      ...(formatted.entities.length > 0 ? { entities: formatted.entities } : {}),
      ...(isRecord(markup) && Array.isArray(markup.inline_keyboard) ? { reply_markup: markup } : {}),
      edit_date: this.now(),
    } as Message;
    stored.message = edited;
    return edited;
  }

  private deleteMessage(p: Payload): true {
    const chatId = requireChatId(p);
    const messageId = integerOf(p.message_id);
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    const chat = this.chats.get(chatId);
    if (!chat?.messages.delete(messageId)) throw badRequest("message to delete not found");
    return true;
  }

  private sendMessageDraft(p: Payload): true {
    const chatId = requireChatId(p);
    // What Telegram answers for drafts outside private chats.
    if (chatId < 0) throw badRequest("TEXTDRAFT_PEER_INVALID");
    const draftId = integerOf(p.draft_id);
    if (draftId === undefined || draftId === 0) throw badRequest("draft_id must be non-zero");
    const formatted = readText(p, "text", true);
    if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
    return true;
  }

  private answerInlineQuery(p: Payload): true {
    const id = stringOf(p.inline_query_id);
    if (id === undefined || !this.openQueries.has(id)) throw badRequest(QUERY_INVALID);
    const results = jsonParameter(p, "results");
    if (!Array.isArray(results)) throw badRequest("can't parse inline query results: expected an Array");
    if (results.length > MAX_INLINE_RESULTS) throw badRequest("RESULTS_TOO_MUCH");
    const ids = new Set<string>();
    for (const result of results as unknown[]) {
      if (!isRecord(result)) throw badRequest("can't parse inline query result: expected an Object");
      const type = stringOf(result.type);
      if (type === undefined) throw badRequest(`can't parse inline query result: Can't find field "type"`);
      const resultId = stringOf(result.id);
      if (resultId === undefined) throw badRequest(`can't parse inline query result: Can't find field "id"`);
      if (resultId === "" || Buffer.byteLength(resultId) > 64) throw badRequest("RESULT_ID_INVALID");
      if (ids.has(resultId)) throw badRequest("RESULT_ID_DUPLICATE");
      ids.add(resultId);
      const content = result.input_message_content;
      if (isRecord(content) && "message_text" in content) {
        const formatted = readText(content, "message_text", false);
        if (formatted.text.length > MAX_TEXT_LENGTH) throw badRequest("MESSAGE_TOO_LONG");
      }
      checkReplyMarkup(result.reply_markup);
    }
    const button = jsonParameter(p, "button");
    if (isRecord(button) && button.start_parameter !== undefined) {
      const start = stringOf(button.start_parameter) ?? "";
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(start)) throw badRequest("START_PARAM_INVALID");
    }
    this.openQueries.delete(id);
    return true;
  }

  private closeQuery(id: string | undefined): void {
    if (id === undefined || !this.openQueries.has(id)) throw badRequest(QUERY_INVALID);
    this.openQueries.delete(id);
  }

  private setMyCommands(p: Payload): true {
    const commands = jsonParameter(p, "commands");
    if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
    if (commands.length > 100) throw badRequest("too many commands specified");
    for (const item of commands as unknown[]) {
      if (!isRecord(item)) throw badRequest("can't parse BotCommand: expected an Object");
      const command = stringOf(item.command) ?? "";
      const description = stringOf(item.description) ?? "";
      if (!/^[a-z0-9_]{1,32}$/.test(command)) throw badRequest("BOT_COMMAND_INVALID");
      if (description.trim() === "" || description.length > 256) {
        throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    return true;
  }
}

function withoutReply(message: Message): Message {
  const copy = { ...message };
  delete copy.reply_to_message;
  return copy;
}

/** Inline keyboards: callback_data of 1-64 bytes, as Telegram demands. */
function checkReplyMarkup(markup: unknown): void {
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return;
  for (const row of markup.inline_keyboard as unknown[]) {
    if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button row: expected an Array");
    for (const button of row as unknown[]) {
      if (!isRecord(button)) throw badRequest("can't parse inline keyboard button: expected an Object");
      if (button.callback_data !== undefined) {
        const data = stringOf(button.callback_data) ?? "";
        const size = Buffer.byteLength(data);
        if (size === 0 || size > 64) throw badRequest("BUTTON_DATA_INVALID");
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Formatted text: what the Bot API server and TDLib do with `text`, `parse_mode` and `entities`

interface FormattedText {
  readonly text: string;
  readonly entities: MessageEntity[];
}

/** An entity during checking: the caller's object, with offset and length kept apart. */
interface WorkEntity {
  offset: number;
  length: number;
  readonly fields: Record<string, unknown>;
}

/** Entity types Telegram finds by itself; the Bot API drops them from explicit entities. */
const FOUND_TYPES = new Set([
  "mention",
  "hashtag",
  "cashtag",
  "bot_command",
  "url",
  "email",
  "phone_number",
  "bank_card_number",
]);
const GIVEN_TYPES = new Set([
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "blockquote",
  "expandable_blockquote",
  "code",
  "pre",
  "text_link",
  "text_mention",
  "custom_emoji",
  "date_time",
]);

/** The text parameter `name` with `parse_mode`/`entities`, checked and cleaned as Telegram does. */
function readText(p: Payload, name: string, allowEmpty: boolean): FormattedText {
  const raw = p[name] === undefined ? "" : stringOf(p[name]);
  if (raw === undefined) throw badRequest(`can't parse ${name}: expected a String`);
  if (raw === "") {
    if (allowEmpty) return { text: "", entities: [] };
    throw badRequest("message text is empty");
  }
  const parseMode = (stringOf(p.parse_mode) ?? "").toLowerCase();
  let text = raw;
  let entities: WorkEntity[];
  if (parseMode !== "" && parseMode !== "none") {
    if (parseMode === "markdown" || parseMode === "markdownv2") {
      throw badRequest(`the stand-in does not implement parse_mode ${stringOf(p.parse_mode) ?? ""}`);
    }
    if (parseMode !== "html") throw badRequest("unsupported parse_mode");
    const parsed = parseHtml(raw);
    text = parsed.text;
    entities = parsed.entities;
  } else {
    entities = readEntities(jsonParameter(p, "entities"));
  }
  return fixFormattedText(text, entities, allowEmpty);
}

/** Explicit entities, read as the Bot API server's get_text_entity does. */
function readEntities(value: unknown): WorkEntity[] {
  if (!Array.isArray(value)) return [];
  const entities: WorkEntity[] = [];
  for (const item of value as unknown[]) {
    const refuse = (reason: string): ApiError => badRequest(`can't parse MessageEntity: ${reason}`);
    if (!isRecord(item)) throw refuse("expected an Object");
    const number = (field: string): number => {
      if (item[field] === undefined) throw refuse(`Can't find field "${field}"`);
      const parsed = integerOf(item[field]);
      if (parsed === undefined) throw refuse(`Field "${field}" must be a valid Number`);
      return parsed;
    };
    const offset = number("offset");
    const length = number("length");
    if (item.type === undefined) throw refuse(`Can't find field "type"`);
    if (typeof item.type !== "string") throw refuse(`Field "type" must be of type String`);
    if (item.type === "") throw refuse("Type is not specified");
    if (FOUND_TYPES.has(item.type)) continue;
    if (!GIVEN_TYPES.has(item.type)) throw refuse("Unsupported type specified");
    const required: Record<string, string> = {
      text_link: "url",
      text_mention: "user",
      custom_emoji: "custom_emoji_id",
      date_time: "unix_time",
    };
    const field = required[item.type];
    if (field !== undefined && item[field] === undefined) throw refuse(`Can't find field "${field}"`);
    entities.push({ offset, length, fields: item });
  }
  return entities;
}

const isHigh = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Characters TDLib removes from texts: U+2028-U+202E and three combining vertical lines. */
function isRemoved(codePoint: number): boolean {
  return (
    (codePoint >= 0x2028 && codePoint <= 0x202e) ||
    codePoint === 0x0333 ||
    codePoint === 0x033f ||
    codePoint === 0x030a
  );
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * TDLib's fix_formatted_text for a text from a bot: checks entity bounds, removes control characters
 * (spaces instead), `\r` and the characters of {@link isRemoved} (moving entities), drops empty entities,
 * trims spaces and newlines at both ends, and refuses a text left empty.
 */
function fixFormattedText(text: string, given: WorkEntity[], allowEmpty: boolean): FormattedText {
  if (/[\uD800-\uDFFF]/u.test(text)) throw badRequest("strings must be encoded in UTF-8");
  for (const entity of given) {
    if (entity.offset < 0 || entity.offset > 1_000_000) {
      throw badRequest(`receive an entity with incorrect offset ${entity.offset}`);
    }
    if (entity.length < 0 || entity.length > 1_000_000) {
      throw badRequest(`receive an entity with incorrect length ${entity.length}`);
    }
  }
  const entities = given
    .filter((entity) => entity.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  // Without entities TDLib keeps tabs (clean_input_string); with them it turns them into spaces.
  const keepTabs = given.length === 0;

  // Clean the text, moving the entities over removed characters (clean_input_string_with_entities).
  interface Open {
    readonly entity: WorkEntity;
    readonly skippedBefore: number;
  }
  const open: Open[] = [];
  const finished: { entity: WorkEntity; offset: number; length: number }[] = [];
  let next = 0;
  let result = "";
  let utf16 = 0;
  let bytes = 0;
  let skipped = 0;
  for (let i = 0; ;) {
    // At the start of a character (or the end of the text): close and open entities.
    for (let k = open.length - 1; k >= 0; k--) {
      const item = open[k];
      if (!item) continue;
      const end = item.entity.offset + item.entity.length;
      if (utf16 < end) continue;
      if (utf16 !== end) {
        throw badRequest(
          `entity beginning at UTF-16 offset ${item.entity.offset} ends in a middle of a UTF-16 symbol at byte offset ${bytes}`,
        );
      }
      finished.push({
        entity: item.entity,
        offset: item.entity.offset - item.skippedBefore,
        length: item.entity.length - (skipped - item.skippedBefore),
      });
      open.splice(k, 1);
    }
    for (let entity = entities[next]; entity && utf16 >= entity.offset; entity = entities[++next]) {
      if (utf16 !== entity.offset) {
        throw badRequest(`entity begins in a middle of a UTF-16 symbol at byte offset ${bytes}`);
      }
      open.push({ entity, skippedBefore: skipped });
    }
    if (i >= text.length) break;

    const codePoint = text.codePointAt(i) ?? 0;
    const units = codePoint > 0xffff ? 2 : 1;
    const char = text.slice(i, i + units);
    if (codePoint === 13 || isRemoved(codePoint)) skipped += units;
    else if (codePoint < 32 && codePoint !== 10 && !(keepTabs && codePoint === 9)) result += " ";
    else result += char;
    i += units;
    utf16 += units;
    bytes += utf8Length(codePoint);
  }
  const notStarted = entities[next];
  if (notStarted) {
    throw badRequest(`entity begins after the end of the text at UTF-16 offset ${notStarted.offset}`);
  }
  const last = open[open.length - 1];
  if (last) {
    throw badRequest(
      `entity beginning at UTF-16 offset ${last.entity.offset} ends after the end of the text at UTF-16 offset ${last.entity.offset + last.entity.length}`,
    );
  }

  let kept = finished.filter((item) => item.length > 0);
  // Trim spaces and newlines: at the end always, at the start up to the first entity.
  const lastVisible = result.search(/[^ \n][ \n]*$/u);
  if (lastVisible === -1) {
    if (allowEmpty) return { text: "", entities: [] };
    throw badRequest("text must be non-empty");
  }
  const lastUnit = lastVisible + (isHigh(result.charCodeAt(lastVisible)) ? 1 : 0);
  result = result.slice(0, lastUnit + 1);
  kept = kept
    .filter((item) => item.offset <= lastUnit)
    .map((item) => ({ ...item, length: Math.min(item.length, lastUnit + 1 - item.offset) }));
  const firstEntity = Math.min(result.length, ...kept.map((item) => item.offset));
  let lead = 0;
  while (lead < firstEntity && (result[lead] === " " || result[lead] === "\n")) lead++;
  if (lead > 0) {
    result = result.slice(lead);
    kept = kept.map((item) => ({ ...item, offset: item.offset - lead }));
  }
  kept.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return {
    text: result,
    entities: kept.map(
      ({ entity, offset, length }) => ({ ...entity.fields, offset, length }) as unknown as MessageEntity,
    ),
  };
}

// ---------------------------------------------------------------------------------------------------------
// HTML parse mode: a port of TDLib's parse_html (td/telegram/MessageEntity.cpp), on UTF-8 bytes

const HTML_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "s",
  "strike",
  "del",
  "u",
  "ins",
  "tg-spoiler",
  "tg-emoji",
  "span",
  "pre",
  "code",
  "blockquote",
]);

const ch = (c: string): number => c.charCodeAt(0);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10 || c === 0 || c === 11;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlpha = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

function parseHtml(input: string): { text: string; entities: WorkEntity[] } {
  const src = Buffer.from(input, "utf8");
  const at = (i: number): number => (i < src.length ? (src[i] ?? 0) : 0);
  const slice = (from: number, to: number): string => src.subarray(from, to).toString("utf8");
  const lower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const fail = (reason: string): ApiError => badRequest(`can't parse entities: ${reason}`);

  /** decode_html_entity: the character of `&...;` at `pos`, or undefined (then `&` is kept as is). */
  const decodeEntity = (pos: number): { code: number; next: number } | undefined => {
    let end = pos + 1;
    let code = 0;
    if (at(pos + 1) === ch("#")) {
      end++;
      if (at(pos + 2) === ch("x")) {
        end++;
        while (isHexDigit(at(end))) code = code * 16 + parseInt(String.fromCharCode(at(end++)), 16);
      } else {
        while (isDigit(at(end))) code = code * 10 + at(end++) - 48;
      }
      if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
    } else {
      while (isAlpha(at(end))) end++;
      const name = slice(pos + 1, end);
      const named: Record<string, number> = { lt: ch("<"), gt: ch(">"), amp: ch("&"), quot: ch('"') };
      const value = named[name];
      if (value === undefined) return undefined;
      code = value;
    }
    return { code, next: at(end) === ch(";") ? end + 1 : end };
  };

  const out: number[] = [];
  const pushCode = (code: number): void => {
    if (code >= 0xd800 && code <= 0xdfff) {
      throw fail(
        "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
      );
    }
    out.push(...Buffer.from(String.fromCodePoint(code), "utf8"));
  };
  interface Nested {
    readonly tag: string;
    readonly argument: string;
    readonly offset: number;
    readonly begin: number;
  }
  const nested: Nested[] = [];
  const entities: WorkEntity[] = [];
  const add = (fields: Record<string, unknown>, offset: number, length: number): void => {
    entities.push({ offset, length, fields });
  };
  let utf16 = 0;

  for (let i = 0; i < src.length; i++) {
    const c = at(i);
    if (c === ch("&")) {
      const decoded = decodeEntity(i);
      if (decoded) {
        utf16 += decoded.code > 0xffff ? 2 : 1;
        pushCode(decoded.code);
        i = decoded.next - 1;
        continue;
      }
    }
    if (c !== ch("<")) {
      if ((c & 0xc0) !== 0x80) utf16 += c >= 0xf0 ? 2 : 1;
      out.push(c);
      continue;
    }

    const begin = i++;
    if (at(i) !== ch("/")) {
      // A start tag.
      while (!isSpace(at(i)) && at(i) !== ch(">")) i++;
      if (at(i) === 0) throw fail(`Unclosed start tag at byte offset ${begin}`);
      const tag = lower(slice(begin + 1, i));
      if (!HTML_TAGS.has(tag)) throw fail(`Unsupported start tag "${tag}" at byte offset ${begin}`);

      let argument = "";
      while (at(i) !== ch(">")) {
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) === ch(">")) break;
        const nameBegin = i;
        while (
          !isSpace(at(i)) &&
          at(i) !== ch("=") &&
          at(i) !== ch(">") &&
          at(i) !== ch("/") &&
          at(i) !== ch('"') &&
          at(i) !== ch("'")
        ) {
          i++;
        }
        const attribute = slice(nameBegin, i);
        if (attribute === "") throw fail(`Empty attribute name in the tag "${tag}" at byte offset ${begin}`);
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) !== ch("=")) {
          if (at(i) === 0) throw fail(`Unclosed start tag "${tag}" at byte offset ${begin}`);
          if (tag === "blockquote" && attribute === "expandable") argument = "1";
          continue;
        }
        i++;
        while (at(i) !== 0 && isSpace(at(i))) i++;
        if (at(i) === 0) throw fail(`Unclosed start tag "${tag}" at byte offset ${begin}`);

        let value: string;
        if (at(i) !== ch("'") && at(i) !== ch('"')) {
          // A name token: letters, digits, periods and hyphens, case-insensitive.
          const tokenBegin = i;
          while (isAlpha(at(i)) || isDigit(at(i)) || at(i) === ch(".") || at(i) === ch("-")) i++;
          value = lower(slice(tokenBegin, i));
          if (!isSpace(at(i)) && at(i) !== ch(">")) {
            throw fail(`Unexpected end of name token at byte offset ${tokenBegin}`);
          }
        } else {
          // A string literal.
          const quote = at(i++);
          const valueBytes: number[] = [];
          while (at(i) !== quote && at(i) !== 0) {
            if (at(i) === ch("&")) {
              const decoded = decodeEntity(i);
              if (decoded) {
                valueBytes.push(...Buffer.from(String.fromCodePoint(decoded.code), "utf8"));
                i = decoded.next;
                continue;
              }
            }
            valueBytes.push(at(i++));
          }
          if (at(i) === quote) i++;
          value = Buffer.from(valueBytes).toString("utf8");
        }
        if (at(i) === 0) throw fail(`Unclosed start tag at byte offset ${begin}`);

        if (tag === "a" && attribute === "href") argument = value;
        else if (tag === "code" && attribute === "class" && value.startsWith("language-")) {
          argument = value.slice("language-".length);
        } else if (tag === "span" && attribute === "class" && value.startsWith("tg-")) {
          argument = value.slice("tg-".length);
        } else if (tag === "tg-emoji" && attribute === "emoji-id") argument = value;
        else if (tag === "blockquote" && attribute === "expandable") argument = "1";
      }
      if (tag === "span" && argument !== "spoiler") {
        throw fail(`Tag "span" must have class "tg-spoiler" at byte offset ${begin}`);
      }
      nested.push({ tag, argument, offset: utf16, begin: out.length });
      continue;
    }

    // An end tag.
    const top = nested[nested.length - 1];
    if (!top) throw fail(`Unexpected end tag at byte offset ${begin}`);
    while (!isSpace(at(i)) && at(i) !== ch(">")) i++;
    const endTag = lower(slice(begin + 2, i));
    while (isSpace(at(i)) && at(i) !== 0) i++;
    if (at(i) !== ch(">")) throw fail(`Unclosed end tag at byte offset ${begin}`);
    if (endTag !== "" && endTag !== top.tag) {
      throw fail(`Unmatched end tag at byte offset ${begin}, expected "</${top.tag}>", found "</${endTag}>"`);
    }
    if (utf16 > top.offset) {
      const { tag, argument, offset } = top;
      const length = utf16 - offset;
      const previous = entities[entities.length - 1];
      const simple: Record<string, string> = {
        i: "italic",
        em: "italic",
        b: "bold",
        strong: "bold",
        s: "strikethrough",
        strike: "strikethrough",
        del: "strikethrough",
        u: "underline",
        ins: "underline",
        "tg-spoiler": "spoiler",
        span: "spoiler",
      };
      const simpleType = simple[tag];
      if (simpleType !== undefined) add({ type: simpleType }, offset, length);
      else if (tag === "tg-emoji") {
        if (!/^-?\d{1,19}$/.test(argument) || BigInt(argument) === 0n) {
          throw fail("Invalid custom emoji identifier specified");
        }
        add({ type: "custom_emoji", custom_emoji_id: argument }, offset, length);
      } else if (tag === "a") {
        const url = argument === "" ? Buffer.from(out.slice(top.begin)).toString("utf8") : argument;
        const userId = /^tg:\/\/user\?id=(\d+)$/i.exec(url.trim())?.[1];
        if (userId !== undefined) {
          add(
            { type: "text_mention", user: { id: Number(userId), is_bot: false, first_name: "" } },
            offset,
            length,
          );
        } else if (url.trim() !== "") {
          const checked = /^[a-z][a-z0-9+.-]*:/i.test(url.trim()) ? url.trim() : `http://${url.trim()}`;
          add({ type: "text_link", url: checked }, offset, length);
        }
      } else if (tag === "pre") {
        if (
          previous?.fields.type === "code" &&
          previous.offset === offset &&
          previous.length === length &&
          typeof previous.fields.language === "string"
        ) {
          entities[entities.length - 1] = {
            offset,
            length,
            fields: { type: "pre", language: previous.fields.language },
          };
        } else add({ type: "pre" }, offset, length);
      } else if (tag === "code") {
        if (
          previous?.fields.type === "pre" &&
          previous.offset === offset &&
          previous.length === length &&
          argument !== ""
        ) {
          entities[entities.length - 1] = { offset, length, fields: { type: "pre", language: argument } };
        } else add(argument === "" ? { type: "code" } : { type: "code", language: argument }, offset, length);
      } else {
        add({ type: argument === "" ? "blockquote" : "expandable_blockquote" }, offset, length);
      }
    }
    nested.pop();
  }
  const unclosed = nested[nested.length - 1];
  if (unclosed) throw fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);

  // A language on a code entity outside pre is dropped.
  for (const [index, entity] of entities.entries()) {
    if (entity.fields.type === "code" && "language" in entity.fields) {
      entities[index] = { ...entity, fields: { type: "code" } };
    }
  }
  return { text: Buffer.from(out).toString("utf8"), entities };
}

// ---------------------------------------------------------------------------------------------------------
// Entities a Telegram client puts on a user's message (TDLib's match_bot_commands and match_mentions)

const isWordChar = (char: string | undefined): boolean => char !== undefined && /^[\p{L}\p{N}_]$/u.test(char);
const isAsciiWord = (code: number): boolean => isAlpha(code) || isDigit(code) || code === ch("_");

/** The code point ending just before index `i`, as a string. */
function charBefore(text: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const unit = text.charCodeAt(i - 1);
  if (isLow(unit) && i >= 2 && isHigh(text.charCodeAt(i - 2))) return text.slice(i - 2, i);
  return text.slice(i - 1, i);
}

function charAfter(text: string, i: number): string | undefined {
  if (i >= text.length) return undefined;
  return String.fromCodePoint(text.codePointAt(i) ?? 0);
}

function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  const asciiRun = (from: number): number => {
    let end = from;
    while (end < text.length && isAsciiWord(text.charCodeAt(end))) end++;
    return end;
  };
  const stops = (char: string | undefined): boolean =>
    isWordChar(char) || char === "/" || char === "<" || char === ">";

  // Bot commands: /command or /command@botname, not inside a word or a path.
  for (let i = text.indexOf("/"); i !== -1; i = text.indexOf("/", i + 1)) {
    if (stops(charBefore(text, i))) continue;
    let end = asciiRun(i + 1);
    const size = end - (i + 1);
    if (size < 1 || size > 64) continue;
    if (text[end] === "@") {
      const nameEnd = asciiRun(end + 1);
      const nameSize = nameEnd - (end + 1);
      if (nameSize < 3 || nameSize > 32) continue;
      end = nameEnd;
    }
    if (stops(charAfter(text, end))) continue;
    found.push({ type: "bot_command", offset: i, length: end - i });
  }
  // Mentions: @username of 2-32 characters, not inside a word.
  for (let i = text.indexOf("@"); i !== -1; i = text.indexOf("@", i + 1)) {
    if (isWordChar(charBefore(text, i))) continue;
    const end = asciiRun(i + 1);
    const size = end - (i + 1);
    if (size < 2 || size > 32 || isWordChar(charAfter(text, end))) continue;
    found.push({ type: "mention", offset: i, length: end - i });
  }
  return found.sort((a, b) => a.offset - b.offset);
}
