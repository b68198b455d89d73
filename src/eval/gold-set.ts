import { EvalSetError } from "./errors.js";
import { z } from "zod";
import type { Article } from "../corpus/index.js";
import { sentencesOfArticle } from "../index/index.js";
import { readJson } from "./read-json.js";
import type { EvalQuestion, EvalSet } from "./types.js";

const GOLD_SCHEMA = z.object({
  doc: z.string(),
  description: z.string().optional(),
  questions: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      kind: z.string(),
      gold: z.array(z.string()),
    }),
  ),
});

/**
 * Reads the team's gold set on the corpus: questions whose gold sentences are given as exact excerpts
 * (so that the set survives changes to sentence numbering), resolved here to the sentences that hold
 * them. An excerpt found in no sentence, or in several, is an error in the set.
 */
export async function loadGoldEvalSet(file: string, articles: readonly Article[]): Promise<EvalSet> {
  const parsed = GOLD_SCHEMA.safeParse(await readJson(file));
  if (!parsed.success)
    throw new EvalSetError(`${file}: not a gold set: ${parsed.error.issues[0]?.message ?? ""}`);
  const { doc, questions } = parsed.data;
  const article = articles.find((candidate) => candidate.meta.id === doc);
  if (!article) throw new EvalSetError(`${file}: the corpus has no article ${doc}`);
  const sentences = sentencesOfArticle(article);
  const resolved: EvalQuestion[] = questions.map((question) => ({
    id: question.id,
    question: question.question,
    kind: question.kind,
    gold: question.gold.map((excerpt) => {
      const holders = sentences.filter((sentence) => sentence.text.includes(excerpt));
      if (holders.length !== 1 || !holders[0]) {
        throw new EvalSetError(
          `${file}: ${question.id}: excerpt "${excerpt}" is in ${holders.length} sentences, not 1`,
        );
      }
      return { doc, sentence: holders[0].index };
    }),
  }));
  return { name: file, articles, questions: resolved, skipped: 0 };
}
