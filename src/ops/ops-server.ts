import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log/index.js";
import type { SanadMetrics } from "./metrics.js";

/** One thing the process needs to answer: the index loaded, the Bot API reachable … */
export interface ReadinessCheck {
  readonly name: string;
  readonly ready: () => boolean;
}

/** What the operations endpoints serve. */
export interface OpsEndpoints {
  readonly metrics: SanadMetrics;
  readonly checks: readonly ReadinessCheck[];
}

/**
 * Serves the operations endpoints on a request, if it is one of theirs, and says whether it was:
 * - `GET /healthz`: 200 while the process runs (liveness);
 * - `GET /readyz`: 200 when every check passes, else 503, with each check's result (readiness: a load
 *   balancer sends questions only to a ready replica);
 * - `GET /metrics`: the metrics in Prometheus' text format.
 */
export function serveOps(
  endpoints: OpsEndpoints,
  request: IncomingMessage,
  response: ServerResponse,
): boolean {
  if (request.method !== "GET") return false;
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/healthz") {
    sendJson(response, 200, { status: "ok" });
    return true;
  }
  if (path === "/readyz") {
    const checks = Object.fromEntries(endpoints.checks.map((check) => [check.name, check.ready()]));
    const ready = Object.values(checks).every(Boolean);
    sendJson(response, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks });
    return true;
  }
  if (path === "/metrics") {
    endpoints.metrics.scrape().then(
      ({ contentType, body }) => {
        response.writeHead(200, { "content-type": contentType }).end(body);
      },
      () => {
        response.writeHead(500).end();
      },
    );
    return true;
  }
  return false;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** A running operations server (polling mode, METRICS_PORT). */
export interface OpsServer {
  /** The port listened on (useful with port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the operations endpoints on their own port, for polling mode (webhook mode serves them on the
 * webhook's server). Anything else gets 404.
 */
export async function startOpsServer(
  endpoints: OpsEndpoints,
  address: { readonly host: string; readonly port: number },
  logger: Logger,
): Promise<OpsServer> {
  const server = createServer((request, response) => {
    if (!serveOps(endpoints, request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ host: address.host, port }, "health and metrics served (/healthz, /readyz, /metrics)");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
