/** Console interface: a chat on the terminal over the answer pipeline. */
export { runConsoleChat, CONSOLE_MESSAGES, CONSOLE_CONVERSATION } from "./chat.js";
export type { ConsoleAnswerer, ConsoleChatOptions } from "./chat.js";
