import { describe, expect, it } from "vitest";
import { startBotApiStandIn } from "../support/bot-api-stand-in.js";
import { CLI_TIMEOUT, runCli, runPackageScript, useIndexedSandbox } from "./run-cli.js";

// The console's texts, as the user sees them (src/console/chat.ts).
const WELCOME = "سند: اسأل عن الخبر وسأجيبك بالجمل التي تسند الإجابة.";
const PROMPT = "سؤالك> ";
const GOODBYE = "مع السلامة.";
const TOO_LONG = "سؤالك أطول من 1000 حرف.";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const SOURCE = "ما مصدر الخبر؟";

// What the console prints for them (src/reply): the article named once under an answer, and the answer
// to a question about the article in one sentence from its fields, with its title under it.
const TITLE = "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";
const SOURCE_LINE = `المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — ${TITLE}`;
const SOURCE_ANSWER = "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.";
const TITLE_LINE = `عنوان الخبر: ${TITLE}`;

const sandbox = useIndexedSandbox();

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe.concurrent("npm start (console chat)", () => {
  it(
    "answers two questions with their sources, then leaves on /exit",
    async () => {
      // stdin stays open: /exit alone must end the program; a blank line is no question.
      const result = await runCli("start", ["--console"], {
        env: sandbox().env,
        input: `${STUDENTS}\n\n${SOURCE}\n/exit\n${SOURCE}\n`,
        keepStdinOpen: true,
      });

      expect(result.signal).toBeNull();
      expect(result.code).toBe(0);
      const out = result.stdout;
      expect(out.startsWith(WELCOME)).toBe(true);
      // The answer once, then its article named once; then the second question's one-sentence answer.
      expect(count(out, "35 ألف طالب")).toBe(1);
      expect(count(out, SOURCE_LINE)).toBe(1);
      expect(count(out, SOURCE_ANSWER)).toBe(1);
      expect(count(out, TITLE_LINE)).toBe(1);
      expect(out.indexOf("35 ألف طالب")).toBeLessThan(out.indexOf(SOURCE_LINE));
      expect(out.indexOf(SOURCE_LINE)).toBeLessThan(out.indexOf(SOURCE_ANSWER));
      expect(out.indexOf(SOURCE_ANSWER)).toBeLessThan(out.indexOf(TITLE_LINE));
      expect(count(out, PROMPT)).toBe(4);
      expect(out.trimEnd().endsWith(GOODBYE)).toBe(true);
    },
    CLI_TIMEOUT,
  );

  it(
    "leaves with exit 0 at the end of input, after declining a question over 1000 characters",
    async () => {
      // The last question has no newline: end of input still delivers it.
      const long = "سؤال طويل ".repeat(120);
      const result = await runCli("start", ["--console"], {
        env: sandbox().env,
        input: `${long}\n${SOURCE}`,
      });

      expect(result.signal).toBeNull();
      expect(result.code).toBe(0);
      expect(result.stdout.startsWith(WELCOME)).toBe(true);
      expect(result.stdout).toContain(TOO_LONG);
      expect(count(result.stdout, SOURCE_ANSWER)).toBe(1);
      expect(result.stdout).toContain(TITLE_LINE);
      expect(result.stdout.trimEnd().endsWith(GOODBYE)).toBe(true);
    },
    CLI_TIMEOUT,
  );
});

describe("npm start, the package script", () => {
  it(
    "builds the sources and answers from the built program as from the sources",
    async () => {
      const input = `${STUDENTS}\n${SOURCE}\n`;
      const [built, fromSources] = await Promise.all([
        runPackageScript("start", ["--console"], { env: sandbox().env, input }),
        runCli("start", ["--console"], { env: sandbox().env, input }),
      ]);

      expect(built.stderr).toBe("");
      expect(built.code).toBe(0);
      expect(count(built.stdout, "35 ألف طالب")).toBe(1);
      expect(count(built.stdout, SOURCE_ANSWER)).toBe(1);
      expect(built.stdout.trimEnd().endsWith(GOODBYE)).toBe(true);
      // What npm prints of the script it runs aside (--silent), the user reads the same conversation.
      expect(built.stdout).toBe(fromSources.stdout);
    },
    CLI_TIMEOUT,
  );
});

describe("npm start without a token or a terminal", () => {
  it(
    "exits with a message that says what to set",
    async () => {
      const result = await runCli("start", [], { env: sandbox().env, input: "" });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("TELEGRAM_BOT_TOKEN");
      expect(result.stderr).toContain("--console");
      expect(result.stdout).toBe("");
    },
    CLI_TIMEOUT,
  );
});

describe("npm start with a token Telegram refuses", () => {
  it(
    "exits with a message naming TELEGRAM_BOT_TOKEN",
    async () => {
      const telegram = await startBotApiStandIn();
      try {
        const result = await runCli("start", [], {
          env: {
            ...sandbox().env,
            TELEGRAM_BOT_TOKEN: "123456:ThisTokenIsNotTheOneTheServerAccepts",
            TELEGRAM_API_ROOT: telegram.apiRoot,
          },
          input: "",
        });
        expect(result.code).toBe(1);
        expect(result.stderr).toContain("TELEGRAM_BOT_TOKEN");
        expect(result.stderr).not.toContain("ThisTokenIsNotTheOneTheServerAccepts");
      } finally {
        await telegram.close();
      }
    },
    CLI_TIMEOUT,
  );
});
