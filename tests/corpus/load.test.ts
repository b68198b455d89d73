import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CorpusDirectoryError, loadCorpus } from "../../src/corpus/index.js";
import type { Corpus } from "../../src/corpus/index.js";
import { errorOf } from "../support/errors.js";

const LONG_LINE = "يواصل الرئيس الروسي برنامجه في دوشنبه عقب وصوله إلى العاصمة الطاجيكستانية ويلتقي نظيره.";
const GOOD_MD = "---\nid: good-md\ntitle: خبر جيد\npublished: 2025-10-09\n---\n\n## عنوان\n\nنص المقال.\n";
const GOOD_TXT = `الأجندة الثنائية\n${LONG_LINE}\nالمصدر: تاس\n`;

/** Files of the mixed folder: good ones, bad ones, and ones the loader must skip. */
const FILES: Record<string, string | Uint8Array> = {
  "a-good.md": GOOD_MD,
  "b-good.txt": GOOD_TXT,
  "c-empty.md": "  \n\n",
  "d-broken.md": "---\nid: d\ntitle: [oops\n---\n\nنص.\n",
  "e-latin1.txt": Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
  "f-duplicate.md": GOOD_MD,
  "notes.json": '{"id": "x"}',
  ".hidden.md": GOOD_MD,
};

let root: string;
let corpus: Corpus;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sanad-corpus-"));
  const mixed = join(root, "mixed");
  await mkdir(join(mixed, "nested"), { recursive: true });
  await writeFile(join(mixed, "nested", "deep.md"), GOOD_MD);
  await Promise.all(Object.entries(FILES).map(([name, data]) => writeFile(join(mixed, name), data)));
  corpus = await loadCorpus(mixed);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("loadCorpus on a mixed folder", () => {
  it("loads the good files in file-name order", () => {
    expect(corpus.articles.map((article) => article.meta.id)).toEqual(["good-md", "b-good"]);
    expect(corpus.articles.map((article) => article.path)).toEqual([
      join(root, "mixed", "a-good.md"),
      join(root, "mixed", "b-good.txt"),
    ]);
  });

  it("parses Markdown with front matter", () => {
    const article = corpus.articles[0];
    expect(article?.meta).toEqual({
      id: "good-md",
      title: "خبر جيد",
      published: "2025-10-09",
      language: "ar",
    });
    expect(article?.blocks).toEqual([
      { kind: "heading", text: "عنوان" },
      { kind: "paragraph", text: "نص المقال." },
    ]);
    expect(article?.contentHash).toBe(createHash("sha256").update(GOOD_MD).digest("hex"));
  });

  it("derives id and title for plain text", () => {
    const article = corpus.articles[1];
    expect(article?.meta).toEqual({ id: "b-good", title: LONG_LINE, language: "ar" });
    expect(article?.blocks.map((block) => block.kind)).toEqual(["heading", "paragraph", "trailer"]);
  });

  it.each<{ file: string; reason: RegExp }>([
    { file: "c-empty.md", reason: /^file is empty$/ },
    { file: "d-broken.md", reason: /^invalid YAML in the front matter at line 3: / },
    { file: "e-latin1.txt", reason: /^not valid UTF-8 text/ },
    { file: "f-duplicate.md", reason: /^duplicate id "good-md": .*a-good\.md already has it/ },
  ])("reports $file with its path and a reason", ({ file, reason }) => {
    const problem = corpus.problems.find((candidate) => candidate.path === join(root, "mixed", file));
    expect(problem?.reason).toMatch(reason);
  });

  it("reports nothing else and ignores other extensions, hidden files and subfolders", () => {
    expect(corpus.problems).toHaveLength(4);
    const seen = [...corpus.articles, ...corpus.problems].map((item) => item.path);
    expect(seen.some((path) => /notes\.json|\.hidden|nested/.test(path))).toBe(false);
  });
});

describe("loadCorpus with known articles (an index's documents)", () => {
  const hashOf = (text: string): string => createHash("sha256").update(text).digest("hex");
  const plain = (articles: Corpus["articles"]): unknown[] =>
    articles.map(({ meta, path, blocks, contentHash }) => ({ meta, path, blocks, contentHash }));

  it("gives the same articles and problems, parsing only files whose bytes it does not know", async () => {
    const known = new Map(corpus.articles.map((article) => [article.contentHash, [article.meta]]));
    const again = await loadCorpus(join(root, "mixed"), { known });
    expect(plain(again.articles)).toEqual(plain(corpus.articles));
    expect(again.problems).toEqual(corpus.problems);
  });

  it("takes a known article's metadata for its bytes, and the name's id for a file without front matter", async () => {
    const dir = join(root, "known");
    await mkdir(dir);
    await writeFile(join(dir, "a.md"), GOOD_MD);
    await writeFile(join(dir, "b-good.txt"), GOOD_TXT);
    await writeFile(join(dir, "renamed.txt"), GOOD_TXT);
    const told = { id: "good-md", title: "من الفهرس", language: "ar" };
    const known = new Map([
      [hashOf(GOOD_MD), [told]],
      [hashOf(GOOD_TXT), [{ id: "b-good", title: "عنوان الفهرس", language: "ar" }]],
    ]);
    const loaded = await loadCorpus(dir, { known });
    // Known bytes: the metadata given, not parsed; the same bytes under another name: parsed.
    expect(loaded.articles.map((article) => article.meta)).toEqual([
      told,
      { id: "b-good", title: "عنوان الفهرس", language: "ar" },
      { id: "renamed", title: LONG_LINE, language: "ar" },
    ]);
    // A known article's blocks are parsed when asked for.
    expect(loaded.articles[0]?.blocks).toEqual(corpus.articles[0]?.blocks);
  });
});

describe("loadCorpus edge cases", () => {
  it("derives a long plain-text title cut at a word boundary", async () => {
    const dir = join(root, "long-title");
    await mkdir(dir);
    await writeFile(join(dir, "long.txt"), `${LONG_LINE} ${LONG_LINE}\n`);
    const { articles } = await loadCorpus(dir);
    const title = articles[0]?.meta.title ?? "";
    expect(title.endsWith("…")).toBe(true);
    expect(title.length).toBeLessThanOrEqual(101);
    expect(`${LONG_LINE} ${LONG_LINE}`.startsWith(title.slice(0, -1))).toBe(true);
    expect(`${LONG_LINE} ${LONG_LINE}`.charAt(title.length - 1)).toBe(" ");
  });

  it("hashes the file bytes, BOM included", async () => {
    const dir = join(root, "bom");
    await mkdir(dir);
    const bytes = Buffer.from(`\uFEFF${GOOD_TXT}`, "utf8");
    await writeFile(join(dir, "bom.txt"), bytes);
    const { articles } = await loadCorpus(dir);
    expect(articles[0]?.contentHash).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(articles[0]?.blocks[0]).toEqual({ kind: "heading", text: "الأجندة الثنائية" });
  });

  it("returns an empty corpus for an empty folder", async () => {
    const dir = join(root, "empty");
    await mkdir(dir);
    await expect(loadCorpus(dir)).resolves.toEqual({ articles: [], problems: [] });
  });

  it("throws CorpusDirectoryError for a missing folder, with the hint", async () => {
    const missing = join(root, "does-not-exist");
    const { message } = await errorOf(() => loadCorpus(missing), CorpusDirectoryError);
    expect(message).toMatch(/does not exist.*--corpus DIR.*CORPUS_DIR/);
    expect(message).toContain(missing);
  });

  it("throws CorpusDirectoryError when the path is a file", async () => {
    const file = join(root, "mixed", "a-good.md");
    await expect(loadCorpus(file)).rejects.toThrow(/is not a folder/);
  });
});
