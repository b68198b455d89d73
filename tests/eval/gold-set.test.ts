import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadCorpus, type Article } from "../../src/corpus/index.js";
import { loadGoldEvalSet } from "../../src/eval/index.js";
import { sentencesOfArticle } from "../../src/index/index.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const GOLD_FILE = path.join(REPO_ROOT, "tests/gold/article-qa.json");
const DOC_ID = "tass-2025-10-09-putin-dushanbe";

interface GoldFile {
  doc: string;
  questions: { id: string; question: string; kind: string; gold: string[] }[];
}

let articles: readonly Article[];
let raw: GoldFile;
let dir: string;

beforeAll(async () => {
  ({ articles } = await loadCorpus(path.join(REPO_ROOT, "corpus")));
  raw = JSON.parse(await readFile(GOLD_FILE, "utf8")) as GoldFile;
  dir = await mkdtemp(path.join(tmpdir(), "sanad-gold-"));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a gold file to the temp folder and returns its path. */
async function goldFile(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

const oneQuestion = (id: string, gold: string[]) => ({
  doc: DOC_ID,
  questions: [{ id, question: "سؤال؟", kind: "direct", gold }],
});

describe("loadGoldEvalSet", () => {
  describe("on the real gold set", () => {
    it("resolves every question, in order, with its kind", async () => {
      const set = await loadGoldEvalSet(GOLD_FILE, articles);
      expect(set.name).toBe(GOLD_FILE);
      expect(set.skipped).toBe(0);
      expect(set.articles).toBe(articles);
      expect(set.questions.map(({ id, question, kind }) => ({ id, question, kind }))).toEqual(
        raw.questions.map(({ id, question, kind }) => ({ id, question, kind })),
      );
    });

    it("resolves every excerpt to the one sentence that holds it", async () => {
      const set = await loadGoldEvalSet(GOLD_FILE, articles);
      const article = articles.find(({ meta }) => meta.id === DOC_ID);
      expect(article).toBeDefined();
      const sentences = article ? sentencesOfArticle(article) : [];
      set.questions.forEach((question, i) => {
        const excerpts = raw.questions[i]?.gold ?? [];
        expect(question.gold).toHaveLength(excerpts.length);
        question.gold.forEach((gold, j) => {
          expect(gold.doc).toBe(DOC_ID);
          expect(sentences[gold.sentence]?.text).toContain(excerpts[j]);
        });
      });
    });

    it("keeps the unanswerable questions, with no gold", async () => {
      const set = await loadGoldEvalSet(GOLD_FILE, articles);
      const unanswerable = set.questions.filter(({ gold }) => gold.length === 0);
      expect(unanswerable.length).toBeGreaterThan(0);
      for (const question of unanswerable) expect(question.kind).toBe("unanswerable");
    });

    it("resolves a metadata excerpt to the trailer line", async () => {
      const set = await loadGoldEvalSet(GOLD_FILE, articles);
      const source = set.questions.find(({ question }) => question === "ما مصدر الخبر؟");
      const article = articles[0];
      const sentences = article ? sentencesOfArticle(article) : [];
      const gold = source?.gold[0];
      expect(gold && sentences[gold.sentence]).toMatchObject({ text: "المصدر: تاس", kind: "meta" });
    });
  });

  it("rejects an excerpt found in no sentence, naming the question", async () => {
    const file = await goldFile("absent.json", oneQuestion("q-absent", ["جملة لا يحويها الخبر"]));
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(/q-absent/);
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(/in 0 sentences/);
  });

  it("rejects an excerpt found in several sentences, naming the question", async () => {
    const file = await goldFile("ambiguous.json", oneQuestion("q-many", ["روسيا"]));
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(/q-many.*not 1/);
  });

  it("rejects a set about an article the corpus does not hold", async () => {
    const file = await goldFile("other-doc.json", { ...oneQuestion("q1", []), doc: "no-such-article" });
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(/no-such-article/);
  });

  it("rejects a file that is not a gold set, naming the file", async () => {
    const file = await goldFile("not-gold.json", { doc: DOC_ID, questions: [{ id: 1 }] });
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(file);
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(/not a gold set/);
  });

  it("rejects a file that is not JSON, naming the file", async () => {
    // BUG: JSON.parse's SyntaxError escapes as is, without the file's name.
    const file = await goldFile("broken.json", '{"doc": ');
    await expect(loadGoldEvalSet(file, articles)).rejects.toThrow(file);
  });
});
