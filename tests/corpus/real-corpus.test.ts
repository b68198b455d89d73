import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { loadCorpus } from "../../src/corpus/index.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CORPUS_DIR = resolve(REPO_ROOT, "corpus");
/** The article as published (TASS Arabic service), before it became a corpus file. */
const SEED_FILE = resolve(REPO_ROOT, "tests/fixtures/seed-article.txt");

const HEADINGS = ["الأجندة الثنائية", "قمة روسيا - آسيا الوسطى"];
/** The seed's last three lines: a stray related-link title, the photo credit and the source. */
const TRAILER_LINE_COUNT = 3;

describe("the real corpus folder", () => {
  it("loads the TASS article with its headings, trailer and every seed sentence", async () => {
    const { articles, problems } = await loadCorpus(CORPUS_DIR);
    expect(problems).toEqual([]);
    expect(articles).toHaveLength(1);
    const [article] = articles;
    expect(article?.meta.id).toBe("tass-2025-10-09-putin-dushanbe");
    expect(article?.meta.published).toBe("2025-10-09");

    const blocks = article?.blocks ?? [];
    const textsOf = (kind: string): string[] => blocks.filter((b) => b.kind === kind).map((b) => b.text);
    expect(textsOf("heading")).toEqual(HEADINGS);
    const trailer = textsOf("trailer");
    expect(trailer).toHaveLength(TRAILER_LINE_COUNT);
    expect(trailer.at(-1)).toBe("المصدر: تاس");

    const seedLines = (await readFile(SEED_FILE, "utf8")).split("\n").filter((line) => line.trim() !== "");
    const answerLines = seedLines.slice(0, -TRAILER_LINE_COUNT).filter((line) => !HEADINGS.includes(line));
    expect(trailer).toEqual(seedLines.slice(-TRAILER_LINE_COUNT));
    const paragraphs = textsOf("paragraph").join("\n");
    for (const line of answerLines) expect(paragraphs).toContain(line);
  });
});
