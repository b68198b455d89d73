import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import type { Answer, Answerer } from "../answer/index.js";

/** Words that end the chat, besides end of input (Ctrl-D). */
const EXIT_COMMANDS = new Set(["/exit", "/quit", "/خروج"]);
/** Longest question accepted, in characters. */
export const MAX_CONSOLE_QUESTION_LENGTH = 1000;

/** The texts the console chat shows, in Arabic like every user-facing message. */
export const CONSOLE_MESSAGES = {
  welcome: "سند: اسأل عن الخبر وسأجيبك بالجمل التي تسند الإجابة. للخروج: ‎/exit‎ أو Ctrl-D.",
  prompt: "سؤالك> ",
  tooLong: `سؤالك أطول من ${MAX_CONSOLE_QUESTION_LENGTH} حرف. اختصره من فضلك.`,
  failed: "تعذّرت الإجابة عن هذا السؤال بسبب خطأ داخلي. جرّب مرة أخرى أو اطرح سؤالاً آخر.",
  goodbye: "مع السلامة.",
} as const;

/** Options of {@link runConsoleChat}. */
export interface ConsoleChatOptions {
  readonly answerer: Answerer;
  /** Formats an answer with its citations for the terminal. */
  readonly format: (answer: Answer) => string;
  readonly input: Readable;
  readonly output: Writable;
  /** Called with an error that broke one question; the chat goes on. */
  readonly onError?: (error: unknown) => void;
}

/**
 * A chat on the terminal over the answer pipeline: each line is a question, answered with its cited
 * sentences; `/exit` or end of input leaves. A failure on one question is reported and the chat goes on.
 */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { answerer, format, input, output } = options;
  const lines = createInterface({ input, output, terminal: false });
  const write = (text: string): void => {
    output.write(`${text}\n`);
  };
  write(CONSOLE_MESSAGES.welcome);
  output.write(CONSOLE_MESSAGES.prompt);
  for await (const line of lines) {
    const question = line.trim();
    if (EXIT_COMMANDS.has(question)) break;
    if (question !== "") {
      if (question.length > MAX_CONSOLE_QUESTION_LENGTH) {
        write(CONSOLE_MESSAGES.tooLong);
      } else {
        try {
          write(format(await answerer.answer(question)));
        } catch (error) {
          options.onError?.(error);
          write(CONSOLE_MESSAGES.failed);
        }
      }
      write("");
    }
    output.write(CONSOLE_MESSAGES.prompt);
  }
  lines.close();
  write(`\n${CONSOLE_MESSAGES.goodbye}`);
}
