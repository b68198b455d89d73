import { createHash } from "node:crypto";
import { EvalSetError } from "./errors.js";
import { z } from "zod";
import type { Article } from "../corpus/index.js";
import { splitSentences } from "../text/index.js";
import { readJson } from "./read-json.js";
import type { EvalQuestion, EvalSet } from "./types.js";

const SQUAD_SCHEMA = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(
            z.object({
              id: z.union([z.string(), z.number()]).transform(String),
              question: z.string(),
              answers: z.array(z.object({ text: z.string(), answer_start: z.number().int() })),
            }),
          ),
        }),
      ),
    }),
  ),
});

/** Crowd-written ARCD questions sometimes start with a list dash. */
const LEADING_DASH = /^\s*-\s*/;

/** One page in this many is held out whole when it has a single paragraph (TyDi QA's pages). */
const SINGLE_PARAGRAPH_HOLD_OUT = 5;

/** Options of {@link loadSquadEvalSet}. */
export interface SquadLoadOptions {
  /**
   * Leave paragraphs out of the corpus, so that their questions have no answer in it while their topic
   * often still does (as in SQuAD 2.0): of a page of n > 1 paragraphs, the ((k + holdOut) mod n)-th,
   * k being the page's position; of single-paragraph pages, those with (k + holdOut) divisible by
   * {@link SINGLE_PARAGRAPH_HOLD_OUT}. With holdOut 0 this is the protocol of the team's
   * `squad-holdout.mjs`; other offsets leave other paragraphs out, for more training data.
   */
  readonly holdOut?: number;
  /**
   * Keep only the questions of one half, A or B, split by a hash of the question's id: TyDi QA has no
   * train and test split of its own, so one half can fit what the other is reported on.
   */
  readonly half?: "A" | "B";
}

/** The half, A or B, a question belongs to: the parity of the first byte of its id's SHA-256. */
export function halfOf(id: string): "A" | "B" {
  return ((createHash("sha256").update(id).digest()[0] ?? 0) & 1) === 0 ? "A" : "B";
}

type SquadPage = z.infer<typeof SQUAD_SCHEMA>["data"][number];

/**
 * Reads a SQuAD v1.1 file as an evaluation set: each distinct paragraph becomes an article (titled with
 * its page's title), each question is gold on the sentences that hold one of its answers. The answer is
 * located by its offset, or by its text where the offset is wrong; a question whose answer cannot be
 * found is counted as skipped. With `holdOut`, the questions of the paragraphs left out are unanswerable
 * (no gold sentence) unless the same paragraph is kept elsewhere in the file.
 */
export async function loadSquadEvalSet(file: string, options: SquadLoadOptions = {}): Promise<EvalSet> {
  const pages = await readSquadPages(file);
  const name = [
    file,
    options.half === undefined ? "" : ` (half ${options.half})`,
    options.holdOut === undefined ? "" : ` (hold-out ${options.holdOut})`,
  ].join("");
  return setOfPages(
    name,
    file,
    pages.map((page, k) => ({ page, k })),
    options,
  );
}

/**
 * The same file as one evaluation set per page, each with only its own page's paragraphs as the corpus:
 * a reader asking about one article, the case of a news bot with one story. With `holdOut`, one paragraph
 * of each page is left out of its corpus, so that its questions are about the article but unanswered by
 * it. Pages left with no paragraph are skipped.
 */
export async function loadSquadPageSets(file: string, options: SquadLoadOptions = {}): Promise<EvalSet[]> {
  const pages = await readSquadPages(file);
  return pages
    .map((page, k) => setOfPages(`${file} page ${k}`, file, [{ page, k }], options))
    .filter(({ articles, questions }) => articles.length > 0 && questions.length > 0);
}

async function readSquadPages(file: string): Promise<SquadPage[]> {
  const parsed = SQUAD_SCHEMA.safeParse(await readJson(file));
  if (!parsed.success)
    throw new EvalSetError(`${file} is not a SQuAD v1.1 file: ${parsed.error.issues[0]?.message ?? ""}`);
  return parsed.data.data;
}

/** The set of these pages (with their positions k in the file), paragraphs held out and half kept. */
function setOfPages(
  name: string,
  file: string,
  pages: readonly { readonly page: SquadPage; readonly k: number }[],
  options: SquadLoadOptions,
): EvalSet {
  const heldOut = (page: number, paragraph: number, paragraphs: number): boolean => {
    if (options.holdOut === undefined) return false;
    const k = page + options.holdOut;
    return paragraphs > 1 ? paragraph === k % paragraphs : k % SINGLE_PARAGRAPH_HOLD_OUT === 0;
  };
  // A paragraph left out but kept under another page (ARCD has duplicates) still answers its questions.
  const kept = new Set(
    pages.flatMap(({ page, k }) =>
      page.paragraphs.flatMap(({ context }, i) => (heldOut(k, i, page.paragraphs.length) ? [] : [context])),
    ),
  );
  const articles: Article[] = [];
  const docByContext = new Map<string, string>();
  const questions: EvalQuestion[] = [];
  let skipped = 0;
  const half = options.half;
  for (const { page } of pages) {
    for (const { context, qas } of page.paragraphs) {
      const asked = half === undefined ? qas : qas.filter(({ id }) => halfOf(id) === half);
      if (!kept.has(context)) {
        for (const qa of asked) {
          questions.push({ id: qa.id, question: qa.question.replace(LEADING_DASH, ""), gold: [] });
        }
        continue;
      }
      let doc = docByContext.get(context);
      if (doc === undefined) {
        doc = `p${articles.length}`;
        docByContext.set(context, doc);
        articles.push({
          meta: { id: doc, title: page.title, language: "ar" },
          path: file,
          blocks: [{ kind: "paragraph", text: context }],
          contentHash: "",
        });
      }
      const spans = splitSentences(context);
      for (const qa of asked) {
        const gold = new Set<number>();
        for (const answer of qa.answers) {
          const start = context.startsWith(answer.text, answer.answer_start)
            ? answer.answer_start
            : context.indexOf(answer.text);
          if (start < 0 || answer.text.length === 0) continue;
          const end = start + answer.text.length;
          spans.forEach((span, i) => {
            if (span.start < end && span.end > start) gold.add(i);
          });
        }
        if (gold.size === 0) {
          skipped++;
          continue;
        }
        questions.push({
          id: qa.id,
          question: qa.question.replace(LEADING_DASH, ""),
          gold: [...gold].map((sentence) => ({ doc, sentence })),
        });
      }
    }
  }
  return { name, articles, questions, skipped };
}
