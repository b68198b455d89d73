/**
 * Operations: what an operator watches — health and readiness endpoints, and metrics in Prometheus'
 * format — for the bot in either mode.
 */
export { SanadMetrics, outcomeOf } from "./metrics.js";
export type { MetricSources, QuestionOutcome } from "./metrics.js";
export { serveOps, startOpsServer } from "./ops-server.js";
export type { OpsEndpoints, OpsServer, ReadinessCheck } from "./ops-server.js";
