import { PassThrough } from "node:stream";

import { describe, expect, it, vi } from "vitest";

import { ConversationalAnswerer, ConversationMemory } from "../../src/answer/conversation.js";
import {
  createAnswerer,
  createAnswerPipeline,
  type Answer,
  type AnswerEvent,
} from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { formatAnswerText } from "../../src/cli/format.js";
import { REPLY_MESSAGES } from "../../src/reply/index.js";
import {
  CONSOLE_MESSAGES,
  runConsoleChat,
  type ConsoleAnswerer,
  type ConsoleChatOptions,
} from "../../src/console/index.js";
import { silentLogger } from "../../src/log/index.js";
import { buildCorpusIndex } from "../support/corpus.js";

/** The longest question the chats here accept, in characters (MAX_QUESTION_LENGTH). */
const LIMIT = 1000;

/** The line that names the corpus's article under an answer from it. */
const SOURCE_LINE =
  "المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";

/** The answer a fake answerer gives: it quotes the question back. */
function echo(question: string): Answer {
  return {
    question,
    mode: "extractive",
    refused: false,
    confidence: "high",
    answer: `جواب: ${question}`,
    citations: [{ n: 1, doc: "d", sentence: 0, text: question, article: { id: "d", title: "عنوان" } }],
  };
}

/** An answerer that records the questions it is asked and answers with {@link echo}, or as told. */
class FakeAnswerer implements ConsoleAnswerer {
  readonly asked: string[] = [];
  readonly conversations: string[] = [];
  readonly forgotten: string[] = [];

  constructor(
    private readonly reply: (question: string) => Promise<Answer> = (q) => Promise.resolve(echo(q)),
  ) {}

  async *stream(conversation: string, question: string): AsyncGenerator<AnswerEvent> {
    this.asked.push(question);
    this.conversations.push(conversation);
    yield { type: "final", answer: await this.reply(question) };
  }

  forget(conversation: string): void {
    this.forgotten.push(conversation);
  }
}

const format = (answer: Answer): string => `«${answer.answer}»`;

/** Runs a chat over the given input, which is then ended, and returns everything it printed. */
async function chat(
  input: string,
  answerer: ConsoleAnswerer,
  options: Partial<Pick<ConsoleChatOptions, "onError" | "format">> = {},
): Promise<string> {
  const source = new PassThrough();
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = runConsoleChat({
    answerer,
    format,
    input: source,
    output: sink,
    maxQuestionLength: LIMIT,
    ...options,
  });
  source.end(input);
  await done;
  return Buffer.concat(chunks).toString("utf8");
}

describe("runConsoleChat", () => {
  it("prints the welcome and a prompt, answers a question, and says goodbye at the end of input", async () => {
    const answerer = new FakeAnswerer();
    const output = await chat("من هو رئيس طاجيكستان؟\n", answerer);
    const { welcome, prompt, goodbye } = CONSOLE_MESSAGES;
    expect(output).toBe(`${welcome}\n${prompt}«جواب: من هو رئيس طاجيكستان؟»\n\n${prompt}\n${goodbye}\n`);
    expect(answerer.asked).toEqual(["من هو رئيس طاجيكستان؟"]);
  });

  it("prints the welcome before anything is asked", async () => {
    const output = await chat("", new FakeAnswerer());
    expect(output.startsWith(`${CONSOLE_MESSAGES.welcome}\n`)).toBe(true);
    expect(output.endsWith(`${CONSOLE_MESSAGES.goodbye}\n`)).toBe(true);
  });

  it("answers each non-empty line, in order, through format()", async () => {
    const answerer = new FakeAnswerer();
    const output = await chat("السؤال الأول\nالسؤال الثاني\nالسؤال الثالث\n", answerer);
    expect(answerer.asked).toEqual(["السؤال الأول", "السؤال الثاني", "السؤال الثالث"]);
    const first = output.indexOf("«جواب: السؤال الأول»");
    const second = output.indexOf("«جواب: السؤال الثاني»");
    const third = output.indexOf("«جواب: السؤال الثالث»");
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
  });

  it("passes the answer to format() as the answerer gave it, and asks with no options", async () => {
    const answerer = new FakeAnswerer();
    const seen: Answer[] = [];
    await chat("سؤال\n", answerer, {
      format: (answer) => {
        seen.push(answer);
        return "ok";
      },
    });
    expect(seen).toEqual([echo("سؤال")]);
    expect(answerer.conversations).toEqual(["console"]);
  });

  it("trims a question before asking it", async () => {
    const answerer = new FakeAnswerer();
    await chat("   سؤال بمسافات   \r\n\t\tسؤال بجدولة\t\n", answerer);
    expect(answerer.asked).toEqual(["سؤال بمسافات", "سؤال بجدولة"]);
  });

  it("ignores blank lines", async () => {
    const answerer = new FakeAnswerer();
    const output = await chat("\n   \n\t\nسؤال\n\n\n", answerer);
    expect(answerer.asked).toEqual(["سؤال"]);
    expect(output.match(/«جواب/g)).toHaveLength(1);
  });

  it("answers a last line without a line break", async () => {
    const answerer = new FakeAnswerer();
    await chat("الأول\nالأخير", answerer);
    expect(answerer.asked).toEqual(["الأول", "الأخير"]);
  });

  it.each(["/exit", "/quit", "/خروج", "  /exit  "])(
    "stops at %j before later lines are answered",
    async (command) => {
      const answerer = new FakeAnswerer();
      const output = await chat(`قبل\n${command}\nبعد\n`, answerer);
      expect(answerer.asked).toEqual(["قبل"]);
      expect(output).not.toContain("بعد");
      expect(output.endsWith(`\n${CONSOLE_MESSAGES.goodbye}\n`)).toBe(true);
    },
  );

  it("stops at /exit while the input is still open", async () => {
    const source = new PassThrough();
    const sink = new PassThrough();
    sink.resume();
    const answerer = new FakeAnswerer();
    const done = runConsoleChat({ answerer, format, input: source, output: sink, maxQuestionLength: LIMIT });
    source.write("سؤال\n/exit\n");
    await done;
    expect(answerer.asked).toEqual(["سؤال"]);
    source.destroy();
  });

  it("reads an exit word inside a question as part of the question", async () => {
    const answerer = new FakeAnswerer();
    await chat("ما معنى /exit ؟\n", answerer);
    expect(answerer.asked).toEqual(["ما معنى /exit ؟"]);
  });

  it("prints the model's text as it streams, not the evidence, then the verified answer through format()", async () => {
    const answerer: ConsoleAnswerer = {
      stream: async function* (_conversation, question): AsyncGenerator<AnswerEvent> {
        await Promise.resolve();
        yield { type: "evidence", quote: "جملة الدليل من المقال." };
        yield { type: "delta", text: "مسودة " };
        yield { type: "delta", text: "النموذج [1]." };
        yield { type: "final", answer: echo(question) };
      },
      forget: () => undefined,
    };
    const output = await chat("سؤال\n", answerer);
    const { welcome, prompt, goodbye } = CONSOLE_MESSAGES;
    expect(output).toBe(`${welcome}\n${prompt}مسودة النموذج [1].\n\n«جواب: سؤال»\n\n${prompt}\n${goodbye}\n`);
    expect(output).not.toContain("جملة الدليل");
  });

  it("waits for each answer before asking the next question", async () => {
    let running = 0;
    let overlapped = false;
    const answerer = new FakeAnswerer(async (question) => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return echo(question);
    });
    const output = await chat("أ\nب\nج\n", answerer);
    expect(overlapped).toBe(false);
    expect(answerer.asked).toEqual(["أ", "ب", "ج"]);
    expect(output.indexOf("«جواب: أ»")).toBeLessThan(output.indexOf("«جواب: ب»"));
    expect(output.indexOf("«جواب: ب»")).toBeLessThan(output.indexOf("«جواب: ج»"));
  });

  describe("long questions", () => {
    it("says a question over the limit is too long, without asking the answerer", async () => {
      const answerer = new FakeAnswerer();
      const long = "س".repeat(LIMIT + 1);
      const output = await chat(`${long}\nقصير\n`, answerer);
      expect(output).toContain(`${CONSOLE_MESSAGES.tooLong(LIMIT)}\n`);
      expect(answerer.asked).toEqual(["قصير"]);
    });

    it("asks a question of exactly the limit, counted after trimming", async () => {
      const answerer = new FakeAnswerer();
      const atLimit = "س".repeat(LIMIT);
      const output = await chat(`   ${atLimit}   \n`, answerer);
      expect(answerer.asked).toEqual([atLimit]);
      expect(output).not.toContain(CONSOLE_MESSAGES.tooLong(LIMIT));
    });

    it("states the limit in the message", () => {
      expect(CONSOLE_MESSAGES.tooLong(LIMIT)).toContain(String(LIMIT));
    });
  });

  describe("an answerer that fails", () => {
    it("prints the failure, calls onError with the error, and answers the next question", async () => {
      const failure = new Error("index broke");
      const answerer = new FakeAnswerer((question) =>
        question === "سيئ" ? Promise.reject(failure) : Promise.resolve(echo(question)),
      );
      const onError = vi.fn();
      const output = await chat("سيئ\nجيد\n", answerer, { onError });
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError).toHaveBeenCalledWith(failure);
      expect(answerer.asked).toEqual(["سيئ", "جيد"]);
      const failed = output.indexOf(`${CONSOLE_MESSAGES.failed}\n`);
      expect(failed).toBeGreaterThan(0);
      expect(output.indexOf("«جواب: جيد»")).toBeGreaterThan(failed);
      expect(output).not.toContain("index broke");
    });

    it("goes on after a synchronous throw, without an onError", async () => {
      const answerer: ConsoleAnswerer = {
        stream: (_conversation, question) => {
          if (question === "سيئ") throw new Error("sync");
          return (async function* (): AsyncGenerator<AnswerEvent> {
            yield { type: "final", answer: await Promise.resolve(echo(question)) };
          })();
        },
        forget: () => undefined,
      };
      const output = await chat("سيئ\nجيد\n", answerer);
      expect(output).toContain(CONSOLE_MESSAGES.failed);
      expect(output).toContain("«جواب: جيد»");
    });

    it("reports a format() that throws like a failed answer", async () => {
      const onError = vi.fn();
      const output = await chat("سؤال\n", new FakeAnswerer(), {
        onError,
        format: () => {
          throw new TypeError("bad format");
        },
      });
      expect(onError).toHaveBeenCalledWith(expect.any(TypeError));
      expect(output).toContain(CONSOLE_MESSAGES.failed);
    });
  });

  it("answers with the real answerer over the real corpus", async () => {
    const index = await buildCorpusIndex();
    const answerer = new ConversationalAnswerer(createAnswerer(index), new ConversationMemory());
    const output = await chat(
      "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟\n؟؟\n/exit\nما مصدر الخبر؟\n",
      answerer,
      { format: formatAnswerText },
    );
    expect(output.startsWith(CONSOLE_MESSAGES.welcome)).toBe(true);
    // The answer once (its sentence is not quoted again), its article named once, the related sentences.
    expect(output.split("35 ألف طالب")).toHaveLength(2);
    expect(output.split(SOURCE_LINE)).toHaveLength(2);
    expect(output).toContain(`${REPLY_MESSAGES.related}\n[2] «`);
    expect(output).not.toContain("[1] «");
    expect(output).toContain(MESSAGES.emptyQuestion);
    // The question after /exit is not answered.
    expect(output).not.toContain("مصدر الخبر");
    expect(output.endsWith(`${CONSOLE_MESSAGES.goodbye}\n`)).toBe(true);
  });

  it("welcomes a greeting, thanks back, and says an English question is answered in Arabic, through the pipeline", async () => {
    const pipeline = await createAnswerPipeline({
      index: await buildCorpusIndex(),
      chat: undefined,
      topK: 3,
      logger: silentLogger(),
    });
    const output = await chat(
      "مرحبا\nكم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟\nشكراً\nHow many Tajik students study in Russia?\n",
      pipeline.conversations,
      { format: formatAnswerText },
    );
    const replies = output
      .split(CONSOLE_MESSAGES.prompt)
      .slice(1, -1)
      .map((reply) => reply.trim());
    expect(replies).toHaveLength(4);
    expect(replies[0]).toBe(MESSAGES.welcome);
    expect(replies[1]).toContain("35 ألف طالب");
    expect(replies[1]).toContain(`\n\n${SOURCE_LINE}`);
    expect(replies[2]).toBe(MESSAGES.thanks);
    expect(replies[3]).toBe(MESSAGES.notArabic);
    expect(replies[3]).toContain("العربية");
    expect(replies[3]).toContain("Arabic");
  });
});
