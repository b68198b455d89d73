/** Logging: one structured logger, configured in one place. */
export { createLogger, silentLogger } from "./logger.js";
export type { Logger } from "./logger.js";
export { OutageLog, OUTAGE_LOG_INTERVAL_MS } from "./outage-log.js";
