import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the stand-in received. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

/** A running stand-in and what it has seen. */
export interface OpenAIStandIn {
  /** Base URL with the /v1 suffix, as OPENAI_BASE_URL takes it. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Dimensions of the stand-in's embeddings. */
export const STAND_IN_DIMENSIONS = 64;

/**
 * A small OpenAI-compatible server on 127.0.0.1 for tests: `POST /v1/embeddings` answers with
 * deterministic vectors (character bigrams hashed into {@link STAND_IN_DIMENSIONS} buckets, L2-normalized),
 * in the response shape of the real API; anything else is a 404 in the API's error shape.
 */
export async function startOpenAIStandIn(): Promise<OpenAIStandIn> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    void readBody(request).then((text) => {
      const body: unknown = text ? JSON.parse(text) : undefined;
      requests.push({
        method: request.method ?? "",
        path: request.url ?? "",
        authorization: request.headers.authorization,
        body,
      });
      response.setHeader("content-type", "application/json");
      if (request.method === "POST" && request.url === "/v1/embeddings") {
        const { input, model } = body as { input: string | string[]; model: string };
        const inputs = Array.isArray(input) ? input : [input];
        response.end(
          JSON.stringify({
            object: "list",
            model,
            data: inputs.map((item, index) => ({ object: "embedding", index, embedding: embed(item) })),
            usage: { prompt_tokens: 0, total_tokens: 0 },
          }),
        );
        return;
      }
      response.statusCode = 404;
      response.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
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

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
