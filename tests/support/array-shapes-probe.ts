/**
 * Run by tests/answer/array-shapes.test.ts as `node --allow-natives-syntax --import tsx <this file>`:
 * answers ARCD's test questions three times over its own index, and prints, for each array the answer's
 * hot loops read (the question's words, each word's alternatives, the passages found, the ranked
 * sentences), how many hidden classes ("maps") V8 gave the arrays made in the second and third passes.
 *
 * V8 optimizes a loop for the array shapes it has seen; one that appears later deoptimizes it, and the
 * compiler's threads that build it again take a core from the answers (4 ms stalls on two cores). By the
 * second pass every function that makes these arrays has been optimized, so a second shape there is
 * one the optimized code makes and the interpreter did not (Array.prototype.map's result is holey once
 * optimized, packed before).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createAnswerer } from "../../src/answer/index.js";
import { DEFAULT_HASHING_DIMENSIONS } from "../../src/config/index.js";
import { loadSquadEvalSet } from "../../src/eval/index.js";
import { SanadIndex } from "../../src/index/index.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PASSES = 3;

// V8's own comparison of two objects' hidden classes; only parsed with --allow-natives-syntax, so it
// is compiled from text rather than written in this TypeScript.
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;

/** The distinct hidden classes among the objects given to `add`. */
class Shapes {
  private readonly seen: object[] = [];

  add(value: object): void {
    if (!this.seen.some((known) => haveSameMap(known, value))) this.seen.push(value);
  }

  get count(): number {
    return this.seen.length;
  }
}

const set = await loadSquadEvalSet(path.join(ROOT, "tests/datasets/arcd/arcd-test.json"));
const index = await SanadIndex.build(set.articles, {
  provider: "hashing",
  dimensions: DEFAULT_HASHING_DIMENSIONS,
});
const answerer = createAnswerer(index);
const shapes = {
  terms: new Shapes(),
  alternatives: new Shapes(),
  hits: new Shapes(),
  sentences: new Shapes(),
};
for (let pass = 0; pass < PASSES; pass++) {
  for (const { question } of set.questions) {
    await answerer.answer(question);
    const ranking = await answerer.rank(question);
    if (pass === 0) continue;
    shapes.terms.add(ranking.terms);
    for (const term of ranking.terms) shapes.alternatives.add(term.alternatives);
    shapes.hits.add(ranking.hits);
    shapes.sentences.add(ranking.sentences);
  }
}
process.stdout.write(
  `${JSON.stringify(Object.fromEntries(Object.entries(shapes).map(([name, { count }]) => [name, count])))}\n`,
);
