/** Configuration: read from the environment once, validated, then passed in. */
export {
  loadConfig,
  ConfigError,
  DEFAULT_CORPUS_DIR,
  DEFAULT_INDEX_DIR,
  DEFAULT_TOP_K,
  DEFAULT_HASHING_DIMENSIONS,
} from "./config.js";
export type { SanadConfig, EmbeddingsConfig, ChatConfig, RedisConfig, TelegramConfig } from "./config.js";
