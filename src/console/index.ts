/** Console interface: a chat on the terminal over the answer pipeline. */
export { runConsoleChat, CONSOLE_MESSAGES, MAX_CONSOLE_QUESTION_LENGTH } from "./chat.js";
export type { ConsoleChatOptions } from "./chat.js";
