/** Console interface: a chat on the terminal over the answer pipeline. */
export {
  runConsoleChat,
  CONSOLE_MESSAGES,
  CONSOLE_CONVERSATION,
  MAX_CONSOLE_QUESTION_LENGTH,
} from "./chat.js";
export type { ConsoleAnswerer, ConsoleChatOptions } from "./chat.js";
