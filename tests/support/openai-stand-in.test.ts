import { HumanMessage, SystemMessage, type AIMessageChunk } from "@langchain/core/messages";
import { ChatOpenAI, OpenAIEmbeddings } from "@langchain/openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_CHAT_REPLY,
  STAND_IN_CHUNK_SIZE,
  STAND_IN_DIMENSIONS,
  startOpenAIStandIn,
  type OpenAIStandIn,
  type RecordedRequest,
} from "./openai-stand-in.js";

const REPLY = "جاء في المقال أن عدد الطلاب الطاجيك في روسيا تجاوز عشرين ألفاً هذا العام.";
const SYSTEM = "أجب بالعربية مستنداً إلى المقالات.";
const QUESTION = "كم عدد الطلاب الطاجيك في روسيا؟";

describe("the OpenAI stand-in, driven by the real @langchain/openai clients", () => {
  let server: OpenAIStandIn;

  beforeEach(async () => {
    server = await startOpenAIStandIn();
  });

  afterEach(async () => {
    await server.close();
  });

  const model = (overrides: { maxRetries?: number; timeout?: number } = {}) =>
    new ChatOpenAI({
      model: "test-model",
      apiKey: "k",
      configuration: { baseURL: server.baseURL },
      maxRetries: 0,
      timeout: 2000,
      ...overrides,
    });

  const messages = () => [new SystemMessage(SYSTEM), new HumanMessage(QUESTION)];
  const chatRequests = () => server.requests.filter((request) => request.path === "/v1/chat/completions");
  const textOf = (chunk: AIMessageChunk) => (typeof chunk.content === "string" ? chunk.content : "");

  it("answers invoke with the scripted reply and records the request", { timeout: 10_000 }, async () => {
    server.chat.push({ reply: REPLY });
    const answer = await model().invoke(messages());
    expect(answer.content).toBe(REPLY);
    expect(answer.response_metadata).toMatchObject({ finish_reason: "stop", model_name: "test-model" });
    expect(answer.usage_metadata?.output_tokens).toBeGreaterThan(0);

    const [request, ...rest] = chatRequests();
    expect(rest).toHaveLength(0);
    expect(request?.method).toBe("POST");
    expect(request?.authorization).toBe("Bearer k");
    expect(request?.body).toMatchObject({
      model: "test-model",
      messages: [
        { role: "system", content: SYSTEM },
        { role: "user", content: QUESTION },
      ],
    });
    expect((request?.body as { stream?: unknown }).stream).toBeFalsy();
  });

  it("falls back to defaultChat once the queue is empty", { timeout: 10_000 }, async () => {
    expect(await model().invoke(QUESTION)).toHaveProperty("content", DEFAULT_CHAT_REPLY);
    server.defaultChat = { reply: "رد آخر" };
    expect(await model().invoke(QUESTION)).toHaveProperty("content", "رد آخر");
  });

  it("streams the reply in several chunks, with usage at the end", { timeout: 10_000 }, async () => {
    server.chat.push({ reply: REPLY });
    const contents: string[] = [];
    let usage: AIMessageChunk["usage_metadata"];
    for await (const chunk of await model().stream(messages())) {
      contents.push(textOf(chunk));
      usage ??= chunk.usage_metadata;
    }
    expect(contents.join("")).toBe(REPLY);
    expect(contents.filter((content) => content !== "").length).toBeGreaterThan(1);
    expect(usage?.output_tokens).toBeGreaterThan(0);
    expect(chatRequests()[0]?.body).toMatchObject({
      model: "test-model",
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("rejects invoke on a 500", { timeout: 10_000 }, async () => {
    server.chat.push({ status: 500, message: "boom" });
    await expect(model().invoke(QUESTION)).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining("boom") as unknown,
    });
    expect(chatRequests()).toHaveLength(1);
  });

  it("retries a 429 that carries retry-after, then resolves", { timeout: 10_000 }, async () => {
    server.chat.push({ status: 429, retryAfterSeconds: 0 }, { reply: REPLY });
    const answer = await model({ maxRetries: 1 }).invoke(QUESTION);
    expect(answer.content).toBe(REPLY);
    expect(chatRequests()).toHaveLength(2);
  });

  it("times out on a slow reply without hanging the server", { timeout: 10_000 }, async () => {
    server.chat.push({ delayMs: 3000, reply: REPLY });
    const started = Date.now();
    await expect(model({ timeout: 500 }).invoke(QUESTION)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("fails a stream cut off mid-way, having delivered only a prefix", { timeout: 10_000 }, async () => {
    server.chat.push({ cutAfter: 5, reply: REPLY });
    const contents: string[] = [];
    let failure: unknown;
    try {
      for await (const chunk of await model().stream(QUESTION)) contents.push(textOf(chunk));
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(Error);
    const received = contents.join("");
    expect(received).not.toBe(REPLY);
    expect(REPLY.startsWith(received)).toBe(true);
  });

  it("rejects invoke on a non-streaming body cut off mid-way", { timeout: 10_000 }, async () => {
    server.chat.push({ cutAfter: 5, reply: REPLY });
    await expect(model().invoke(QUESTION)).rejects.toThrow();
  });

  it("rejects invoke on a 200 whose body is not JSON", { timeout: 10_000 }, async () => {
    server.chat.push({ garbage: "<html>upstream error</html>" });
    await expect(model().invoke(QUESTION)).rejects.toThrow();
  });

  it("builds a reply from the prompt with the function form", { timeout: 10_000 }, async () => {
    const lastUserMessage = (request: RecordedRequest): string => {
      const { messages } = request.body as { messages: { role: string; content: string }[] };
      return messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
    };
    server.chat.push((request) => ({ reply: `سألت: ${lastUserMessage(request)}` }));
    expect(await model().invoke(messages())).toHaveProperty("content", `سألت: ${QUESTION}`);
  });

  it("still serves embeddings, as floats or as base64", { timeout: 10_000 }, async () => {
    const embeddings = (encodingFormat?: "float") =>
      new OpenAIEmbeddings({
        model: "bge-m3",
        apiKey: "k",
        configuration: { baseURL: server.baseURL },
        maxRetries: 0,
        ...(encodingFormat ? { encodingFormat } : {}),
      });
    const floats = await embeddings("float").embedQuery(QUESTION);
    expect(floats).toHaveLength(STAND_IN_DIMENSIONS);
    expect(server.requests.at(-1)).toMatchObject({
      path: "/v1/embeddings",
      body: { model: "bge-m3", encoding_format: "float" },
    });
    // Without a named format the openai client requests base64 and decodes it itself.
    const decoded = await embeddings().embedQuery(QUESTION);
    expect(server.requests.at(-1)).toMatchObject({ body: { encoding_format: "base64" } });
    expect(decoded).toHaveLength(STAND_IN_DIMENSIONS);
    decoded.forEach((value, index) => {
      expect(value).toBeCloseTo(floats[index] ?? Number.NaN, 6);
    });
  });
});

describe("the OpenAI stand-in's wire format", () => {
  let server: OpenAIStandIn;

  beforeEach(async () => {
    server = await startOpenAIStandIn();
  });

  afterEach(async () => {
    await server.close();
  });

  const post = (body: unknown, path = "/chat/completions") =>
    fetch(`${server.baseURL}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer k" },
      body: JSON.stringify(body),
    });

  it("sends a chat.completion object", { timeout: 10_000 }, async () => {
    server.chat.push({ reply: "نعم" });
    const response = await post({ model: "m", messages: [{ role: "user", content: "هل؟" }] });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.json()).toMatchObject({
      object: "chat.completion",
      model: "m",
      choices: [
        { index: 0, message: { role: "assistant", content: "نعم" }, finish_reason: "stop", logprobs: null },
      ],
      usage: {
        prompt_tokens: expect.any(Number) as unknown,
        completion_tokens: 1,
        total_tokens: expect.any(Number) as unknown,
      },
    });
  });

  it(
    "streams SSE chunks, never splitting a surrogate pair, then usage and [DONE]",
    { timeout: 10_000 },
    async () => {
      const reply = "abcdefg😀hij"; // the emoji's high surrogate is the 8th unit
      server.chat.push({ reply });
      const response = await post({
        model: "m",
        messages: [{ role: "user", content: "?" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = (await response.text()).split("\n\n");
      expect(events.pop()).toBe("");
      expect(events.at(-1)).toBe("data: [DONE]");
      interface Chunk {
        object: string;
        model: string;
        choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[];
        usage: { completion_tokens: number } | null;
      }
      const chunks = events.slice(0, -1).map((event) => {
        expect(event.startsWith("data: ")).toBe(true);
        return JSON.parse(event.slice("data: ".length)) as Chunk;
      });
      expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk" && chunk.model === "m")).toBe(
        true,
      );
      expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: "assistant", content: "" });
      const pieces = chunks.slice(1, -2).map((chunk) => chunk.choices[0]?.delta.content ?? "");
      expect(pieces).toEqual(["abcdefg😀", "hij"]);
      expect(pieces[0]?.length).toBe(STAND_IN_CHUNK_SIZE + 1);
      expect(chunks.at(-2)?.choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 3 } });
      expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    },
  );

  it("answers errors in the API's shape, with retry-after", { timeout: 10_000 }, async () => {
    server.chat.push({ status: 429, retryAfterSeconds: 7 });
    const limited = await post({ model: "m", messages: [{ role: "user", content: "?" }] });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(await limited.json()).toEqual({
      error: {
        message: expect.any(String) as unknown,
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    });

    const missing = await post({ model: "m", messages: [] }, "/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: "invalid_request_error" } });

    server.chat.push({ reply: "kept" });
    const invalid = await post({ model: "m" });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { type: "invalid_request_error" } });
    expect(server.chat).toEqual([{ reply: "kept" }]);
  });

  it("closes promptly while a delayed reply is pending", { timeout: 10_000 }, async () => {
    server.chat.push({ delayMs: 60_000, reply: "late" });
    const pending = post({ model: "m", messages: [{ role: "user", content: "?" }] });
    await expect.poll(() => server.requests.length, { timeout: 2000 }).toBe(1);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(pending).rejects.toThrow();
  });
});
