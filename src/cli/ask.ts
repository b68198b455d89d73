import { readFile } from "node:fs/promises";
import { z } from "zod";
import { createAnswerPipeline, type Answer } from "../answer/index.js";
import { DEFAULT_TOP_K } from "../config/index.js";
import { openIndex } from "../index/index.js";
import { countCharacters } from "../text/index.js";
import { formatAnswerText } from "./format.js";
import { EXIT, resolveFolders, runMain, startRuntime, parseCommandLine, UsageError } from "./runtime.js";

const USAGE = `usage: npm run -s ask -- [--corpus DIR] [--index DIR] [--top N] [--json] (QUESTION | --batch FILE)

Answers a question about the articles, citing the sentences that back the answer.
  --batch FILE  answer each line {"id": "...", "question": "..."} of a JSONL file
  --top N       cite at most N sentences (default: TOP_K, or ${DEFAULT_TOP_K} when it is not set)
  --json        print one line of JSON per answer`;

const BATCH_LINE = z.object({ id: z.union([z.string(), z.number()]), question: z.string() });

interface Question {
  readonly id: string | number | null;
  readonly question: string;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      corpus: { type: "string" },
      index: { type: "string" },
      top: { type: "string" },
      json: { type: "boolean" },
      batch: { type: "string" },
    },
    true,
  );
  if (values.help) {
    console.log(USAGE);
    return EXIT.ok;
  }
  const top = values.top === undefined ? undefined : Number(values.top);
  if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 20)) {
    throw new UsageError(`--top takes a whole number from 1 to 20, got "${values.top ?? ""}"`);
  }
  if (values.batch !== undefined && positionals.length > 0) {
    throw new UsageError("give either a question or --batch FILE, not both");
  }
  const questions =
    values.batch !== undefined ? await readBatch(values.batch) : [singleQuestion(positionals)];
  const { config, logger } = startRuntime();
  const limit = config.maxQuestionLength;
  // A single question that cannot be asked is refused before any index is opened or built.
  const singleProblem =
    values.batch === undefined ? questionProblem(questions[0]?.question ?? "", limit) : undefined;
  if (singleProblem) {
    console.error(`error: ${singleProblem}`);
    return EXIT.failure;
  }

  const { index } = await openIndex({
    ...resolveFolders(config, values),
    embeddings: config.embeddings,
    memoryLimitBytes: config.maxIndexMemoryMb * 1024 * 1024,
    logger,
  });
  const { answerer } = await createAnswerPipeline({
    index,
    chat: config.chat,
    topK: top ?? config.topK,
    logger,
  });
  let failed = 0;
  for (const { id, question } of questions) {
    const problem = questionProblem(question, limit);
    if (problem) {
      failed++;
      console.error(`error: ${questionLabel(id)}: ${problem}`);
      continue;
    }
    let answer: Answer;
    try {
      answer = await answerer.answer(question);
    } catch (error) {
      // One failing question (an embeddings server down, say) does not stop the others.
      failed++;
      console.error(`error: ${questionLabel(id)}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    console.log(values.json ? JSON.stringify(toJson(id, answer)) : formatAnswerText(answer));
  }
  return failed > 0 ? EXIT.failure : EXIT.ok;
}

/** The public JSON shape of an answer (`ask --json`): extend it, never rename or drop a field. */
function toJson(id: string | number | null, answer: Answer) {
  return {
    id,
    question: answer.question,
    mode: answer.mode,
    refused: answer.refused,
    confidence: answer.confidence,
    answer: answer.answer,
    citations: answer.citations.map(({ n, doc, sentence, text, article }) => ({
      n,
      doc,
      sentence,
      text,
      article: { title: article.title, source: article.source, published: article.published },
    })),
    ...(answer.notice === undefined ? {} : { notice: answer.notice }),
    ...(answer.kind === undefined ? {} : { kind: answer.kind }),
    ...(answer.fact === undefined ? {} : { fact: answer.fact }),
    ...(answer.about === undefined
      ? {}
      : {
          about: {
            title: answer.about.title,
            source: answer.about.source,
            published: answer.about.published,
          },
        }),
  };
}

/** How an error names the question it is about: by its batch id, when it has one. */
function questionLabel(id: string | number | null): string {
  return id === null ? "question" : `question ${String(id)}`;
}

function singleQuestion(positionals: readonly string[]): Question {
  const question = positionals.join(" ").trim();
  if (question === "") throw new UsageError("no question given");
  return { id: null, question };
}

function questionProblem(question: string, limit: number): string | undefined {
  if (question.trim() === "") return "the question is empty";
  const characters = countCharacters(question);
  if (characters > limit) {
    return `the question has ${characters} characters; the limit is ${limit} (MAX_QUESTION_LENGTH)`;
  }
  return undefined;
}

async function readBatch(file: string): Promise<Question[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --batch file ${file}: ${error instanceof Error ? error.message : ""}`);
  }
  const questions: Question[] = [];
  // A byte-order mark (as some editors save) is not part of the first line's JSON.
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === "") return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new UsageError(`${file}:${i + 1}: not a JSON line`);
      }
      const result = BATCH_LINE.safeParse(parsed);
      if (!result.success) {
        throw new UsageError(`${file}:${i + 1}: expected {"id": "...", "question": "..."}`);
      }
      questions.push(result.data);
    });
  if (questions.length === 0) throw new UsageError(`${file} holds no question`);
  return questions;
}

runMain(main, USAGE);
