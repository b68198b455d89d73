import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback.js";

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  /** The parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  readonly body: unknown;
}

/**
 * One scripted answer to a `POST /v1/chat/completions`:
 * - `{ reply }`: 200 with this text as the assistant's message, streamed when the request has `stream: true`;
 * - `{ status, message?, retryAfterSeconds? }`: an error in the API's shape `{ error: { message, type, param,
 *   code } }`, with a `retry-after` header when `retryAfterSeconds` is given;
 * - `{ delayMs, reply }`: waits `delayMs` before sending anything (headers included), then replies;
 * - `{ cutAfter, reply }`: streaming: sends the first `cutAfter` UTF-16 units of the reply as chunks, then
 *   destroys the socket without a finish chunk or `[DONE]`; non-streaming: announces the full body's length,
 *   sends the JSON only up to the first `cutAfter` units of the content, then destroys the socket;
 * - `{ garbage }`: 200 whose body is this (non-JSON) text: as `application/json` for a plain request, as one
 *   `data: <garbage>` event for a streaming one.
 */
export type ChatScript =
  | { readonly reply: string }
  | { readonly status: number; readonly message?: string; readonly retryAfterSeconds?: number }
  | { readonly delayMs: number; readonly reply: string }
  | { readonly cutAfter: number; readonly reply: string }
  | { readonly garbage: string };

/** A script computed from the request, e.g. to answer depending on the prompt. */
export type ChatScriptFunction = (request: RecordedRequest) => ChatScript;

/** What the chat queue holds. */
export type ChatScriptEntry = ChatScript | ChatScriptFunction;

/** A running stand-in and what it has seen. */
export interface OpenAIStandIn {
  /** Base URL with the /v1 suffix, as OPENAI_BASE_URL takes it. */
  readonly baseURL: string;
  /** Every request, in arrival order (all paths). */
  readonly requests: RecordedRequest[];
  /** Scripted chat answers, consumed first-in first-out, one per valid chat request. */
  chat: ChatScriptEntry[];
  /** Used when {@link chat} is empty; initially `{ reply: DEFAULT_CHAT_REPLY }`. */
  defaultChat: ChatScriptEntry;
  /** Stops listening and destroys every open connection, delayed responses included. */
  close(): Promise<void>;
}

/** Dimensions of the stand-in's embeddings. */
export const STAND_IN_DIMENSIONS = 64;

/** The reply when nothing was scripted. */
export const DEFAULT_CHAT_REPLY = "لا يوجد رد مُعدّ.";

/** Size in UTF-16 units of a streamed content delta (one more when it would split a surrogate pair). */
export const STAND_IN_CHUNK_SIZE = 8;

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests, speaking the wire format of the real API:
 * - `POST /v1/embeddings` answers with deterministic vectors (character bigrams hashed into
 *   {@link STAND_IN_DIMENSIONS} buckets, L2-normalized), as float arrays, or as base64 float32 when the request
 *   has `encoding_format: "base64"` (what the openai client asks for when the caller names no format);
 * - `POST /v1/chat/completions` answers from the {@link OpenAIStandIn.chat} queue (see {@link ChatScript}),
 *   as a `chat.completion` object or, when the request has `stream: true`, as server-sent
 *   `chat.completion.chunk` events ending with `data: [DONE]`; a request without a `model` or `messages` gets
 *   a 400 and consumes no script;
 * - anything else is a 404 in the API's error shape.
 */
export async function startOpenAIStandIn(): Promise<OpenAIStandIn> {
  let counter = 0;
  const nextId = (): string => `${String(++counter).padStart(6, "0")}standin`;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const text = await readBody(request);
    let body: unknown;
    let parsed = true;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
      parsed = false;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? "",
      path: request.url ?? "",
      authorization: request.headers.authorization,
      body,
    };
    standIn.requests.push(recorded);
    const requestId = `req_${nextId()}`;
    response.setHeader("x-request-id", requestId);

    const isPost = request.method === "POST";
    const route = recorded.path.split("?")[0];
    if (isPost && (route === "/v1/embeddings" || route === "/v1/chat/completions") && !parsed) {
      sendError(response, 400, "We could not parse the JSON body of your request.");
      return;
    }
    if (isPost && route === "/v1/embeddings") {
      const { input, model, encoding_format } = body as {
        input: string | string[];
        model: string;
        encoding_format?: string;
      };
      const inputs = Array.isArray(input) ? input : [input];
      // The openai client asks for base64 (little-endian float32) unless the caller names a format.
      const encode = encoding_format === "base64" ? toBase64 : (vector: number[]) => vector;
      sendJSON(response, 200, {
        object: "list",
        model,
        data: inputs.map((item, index) => ({ object: "embedding", index, embedding: encode(embed(item)) })),
        usage: { prompt_tokens: 0, total_tokens: 0 },
      });
      return;
    }
    if (isPost && route === "/v1/chat/completions") {
      await answerChat(standIn, recorded, response, `chatcmpl-${nextId()}`);
      return;
    }
    sendError(response, 404, `Invalid URL (${recorded.method} ${recorded.path})`);
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendError(response, 500, "The stand-in failed to answer.");
      else response.destroy();
    });
  });
  const { port, destroyConnections } = await listenOnLoopback(server);

  let closing: Promise<void> | undefined;
  const standIn: OpenAIStandIn = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests: [],
    chat: [],
    defaultChat: { reply: DEFAULT_CHAT_REPLY },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        destroyConnections();
      });
      return closing;
    },
  };
  return standIn;
}

interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly unknown[];
  readonly stream?: boolean | null;
  readonly stream_options?: { readonly include_usage?: boolean | null } | null;
}

function isChatRequestBody(body: unknown): body is ChatRequestBody {
  if (typeof body !== "object" || body === null) return false;
  const { model, messages } = body as Record<string, unknown>;
  return typeof model === "string" && model !== "" && Array.isArray(messages) && messages.length > 0;
}

async function answerChat(
  standIn: OpenAIStandIn,
  recorded: RecordedRequest,
  response: ServerResponse,
  id: string,
): Promise<void> {
  const { body } = recorded;
  if (!isChatRequestBody(body)) {
    sendError(
      response,
      400,
      "The request needs a non-empty `model` string and a non-empty `messages` array.",
    );
    return;
  }
  const entry = standIn.chat.shift() ?? standIn.defaultChat;
  const script = typeof entry === "function" ? entry(recorded) : entry;
  const stream = body.stream === true;

  if ("status" in script) {
    sendError(response, script.status, script.message, script.retryAfterSeconds);
    return;
  }
  if ("garbage" in script) {
    if (stream) {
      response.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      response.end(`data: ${script.garbage}\n\n`);
    } else {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(script.garbage);
    }
    return;
  }
  if ("delayMs" in script && !(await wait(script.delayMs, response))) return;

  const reply = script.reply;
  const cutAfter = "cutAfter" in script ? safeCut(reply, script.cutAfter) : undefined;
  const created = Math.floor(Date.now() / 1000);
  const usage = {
    prompt_tokens: countPromptTokens(body.messages),
    completion_tokens: countTokens(reply),
    total_tokens: countPromptTokens(body.messages) + countTokens(reply),
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };

  if (!stream) {
    const completion = {
      id,
      object: "chat.completion",
      created,
      model: body.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage,
      service_tier: "default",
      system_fingerprint: "fp_standin",
    };
    const full = JSON.stringify(completion);
    if (cutAfter === undefined) {
      sendJSON(response, 200, completion);
      return;
    }
    // Everything up to and including the first `cutAfter` units of the content, escaped as in the full body.
    const marker = `"content":${JSON.stringify(reply.slice(0, cutAfter)).slice(0, -1)}`;
    const truncated = full.slice(0, full.indexOf(marker) + marker.length);
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(full),
    });
    await write(response, truncated);
    response.destroy();
    return;
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: readonly unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model: body.model,
      service_tier: "default",
      system_fingerprint: "fp_standin",
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    })}\n\n`;
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null): unknown => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: finishReason,
  });

  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
  await write(response, chunk([choice({ role: "assistant", content: "", refusal: null })]));
  for (const piece of splitReply(reply.slice(0, cutAfter ?? reply.length))) {
    if (response.destroyed) return;
    await write(response, chunk([choice({ content: piece })]));
  }
  if (cutAfter !== undefined) {
    response.destroy();
    return;
  }
  await write(response, chunk([choice({}, "stop")]));
  if (includeUsage) await write(response, chunk([], { usage }));
  response.end("data: [DONE]\n\n");
}

/** The reply's pieces of {@link STAND_IN_CHUNK_SIZE} units, never splitting a surrogate pair. */
function splitReply(text: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + STAND_IN_CHUNK_SIZE, text.length);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end += 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** `count` clamped to the text, moved back one unit if it would split a surrogate pair. */
function safeCut(text: string, count: number): number {
  const cut = Math.max(0, Math.min(Math.floor(count), text.length));
  return cut > 0 && cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1)) ? cut - 1 : cut;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** A rough token count (one per four UTF-16 units), enough to give usage plausible numbers. */
function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function countPromptTokens(messages: readonly unknown[]): number {
  let total = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === "string") total += countTokens(content);
    else if (Array.isArray(content)) {
      for (const part of content as unknown[]) {
        const partText = (part as { text?: unknown } | null)?.text;
        if (typeof partText === "string") total += countTokens(partText);
      }
    }
    total += 4;
  }
  return total;
}

function errorType(status: number): { type: string; code: string | null; message: string } {
  if (status === 401)
    return { type: "invalid_request_error", code: "invalid_api_key", message: "Incorrect API key provided." };
  if (status === 404) return { type: "invalid_request_error", code: null, message: "Not found." };
  if (status === 429)
    return { type: "requests", code: "rate_limit_exceeded", message: "Rate limit reached for requests." };
  if (status >= 500)
    return {
      type: "server_error",
      code: null,
      message: "The server had an error while processing your request.",
    };
  return { type: "invalid_request_error", code: null, message: "Invalid request." };
}

function sendError(
  response: ServerResponse,
  status: number,
  message?: string,
  retryAfterSeconds?: number,
): void {
  const { type, code, message: fallback } = errorType(status);
  if (retryAfterSeconds !== undefined) response.setHeader("retry-after", String(retryAfterSeconds));
  sendJSON(response, status, { error: { message: message ?? fallback, type, param: null, code } });
}

function sendJSON(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Writes and waits until the data is handed to the socket (or the socket is gone). */
function write(response: ServerResponse, data: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) {
      resolve();
      return;
    }
    const done = (): void => {
      response.off("close", done);
      resolve();
    };
    response.once("close", done);
    response.write(data, done);
  });
}

/** Waits `ms`; false, early, when the connection closes first (client timeout, or close()). */
function wait(ms: number, response: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    if (response.destroyed) {
      resolve(false);
      return;
    }
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      response.off("close", onClose);
      resolve(true);
    }, ms);
    response.once("close", onClose);
  });
}

function embed(text: string): number[] {
  const vector = new Array<number>(STAND_IN_DIMENSIONS).fill(0);
  for (let i = 0; i + 1 < text.length; i++) {
    const bucket = (text.charCodeAt(i) * 31 + text.charCodeAt(i + 1)) % STAND_IN_DIMENSIONS;
    vector[bucket] = (vector[bucket] ?? 0) + 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

function toBase64(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
