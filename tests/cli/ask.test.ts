import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutLeadingConnector } from "../../src/text/index.js";
import {
  ARTICLE_ID,
  buildIndex,
  CLI_TIMEOUT,
  jsonLines,
  makeSandbox,
  runCli,
  singleJson,
  type AskJson,
  type Sandbox,
} from "./run-cli.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const SOURCE = "ما مصدر الخبر؟";
const LEVANTINE_TEACHERS = "قديش في معلمين روس عم يعلّموا بمدارس طاجيكستان هلق؟";
const ARABIC_INDIC_SHARE = "من استحوذ على ٢٢٫٦٪ من التجارة الخارجية لطاجيكستان؟";
const FOUNDER = "من هو مؤسس أول دولة طاجيكستانية؟";

/** The article of the corpus, as its front matter names it. */
const ARTICLE = {
  title: "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية",
  source: "تاس (TASS)",
  published: "2025-10-09",
};
/** The one line that names the article under an answer: its source, its written date, its title. */
const SOURCE_LINE = `المصدر: تاس (TASS)، 9 أكتوبر/تشرين الأول 2025 — ${ARTICLE.title}`;
/** The answer to a question about where the news comes from: one sentence, from the article's fields. */
const SOURCE_ANSWER = "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.";

/** The fields every answer has had from the start: a field may be added, never renamed or dropped. */
const JSON_FIELDS = ["answer", "citations", "confidence", "id", "mode", "question", "refused"];
/** The fields an answer carries only when they apply. */
const OPTIONAL_FIELDS = ["about", "fact", "kind", "notice"];
const CITATION_FIELDS = ["article", "doc", "n", "sentence", "text"];

/** `ask --json` with the fields added since: each is absent when it does not apply. */
type AskJsonExtended = AskJson & {
  kind?: string;
  notice?: string;
  fact?: string;
  about?: { title: string; source?: string; published?: string };
};

let sandbox: Sandbox;
let articleText: string;

beforeAll(async () => {
  sandbox = await makeSandbox();
  articleText = await readFile(sandbox.articlePath, "utf8");
  await buildIndex(sandbox);
}, CLI_TIMEOUT);

afterAll(async () => {
  await sandbox.cleanup();
});

function ask(args: readonly string[]) {
  return runCli("ask", args, { env: sandbox.env });
}

/** The JSON shape only grows: every original field is there, and any other is one of the optional ones. */
function expectExtendedShape(answer: AskJson, optional: readonly string[]): void {
  const keys = Object.keys(answer).sort();
  expect(keys.filter((key) => JSON_FIELDS.includes(key))).toEqual(JSON_FIELDS);
  expect(keys.filter((key) => !JSON_FIELDS.includes(key))).toEqual([...optional].sort());
  optional.forEach((key) => {
    expect(OPTIONAL_FIELDS).toContain(key);
  });
}

/**
 * Checks the documented JSON shape of an answer that cites sentences (with `fact` when the answer states
 * the asked fact, and nothing else added), and that every citation quotes the article verbatim.
 */
function expectDocumentedAnswer(answer: AskJsonExtended | undefined, question: string): void {
  if (answer === undefined) throw new Error(`no answer to ${question}`);
  expectExtendedShape(answer, answer.fact === undefined ? [] : ["fact"]);
  expect(answer.question).toBe(question);
  expect(answer.mode).toBe("extractive");
  expect(answer.refused).toBe(false);
  expect(typeof answer.confidence).toBe("string");
  expect(answer.answer).not.toBe("");
  if (answer.fact !== undefined) expect(answer.answer).toContain(answer.fact);
  expect(answer.citations.length).toBeGreaterThanOrEqual(1);
  // The answer cites its best sentence by a marker before the final stop.
  expect(answer.answer).toMatch(/ \[1\][.!؟]?$/u);
  answer.citations.forEach((citation, i) => {
    expect(Object.keys(citation).sort()).toEqual(CITATION_FIELDS);
    expect(citation.n).toBe(i + 1);
    expect(citation.doc).toBe(ARTICLE_ID);
    expect(Number.isInteger(citation.sentence)).toBe(true);
    expect(citation.sentence).toBeGreaterThanOrEqual(0);
    expect(articleText).toContain(citation.text);
    // The article is named in each citation, as the front matter gives it.
    expect(citation.article).toEqual(ARTICLE);
  });
}

/** Checks an answer about the article itself: one sentence from its fields, `about` set, nothing cited. */
function expectSourceAnswer(answer: AskJsonExtended | undefined, question: string): void {
  if (answer === undefined) throw new Error(`no answer to ${question}`);
  expectExtendedShape(answer, ["about"]);
  expect(answer).toMatchObject({
    question,
    mode: "extractive",
    refused: false,
    confidence: "high",
    answer: SOURCE_ANSWER,
    citations: [],
  });
  expect(answer.about).toEqual(ARTICLE);
}

/**
 * Fails when a sentence of 40 letters or more is printed twice: a line (a marker, quotes and a final stop
 * aside; read without its leading connector, as an answer shows its sentence) must occur once in `text`.
 */
function expectNoSentenceTwice(text: string): void {
  const sentences = text
    .split("\n")
    .map((line) =>
      withoutLeadingConnector(
        line
          .replace(/^\[\d+\] /u, "")
          .replace(/[«»]/gu, "")
          .replace(/[.!؟?]$/u, "")
          .replace(/\s*\[[\d،, ]+\]$/u, "")
          .trim(),
      ),
    )
    .filter((sentence) => (sentence.match(/\p{L}/gu) ?? []).length >= 40);
  expect(sentences.length).toBeGreaterThan(0);
  sentences.forEach((sentence) => {
    expect({ sentence, times: text.split(sentence).length - 1 }).toEqual({ sentence, times: 1 });
  });
}

describe.concurrent("npm run ask -- --json", () => {
  it(
    "answers how many Tajik students study in Russia, citing the sentence with the number",
    async () => {
      const result = await ask(["--json", STUDENTS]);

      expect(result.code).toBe(0);
      const answer: AskJsonExtended = singleJson(result);
      expectDocumentedAnswer(answer, STUDENTS);
      expect(answer.id).toBeNull();
      expect(answer.citations.length).toBeLessThanOrEqual(3);
      expect(answer.citations[0]?.text).toContain("35 ألف طالب");
      // The asked amount, as the answer writes it.
      expect(answer.fact).toBe("35 ألف");
      // The answer is the cited sentence, read without its leading «و», marked before its final stop.
      expect(answer.answer).toBe(
        `${withoutLeadingConnector(answer.citations[0]?.text ?? "").replace(/\.$/u, "")} [1].`,
      );
    },
    CLI_TIMEOUT,
  );

  it(
    "answers where the news comes from in one sentence, from the article's fields",
    async () => {
      const result = await ask(["--json", SOURCE]);

      expect(result.code).toBe(0);
      expectSourceAnswer(singleJson(result), SOURCE);
    },
    CLI_TIMEOUT,
  );

  it(
    "answers a Levantine dialect question about the Russian teachers",
    async () => {
      const result = await ask(["--json", LEVANTINE_TEACHERS]);

      expect(result.code).toBe(0);
      const answer: AskJsonExtended = singleJson(result);
      expectDocumentedAnswer(answer, LEVANTINE_TEACHERS);
      expect(answer.citations[0]?.text).toContain("109");
      expect(answer.fact).toBe("109");
    },
    CLI_TIMEOUT,
  );

  it(
    "matches Arabic-Indic digits in the question to the Western digits of the article",
    async () => {
      const result = await ask(["--json", ARABIC_INDIC_SHARE]);

      expect(result.code).toBe(0);
      const answer = singleJson(result);
      expectDocumentedAnswer(answer, ARABIC_INDIC_SHARE);
      expect(answer.citations[0]?.text).toContain("22.6%");
    },
    CLI_TIMEOUT,
  );

  it(
    "cites only one sentence with --top 1",
    async () => {
      const result = await ask(["--top", "1", "--json", STUDENTS]);

      expect(result.code).toBe(0);
      const answer: AskJsonExtended = singleJson(result);
      expectDocumentedAnswer(answer, STUDENTS);
      expect(answer.citations).toHaveLength(1);
      expect(answer.citations[0]?.text).toContain("35 ألف طالب");
      expect(answer.fact).toBe("35 ألف");
    },
    CLI_TIMEOUT,
  );
});

describe.concurrent("npm run ask (plain text)", () => {
  it(
    "prints the answer once, then the article's source line, then the related sentences quoted",
    async () => {
      const result = await ask([STUDENTS]);

      expect(result.code).toBe(0);
      const [answer, blank, source, ...rest] = result.stdout.trimEnd().split("\n");
      expect(answer).toContain("35 ألف طالب");
      // The marker stays with its word: a no-break space before it, and it comes before the final stop.
      expect(answer).toMatch(/\u00A0\[1\]\.$/u);
      expect(blank).toBe("");
      expect(source).toBe(SOURCE_LINE);
      expect(result.stdout.split("المصدر:")).toHaveLength(2);
      expect(result.stdout).not.toContain("المصادر:");
      // The sentence shown as the answer is not quoted again: what is quoted are the related sentences.
      expect(result.stdout.split("35 ألف طالب")).toHaveLength(2);
      expectNoSentenceTwice(result.stdout);
      // The sentences close to it in score follow, numbered from [2] and quoted verbatim.
      expect(rest.slice(0, 2)).toEqual(["", "جمل أخرى ذات صلة:"]);
      const quoted = rest.slice(2);
      expect(quoted.length).toBeGreaterThanOrEqual(1);
      expect(quoted.length).toBeLessThanOrEqual(2);
      quoted.forEach((line, i) => {
        const match = /^\[(\d+)\] «(.+)»$/.exec(line);
        expect(match?.[1]).toBe(String(i + 2));
        expect(articleText).toContain(match?.[2] ?? "<no quote>");
      });
    },
    CLI_TIMEOUT,
  );

  it(
    "answers where the news comes from in one line, naming the title under it",
    async () => {
      const result = await ask([SOURCE]);

      expect(result.code).toBe(0);
      expect(result.stdout.trimEnd()).toBe(`${SOURCE_ANSWER}\n\nعنوان الخبر: ${ARTICLE.title}`);
    },
    CLI_TIMEOUT,
  );
});

describe.concurrent("npm run ask -- --batch FILE", () => {
  it(
    "answers every line in order, keeping string and number ids",
    async () => {
      const file = path.join(sandbox.root, "three.jsonl");
      await writeFile(
        file,
        [
          JSON.stringify({ id: "src", question: SOURCE }),
          JSON.stringify({ id: 7, question: STUDENTS }),
          "",
          JSON.stringify({ id: "founder", question: FOUNDER }),
        ].join("\n") + "\n",
      );
      const result = await ask(["--json", "--batch", file]);

      expect(result.code).toBe(0);
      const answers: AskJsonExtended[] = jsonLines(result.stdout);
      expect(answers.map((answer) => answer.id)).toEqual(["src", 7, "founder"]);
      expect(answers.map((answer) => answer.question)).toEqual([SOURCE, STUDENTS, FOUNDER]);
      const [source, ...cited] = answers;
      expectSourceAnswer(source, SOURCE);
      cited.forEach((answer) => {
        expectDocumentedAnswer(answer, answer.question);
      });
      expect(answers[1]?.citations[0]?.text).toContain("35 ألف طالب");
      expect(answers[1]?.fact).toBe("35 ألف");
      expect(answers[2]?.citations[0]?.text).toContain("إسماعيلي ساماني");
    },
    CLI_TIMEOUT,
  );

  it(
    "says what a reply that is no answer is: a greeting, thanks, a question not in Arabic",
    async () => {
      const english = "How many Tajik students study at Russian institutions?";
      const file = path.join(sandbox.root, "small-talk.jsonl");
      await writeFile(
        file,
        [
          JSON.stringify({ id: "hello", question: "مرحباً" }),
          JSON.stringify({ id: "en", question: english }),
          JSON.stringify({ id: "thanks", question: "شكراً جزيلاً" }),
          JSON.stringify({ id: "greeted", question: `السلام عليكم، ${STUDENTS}` }),
        ].join("\n"),
      );
      const result = await ask(["--json", "--batch", file]);

      expect(result.code).toBe(0);
      const [hello, en, thanks, greeted] = jsonLines(result.stdout) as AskJsonExtended[];
      for (const [reply, kind] of [
        [hello, "greeting"],
        [en, "not-arabic"],
        [thanks, "thanks"],
      ] as const) {
        expect(Object.keys(reply ?? {}).sort()).toEqual([...JSON_FIELDS, "kind"].sort());
        expect(reply).toMatchObject({
          kind,
          mode: "extractive",
          refused: false,
          confidence: "none",
          citations: [],
        });
      }
      expect(hello?.answer).toContain("مثال: ");
      expect(en?.question).toBe(english);
      expect(en?.answer).toContain("العربية");
      expect(en?.answer).toContain("Arabic");
      expect(thanks?.answer).toMatch(/^عفواً/);
      // A greeting before a question: the question is answered, and the answer has no kind.
      expect(greeted?.question).toBe(`السلام عليكم، ${STUDENTS}`);
      expectDocumentedAnswer(greeted, `السلام عليكم، ${STUDENTS}`);
      expect(greeted?.kind).toBeUndefined();
      expect(greeted?.citations[0]?.text).toContain("35 ألف طالب");
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects a malformed line with exit 2, naming FILE:line",
    async () => {
      const file = path.join(sandbox.root, "malformed.jsonl");
      await writeFile(file, `${JSON.stringify({ id: "a", question: SOURCE })}\n{"id": "b", "question": \n`);
      const result = await ask(["--json", "--batch", file]);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`${file}:2`);
      expect(result.stderr).toContain("usage: npm run -s ask");
    },
    CLI_TIMEOUT,
  );

  it(
    "reports an empty question on stderr with its id, answers the others, and exits 1",
    async () => {
      const file = path.join(sandbox.root, "with-empty.jsonl");
      await writeFile(
        file,
        [
          JSON.stringify({ id: "first", question: SOURCE }),
          JSON.stringify({ id: "x", question: "" }),
          JSON.stringify({ id: "last", question: STUDENTS }),
        ].join("\n"),
      );
      const result = await ask(["--json", "--batch", file]);

      expect(result.code).toBe(1);
      expect(jsonLines(result.stdout).map((answer) => answer.id)).toEqual(["first", "last"]);
      expect(result.stderr).toMatch(/^error: question x: .*empty/m);
    },
    CLI_TIMEOUT,
  );

  it(
    "reads a batch file saved with a UTF-8 byte-order mark",
    async () => {
      // Editors on Windows save UTF-8 with a BOM; the corpus loader accepts it, the batch reader should too.
      const file = path.join(sandbox.root, "bom.jsonl");
      await writeFile(file, `\uFEFF${JSON.stringify({ id: "bom", question: SOURCE })}\n`);
      const result = await ask(["--json", "--batch", file]);

      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(jsonLines(result.stdout).map((answer) => answer.id)).toEqual(["bom"]);
    },
    CLI_TIMEOUT,
  );
});

describe.concurrent("npm run ask usage errors", () => {
  it(
    "exits 2 with the usage when no question is given",
    async () => {
      const result = await ask([]);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: no question given/);
      expect(result.stderr).toContain("usage: npm run -s ask");
    },
    CLI_TIMEOUT,
  );

  for (const top of ["0", "abc"]) {
    it(
      `exits 2 for --top ${top}`,
      async () => {
        const result = await ask(["--top", top, SOURCE]);

        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(/^error: .*--top/);
        expect(result.stderr).toContain(`"${top}"`);
        expect(result.stderr).toContain("usage: npm run -s ask");
      },
      CLI_TIMEOUT,
    );
  }

  it(
    "exits 2 when given both a question and --batch",
    async () => {
      const file = path.join(sandbox.root, "both.jsonl");
      await writeFile(file, `${JSON.stringify({ id: "a", question: SOURCE })}\n`);
      const result = await ask(["--batch", file, SOURCE]);

      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain("usage: npm run -s ask");
    },
    CLI_TIMEOUT,
  );

  it(
    "exits 1 for a question over 1000 characters, giving the limit",
    async () => {
      const question = `${"سؤال طويل جداً ".repeat(80)}؟`;
      expect(question.length).toBeGreaterThan(1000);
      const result = await ask(["--json", question]);

      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).toContain("1000");
    },
    CLI_TIMEOUT,
  );
});
