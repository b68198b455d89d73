import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import type { Answer, AnswerEvent } from "../answer/index.js";
import { countCharacters } from "../text/index.js";

/** Words that end the chat, besides end of input (Ctrl-D). */
const EXIT_COMMANDS = new Set(["/exit", "/quit", "/خروج"]);
/** Words that start the conversation over (follow-ups no longer refer to earlier questions). */
const RESET_COMMANDS = new Set(["/reset", "/جديد"]);
/** The conversation key of the console: one reader, one conversation. */
export const CONSOLE_CONVERSATION = "console";

/** The texts the console chat shows, in Arabic like every user-facing message. */
export const CONSOLE_MESSAGES = {
  welcome:
    "سند: اسأل عن الخبر وسأجيبك بالجمل التي تسند الإجابة. لبدء محادثة جديدة: ‎/reset‎، وللخروج: ‎/exit‎ أو Ctrl-D.",
  prompt: "سؤالك> ",
  tooLong: (limit: number) => `سؤالك أطول من ${limit} حرف. اختصره من فضلك.`,
  failed: "تعذّرت الإجابة عن هذا السؤال بسبب خطأ داخلي. جرّب مرة أخرى أو اطرح سؤالاً آخر.",
  reset: "بدأنا محادثة جديدة.",
  goodbye: "مع السلامة.",
} as const;

/** What the chat needs of the answer pipeline: answers within a conversation, and forgetting it. */
export interface ConsoleAnswerer {
  stream(conversation: string, question: string): AsyncGenerator<AnswerEvent>;
  forget(conversation: string): void | Promise<void>;
}

/** Options of {@link runConsoleChat}. */
export interface ConsoleChatOptions {
  readonly answerer: ConsoleAnswerer;
  /** Formats an answer with its citations for the terminal. */
  readonly format: (answer: Answer) => string;
  readonly input: Readable;
  readonly output: Writable;
  /** Called with an error that broke one question; the chat goes on. */
  readonly onError?: (error: unknown) => void;
  /** Longest question accepted, in characters (MAX_QUESTION_LENGTH). */
  readonly maxQuestionLength: number;
}

/**
 * A chat on the terminal over the answer pipeline: each line is a question, answered (streamed as it is
 * written, when a model writes it) with its cited sentences; follow-up questions refer to the earlier
 * ones; `/reset` starts over; `/exit` or end of input leaves. A failure on one question is reported and
 * the chat goes on.
 */
export async function runConsoleChat(options: ConsoleChatOptions): Promise<void> {
  const { answerer, input, output } = options;
  const lines = createInterface({ input, output, terminal: false });
  const write = (text: string): void => {
    output.write(`${text}\n`);
  };
  write(CONSOLE_MESSAGES.welcome);
  output.write(CONSOLE_MESSAGES.prompt);
  for await (const line of lines) {
    const question = line.trim();
    if (EXIT_COMMANDS.has(question)) break;
    if (RESET_COMMANDS.has(question)) {
      await answerer.forget(CONSOLE_CONVERSATION);
      write(CONSOLE_MESSAGES.reset);
    } else if (question !== "") {
      const limit = options.maxQuestionLength;
      if (countCharacters(question) > limit) write(CONSOLE_MESSAGES.tooLong(limit));
      else await answerOne(question, options, write);
      write("");
    }
    output.write(CONSOLE_MESSAGES.prompt);
  }
  lines.close();
  write(`\n${CONSOLE_MESSAGES.goodbye}`);
}

/** Streams the draft as it comes, then prints the verified answer, which may differ and always wins. */
async function answerOne(
  question: string,
  options: ConsoleChatOptions,
  write: (text: string) => void,
): Promise<void> {
  let draft = "";
  try {
    for await (const event of options.answerer.stream(CONSOLE_CONVERSATION, question)) {
      if (event.type === "delta") {
        draft += event.text;
        options.output.write(event.text);
      } else if (event.type === "final") {
        if (draft !== "") write("\n");
        write(options.format(event.answer));
      }
    }
  } catch (error) {
    options.onError?.(error);
    if (draft !== "") write("");
    write(CONSOLE_MESSAGES.failed);
  }
}
