import { readFile } from "node:fs/promises";
import path from "node:path";
import { ChatPromptTemplate } from "@langchain/core/prompts";
import { OperatorError } from "../errors/index.js";

/** The prompt files, one per prompt, under `prompts/`. */
export const PROMPT_FILES = {
  answer: "answer.md",
  condenseQuestion: "condense-question.md",
  translateQuestion: "translate-question.md",
} as const;

/** The variables each prompt must use: a prompt without one of them is malformed. */
const REQUIRED_VARIABLES: Readonly<Record<keyof typeof PROMPT_FILES, readonly string[]>> = {
  answer: ["context", "question", "refusal"],
  condenseQuestion: ["history", "question"],
  translateQuestion: ["question"],
};

/** The loaded prompts. */
export type Prompts = Readonly<Record<keyof typeof PROMPT_FILES, ChatPromptTemplate>>;

/** A prompt file that is missing or malformed; the message names the file and what is wrong. */
export class PromptFileError extends OperatorError {
  readonly file: string;

  constructor(file: string, problem: string, options?: ErrorOptions) {
    super(`prompt file ${file}: ${problem}`, options);
    this.name = "PromptFileError";
    this.file = file;
  }
}

const SECTION = /^# (system|user)\s*$/gm;

/**
 * Parses a prompt file: a `# system` section and a `# user` section, in that order, each with text. The
 * text uses mustache variables (`{{question}}`), so that literal braces in the prompt stay literal.
 */
export function parsePromptFile(file: string, text: string, required: readonly string[]): ChatPromptTemplate {
  const headings = [...text.matchAll(SECTION)];
  if (headings.length !== 2 || headings[0]?.[1] !== "system" || headings[1]?.[1] !== "user") {
    throw new PromptFileError(file, 'expected a "# system" section followed by a "# user" section');
  }
  const systemStart = headings[0].index + headings[0][0].length;
  const userStart = headings[1].index + headings[1][0].length;
  const system = text.slice(systemStart, headings[1].index).trim();
  const user = text.slice(userStart).trim();
  if (!system || !user) throw new PromptFileError(file, "a section is empty");
  for (const variable of required) {
    if (!text.includes(`{{${variable}}}`))
      throw new PromptFileError(file, `the variable {{${variable}}} is missing`);
  }
  try {
    return ChatPromptTemplate.fromMessages(
      [
        ["system", system],
        ["human", user],
      ],
      { templateFormat: "mustache" },
    );
  } catch (error) {
    throw new PromptFileError(file, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** Loads every prompt from `dir` once, at start-up; a missing or malformed file stops with its name. */
export async function loadPrompts(dir: string): Promise<Prompts> {
  const load = async (name: keyof typeof PROMPT_FILES): Promise<ChatPromptTemplate> => {
    const file = path.join(dir, PROMPT_FILES[name]);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new PromptFileError(file, "cannot be read (restore it from the repository)", { cause: error });
    }
    return parsePromptFile(file, text, REQUIRED_VARIABLES[name]);
  };
  return {
    answer: await load("answer"),
    condenseQuestion: await load("condenseQuestion"),
    translateQuestion: await load("translateQuestion"),
  };
}
