import type { ChatConfig } from "../../src/config/index.js";
import { REPO_ROOT } from "./corpus.js";
import type { OpenAIStandIn } from "./openai-stand-in.js";
import path from "node:path";

/**
 * The chat settings that point the product at an OpenAI-compatible stand-in: its model, no retries, a
 * temperature of 0 and the repository's prompts; `overrides` for what a test varies.
 */
export function standInChat(
  server: Pick<OpenAIStandIn, "baseURL">,
  overrides: Partial<ChatConfig> = {},
): ChatConfig {
  return {
    model: "test-model",
    baseURL: server.baseURL,
    apiKey: "sk-test",
    temperature: 0,
    timeoutMs: 5_000,
    maxRetries: 0,
    promptsDir: path.join(REPO_ROOT, "prompts"),
    ...overrides,
  };
}
