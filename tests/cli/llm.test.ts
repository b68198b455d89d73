import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startOpenAIStandIn, type OpenAIStandIn, type RecordedRequest } from "../support/openai-stand-in.js";
import { CLI_TIMEOUT, runCli, singleJson, useIndexedSandbox } from "./run-cli.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const API_KEY = "sk-cli-test-secret";
const NOTICE = "تعذّر التحقق من الإجابة المصوغة، فإليك ما ورد في نص المقال حرفياً:";
const PROMPT = "سؤالك> ";
/** The line that names the article under an answer from it: source, written date, title. */
const SOURCE_LINE =
  "المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";
/** The article's sentence on the students, as it is written. */
const STUDENTS_SENTENCE =
  "وتعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
/** U+00A0: the plain-text layout keeps a marker on the line of its word. */
const NBSP = "\u00A0";

let server: OpenAIStandIn;

const sandbox = useIndexedSandbox();

beforeEach(async () => {
  server = await startOpenAIStandIn();
});

afterEach(async () => {
  await server.close();
});

/** The environment of a program that answers with the stand-in's model. */
function llmEnv(): Record<string, string> {
  return {
    ...sandbox().env,
    OPENAI_BASE_URL: server.baseURL,
    OPENAI_API_KEY: API_KEY,
    CHAT_MODEL: "test-model",
    CHAT_TIMEOUT_MS: "3000",
    CHAT_MAX_RETRIES: "0",
    LOG_LEVEL: "info",
  };
}

/** The last user message of a chat request. */
function userMessage(request: RecordedRequest): string {
  const body = request.body as { messages: { role: string; content: string }[] };
  return body.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

/** A reply that cites, with its number in the prompt, the context line that holds `excerpt`. */
function citing(excerpt: string, text: string) {
  return (request: RecordedRequest) => {
    const line = userMessage(request)
      .split("\n")
      .find((candidate) => candidate.includes(excerpt));
    const n = /^\[(\d+)\]/.exec(line ?? "")?.[1] ?? "0";
    return { reply: `${text} [${n}].` };
  };
}

describe("ask with a model on an OpenAI-compatible server", () => {
  it(
    "answers with mode llm and the verified citation, and never logs the key",
    async () => {
      server.chat.push(citing("35 ألف طالب", "يدرس أكثر من 35 ألف طالب طاجيكستاني في المؤسسات الروسية"));
      const result = await runCli("ask", ["--json", STUDENTS], { env: llmEnv() });
      expect(result.code).toBe(0);
      const answer = singleJson(result);
      expect(answer).toMatchObject({ mode: "llm", refused: false, confidence: "high" });
      expect(answer.answer).toBe("يدرس أكثر من 35 ألف طالب طاجيكستاني في المؤسسات الروسية [1].");
      expect(answer.citations).toHaveLength(1);
      expect(answer.citations[0]?.text).toContain("35 ألف طالب طاجيكستاني");
      const request = server.requests.find((candidate) => candidate.path === "/v1/chat/completions");
      expect(request?.authorization).toBe(`Bearer ${API_KEY}`);
      expect(userMessage(request as RecordedRequest)).toContain(STUDENTS);
      expect(result.stderr).not.toContain(API_KEY);
    },
    CLI_TIMEOUT,
  );

  it(
    "falls back to the extractive answer with a notice when the server fails",
    async () => {
      server.defaultChat = { status: 500 };
      const result = await runCli("ask", ["--json", STUDENTS], { env: llmEnv() });
      expect(result.code).toBe(0);
      const answer = singleJson(result) as ReturnType<typeof singleJson> & { notice?: string; fact?: string };
      expect(answer).toMatchObject({ mode: "extractive", refused: false, notice: NOTICE, fact: "35 ألف" });
      expect(answer.citations[0]?.text).toContain("35 ألف طالب");
      expect(result.stderr).not.toContain(API_KEY);
    },
    CLI_TIMEOUT,
  );

  it(
    "prints the fallback notice as a plain line, then the answer quoted from the article once",
    async () => {
      server.defaultChat = { status: 500 };
      const result = await runCli("ask", [STUDENTS], { env: llmEnv() });
      expect(result.code).toBe(0);
      // The notice, the extractive answer (the sentence without its leading «و», marked before its final
      // stop) and the source line, each a block of its own.
      const opening = `${NOTICE}\n\n${STUDENTS_SENTENCE.slice(1, -1)}${NBSP}[1].\n\n${SOURCE_LINE}\n`;
      expect(result.stdout.slice(0, opening.length)).toBe(opening);
      expect(result.stdout.split("35 ألف طالب")).toHaveLength(2);
    },
    CLI_TIMEOUT,
  );

  it(
    "stops at start-up, naming the file, when a prompt file is broken",
    async () => {
      const result = await runCli("ask", ["--json", STUDENTS], {
        env: { ...llmEnv(), PROMPTS_DIR: sandbox().corpusDir },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("answer.md");
      expect(server.requests).toHaveLength(0);
    },
    CLI_TIMEOUT,
  );
});

describe("npm start with a model", () => {
  it(
    "streams the answer, then prints the verified answer with its sources, and rewrites a follow-up",
    async () => {
      server.chat.push(citing("35 ألف طالب", "يدرس أكثر من 35 ألف طالب طاجيكستاني في المؤسسات الروسية"));
      server.chat.push({ reply: "كم معلماً روسياً يعمل في المدارس الطاجيكستانية؟" });
      server.chat.push(citing("109 معلمين", "يعمل حالياً 109 معلمين في المدارس الطاجيكستانية"));
      const result = await runCli("start", ["--console"], {
        env: llmEnv(),
        input: `${STUDENTS}\nوكم معلماً يعمل هناك؟\n/exit\n`,
        keepStdinOpen: true,
      });
      expect(result.code).toBe(0);
      // The model's text as it streams (nothing before it: the evidence the stream opens with is not
      // printed), then the verified answer laid out: its article named once, the cited sentence quoted.
      const draft = "يدرس أكثر من 35 ألف طالب طاجيكستاني في المؤسسات الروسية [1].";
      const verified = draft.replace(" [1]", `${NBSP}[1]`);
      expect(result.stdout).toContain(
        `${PROMPT}${draft}\n\n${verified}\n\n${SOURCE_LINE}\n[1] «${STUDENTS_SENTENCE}»\n\n${PROMPT}`,
      );
      const followUp = result.stdout.split(PROMPT)[2] ?? "";
      expect(followUp).toContain(`يعمل حالياً 109 معلمين في المدارس الطاجيكستانية${NBSP}[1].`);
      expect(followUp).toContain(SOURCE_LINE);
      const chats = server.requests.filter((request) => request.path === "/v1/chat/completions");
      expect(chats).toHaveLength(3);
      // The follow-up was rewritten with the conversation, and the standalone question was asked.
      expect(userMessage(chats[1] as RecordedRequest)).toContain("وكم معلماً يعمل هناك؟");
      expect(userMessage(chats[1] as RecordedRequest)).toContain(STUDENTS);
      expect(userMessage(chats[2] as RecordedRequest)).toContain(
        "كم معلماً روسياً يعمل في المدارس الطاجيكستانية؟",
      );
      expect((chats[0]?.body as { stream?: boolean }).stream).toBe(true);
    },
    CLI_TIMEOUT,
  );
});
