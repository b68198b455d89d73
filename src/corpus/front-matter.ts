import { parse as parseYaml, YAMLParseError } from "yaml";
import * as z from "zod";

import { BYTE_ORDER_MARK } from "./body.js";
import { CorpusFileError } from "./errors.js";
import type { ArticleMeta } from "./types.js";

/** The line that opens and closes front matter. */
const FENCE = "---";
/** Front matter starts on the second line of the file, after the opening fence. */
const FIRST_YAML_LINE = 2;
/** Language assumed when an article does not say. */
export const DEFAULT_LANGUAGE = "ar";

const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
const MAX_ID_LENGTH = 120;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** A simplified BCP 47 tag: primary language plus optional subtags (ar, en, ar-EG, zh-Hant-TW). */
const LANGUAGE_PATTERN = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

const ID_RULE = `must start with a letter or digit and use only letters, digits, ".", "_" and "-" (at most ${MAX_ID_LENGTH} characters)`;
const DATE_RULE = "must be a real date written YYYY-MM-DD, e.g. 2025-10-09";

/** Front matter split from a Markdown file: the YAML text (undefined when there is none) and the body. */
export interface FrontMatterSplit {
  readonly yaml: string | undefined;
  readonly body: string;
}

/** A required-or-optional text field; YAML gives null for `key:` with nothing after it, hence its own hint. */
function textField(missing: string): z.ZodString {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? missing
          : issue.input === null
            ? "has no value; fill it in or remove the line"
            : "must be text (put it in quotes)",
    })
    .trim()
    .min(1, { error: "must not be empty" });
}

/** Strict so that a misspelt key (e.g. `titel`) is reported instead of silently ignored. */
const META_SCHEMA = z.strictObject({
  id: textField('is missing; add a line like "id: tass-2025-10-09-putin-dushanbe"')
    .max(MAX_ID_LENGTH, { error: ID_RULE })
    .regex(ID_PATTERN, { error: ID_RULE }),
  title: textField("is missing; add the article's headline"),
  source: textField("is missing").optional(),
  published: z
    .union([z.string(), z.date()], { error: DATE_RULE })
    .transform(dateText)
    .refine(isRealDate, { error: DATE_RULE })
    .optional(),
  language: textField("is missing")
    .regex(LANGUAGE_PATTERN, { error: "must be a language tag such as ar or en" })
    .default(DEFAULT_LANGUAGE),
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
});

const ALLOWED_FIELDS = Object.keys(META_SCHEMA.shape).join(", ");

/** Whether a Markdown file whose text begins with this line (up to its first line break) has front matter. */
export function opensFrontMatter(firstLine: string): boolean {
  const withoutBom = firstLine.startsWith(BYTE_ORDER_MARK)
    ? firstLine.slice(BYTE_ORDER_MARK.length)
    : firstLine;
  return withoutBom.replace(/\r$/, "").trimEnd() === FENCE;
}

/** Splits a Markdown file into its front matter and body; throws when the front matter is never closed. */
export function splitFrontMatter(path: string, text: string): FrontMatterSplit {
  const withoutBom = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
  const lines = withoutBom.split("\n").map((line) => line.replace(/\r$/, ""));
  if (!opensFrontMatter(lines[0] ?? "")) return { yaml: undefined, body: withoutBom };
  const close = lines.findIndex((line, index) => index > 0 && line.trimEnd() === FENCE);
  if (close === -1) {
    throw new CorpusFileError(
      path,
      `front matter opened with "${FENCE}" on line 1 is never closed; add a "${FENCE}" line after the last field`,
    );
  }
  return { yaml: lines.slice(1, close).join("\n"), body: lines.slice(close + 1).join("\n") };
}

/** Parses and validates front-matter YAML into article metadata; throws CorpusFileError naming the field. */
export function parseFrontMatter(path: string, yaml: string): ArticleMeta {
  return validateFrontMatter(path, readYaml(path, yaml));
}

/** Validates already-parsed front matter (a YAML mapping) into article metadata. */
export function validateFrontMatter(path: string, data: unknown): ArticleMeta {
  if (data === null || data === undefined) {
    throw new CorpusFileError(path, "front matter is empty; add at least id and title");
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new CorpusFileError(path, 'front matter must be "key: value" lines (e.g. "id: ...", "title: ...")');
  }
  const result = META_SCHEMA.safeParse(data);
  if (!result.success) throw new CorpusFileError(path, result.error.issues.map(describeIssue).join("; "));
  return result.data;
}

/** Whether a value can serve as an article id (used for ids taken from file names). */
export function isArticleId(value: string): boolean {
  return value.length <= MAX_ID_LENGTH && ID_PATTERN.test(value);
}

function readYaml(path: string, yaml: string): unknown {
  try {
    // logLevel "error": YAML warnings would go to the process' stderr, bypassing the program's logger.
    return parseYaml(yaml, { prettyErrors: false, logLevel: "error" });
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const line = FIRST_YAML_LINE + countLineBreaks(yaml.slice(0, error.pos[0]));
    throw new CorpusFileError(path, `invalid YAML in the front matter at line ${line}: ${error.message}`, {
      cause: error,
    });
  }
}

function countLineBreaks(text: string): number {
  return text.split("\n").length - 1;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((key) => `"${key}"`).join(", ");
    const noun = issue.keys.length === 1 ? "field" : "fields";
    return `unknown front matter ${noun} ${keys} (allowed fields: ${ALLOWED_FIELDS})`;
  }
  return `front matter field "${issue.path.join(".")}" ${issue.message}`;
}

/** YAML 1.1 timestamps arrive as a Date at midnight UTC, so the ISO day is the date that was written. */
function dateText(value: string | Date): string {
  if (typeof value === "string") return value.trim();
  return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
}

/** Rejects well-formed but impossible dates such as 2025-02-30, which Date would silently roll over. */
function isRealDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
