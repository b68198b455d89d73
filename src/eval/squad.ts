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

/**
 * Reads a SQuAD v1.1 file as an evaluation set: each distinct paragraph becomes an article (titled with
 * its page's title), each question is gold on the sentences that hold one of its answers. The answer is
 * located by its offset, or by its text where the offset is wrong; a question whose answer cannot be
 * found is counted as skipped.
 */
export async function loadSquadEvalSet(file: string): Promise<EvalSet> {
  const parsed = SQUAD_SCHEMA.safeParse(await readJson(file));
  if (!parsed.success)
    throw new EvalSetError(`${file} is not a SQuAD v1.1 file: ${parsed.error.issues[0]?.message ?? ""}`);
  const articles: Article[] = [];
  const docByContext = new Map<string, string>();
  const questions: EvalQuestion[] = [];
  let skipped = 0;
  for (const page of parsed.data.data) {
    for (const { context, qas } of page.paragraphs) {
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
      for (const qa of qas) {
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
  return { name: file, articles, questions, skipped };
}
