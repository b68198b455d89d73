/**
 * Shared state for replicas, in Redis: conversation memory, limits and the stream of updates to answer.
 * Each piece implements an interface of the stage that uses it (the answer pipeline's conversation
 * store, the bot's limits and update queue), so neither knows of Redis.
 */
export { RedisConnection, describeRedisUrl } from "./redis-connection.js";
export { RedisConversations } from "./redis-conversations.js";
export { RedisLimits } from "./redis-limits.js";
export { RedisUpdateStream, orderKeyOf } from "./redis-update-stream.js";
