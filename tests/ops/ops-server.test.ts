import { afterEach, describe, expect, it } from "vitest";
import { SanadMetrics, startOpsServer, type OpsServer } from "../../src/ops/index.js";
import { memoryLogger } from "../support/memory-logger.js";

let server: OpsServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(checks: { telegram: boolean; index: boolean }) {
  const metrics = new SanadMetrics("extractive", {
    queueDepth: () => 0,
    pendingUpdates: () => 0,
    index: () => ({ documents: 1, builtAt: new Date().toISOString() }),
  });
  const { logger, records } = memoryLogger();
  server = await startOpsServer(
    {
      metrics,
      checks: [
        { name: "index", ready: () => checks.index },
        { name: "telegram", ready: () => checks.telegram },
      ],
    },
    { host: "127.0.0.1", port: 0 },
    logger,
  );
  return { base: `http://127.0.0.1:${server.port}`, metrics, records };
}

describe("the operations server (METRICS_PORT)", () => {
  it("answers /healthz while it runs, and says on which port it listens", async () => {
    const { base, records } = await serve({ telegram: true, index: true });
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(records().find(({ msg }) => msg.includes("/metrics"))).toMatchObject({ port: server?.port });
  });

  it("answers /readyz with 200 when every check passes and 503 naming the one that does not", async () => {
    const checks = { telegram: true, index: true };
    const { base } = await serve(checks);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { index: true, telegram: true } });
    checks.telegram = false;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "not ready", checks: { index: true, telegram: false } });
  });

  it("serves the metrics in Prometheus' text format", async () => {
    const { base, metrics } = await serve({ telegram: true, index: true });
    metrics.failed();
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    expect(body).toContain("# TYPE sanad_questions_total counter");
    expect(body).toContain('sanad_questions_total{mode="extractive",outcome="failed"} 1');
  });

  it("answers anything else with 404, and a POST to a known path too", async () => {
    const { base } = await serve({ telegram: true, index: true });
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
  });
});
