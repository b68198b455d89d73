import pino from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAnswerPipeline } from "../../src/answer/index.js";
import { createBot, startWebhook, type WebhookHandle } from "../../src/bot/index.js";
import { SanadMetrics, serveOps } from "../../src/ops/index.js";
import type { SanadIndex } from "../../src/index/index.js";
import { startBotApiStandIn, type BotApiStandIn } from "../support/bot-api-stand-in.js";
import { buildCorpusIndex } from "../support/corpus.js";
import { botDependencies } from "./fixture.js";

const SECRET = "webhook-secret-for-tests";
const URL_PATH = "/telegram/hook";

let index: SanadIndex;
let server: BotApiStandIn;
let webhook: WebhookHandle;
let metrics: SanadMetrics;

beforeAll(async () => {
  index = await buildCorpusIndex();
});

beforeEach(async () => {
  server = await startBotApiStandIn();
  const pipeline = await createAnswerPipeline({
    index,
    chat: undefined,
    topK: 3,
    logger: pino({ level: "silent" }),
  });
  metrics = new SanadMetrics("extractive", {
    queueDepth: () => 0,
    pendingUpdates: () => 0,
    index: () => ({ documents: index.documents.length, builtAt: index.manifest.builtAt }),
  });
  const bot = createBot(
    { ...botDependencies(pipeline), metrics },
    { token: server.token, apiRoot: server.apiRoot },
  );
  const endpoints = { metrics, checks: [{ name: "index", ready: () => index.documents.length > 0 }] };
  webhook = await startWebhook(
    bot,
    {
      url: `https://bot.example.org${URL_PATH}`,
      host: "127.0.0.1",
      port: 0,
      secretToken: SECRET,
      ops: (request, response) => serveOps(endpoints, request, response),
    },
    pino({ level: "silent" }),
  );
});

afterEach(async () => {
  await webhook.stop();
  await server.close();
});

/** Posts an update to the webhook as Telegram does. */
function post(body: unknown, secret = SECRET): Promise<Response> {
  return fetch(`http://127.0.0.1:${webhook.port}${URL_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
    body: JSON.stringify(body),
  });
}

function privateUpdate(updateId: number, text: string) {
  return {
    update_id: updateId,
    message: {
      message_id: 1,
      date: Math.floor(Date.now() / 1000),
      chat: { id: 77, type: "private", first_name: "قارئ" },
      from: { id: 77, is_bot: false, first_name: "قارئ" },
      text,
    },
  };
}

describe("webhook mode", () => {
  it("serves /healthz, /readyz and /metrics on the webhook's own server, counting the questions answered", async () => {
    const base = `http://127.0.0.1:${webhook.port}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { index: true } });

    expect((await post(privateUpdate(501, "كم عدد الطلاب الطاجيك في روسيا؟"))).status).toBe(200);
    await server.waitForCalls("sendMessage", 1);
    const scraped = await (await fetch(`${base}/metrics`)).text();
    expect(scraped).toContain('sanad_questions_total{mode="extractive",outcome="answered"} 1');
    expect(scraped).toMatch(/^sanad_answer_seconds_count\{mode="extractive"\} 1$/m);
    expect(scraped).toMatch(/^sanad_index_documents 1$/m);
  });

  it("registers the webhook with its secret", async () => {
    const [call] = await server.waitForCalls("setWebhook", 1);
    expect(call?.payload).toMatchObject({ url: `https://bot.example.org${URL_PATH}`, secret_token: SECRET });
  });

  it("acknowledges at once, answers in the background, and ignores a re-delivered update", async () => {
    const update = privateUpdate(500, "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟");
    const first = await post(update);
    expect(first.status).toBe(200);
    expect((await post(update)).status).toBe(200);
    await server.waitForCalls("sendMessage", 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const texts = server.sentMessages(77).map((message) => message.text);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain("35 ألف طالب");
  });

  it("refuses a request without the secret, a wrong path and a body that is not an update", async () => {
    expect((await post(privateUpdate(501, "سؤال"), "wrong")).status).toBe(401);
    const wrongPath = await fetch(`http://127.0.0.1:${webhook.port}/other`, { method: "POST", body: "{}" });
    expect(wrongPath.status).toBe(404);
    expect((await post({ hello: "world" })).status).toBe(400);
    expect(server.calls.filter((call) => call.method === "sendMessage")).toHaveLength(0);
  });
});
