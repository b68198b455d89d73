import { describe, expect, it } from "vitest";

import type { Article } from "../../src/corpus/index.js";
import { parseArticle } from "../../src/corpus/index.js";
import { documentOfArticle, sentencesOfArticle } from "../../src/index/records.js";
import type { SentenceRecord } from "../../src/index/index.js";

const DOC = "tass-test-visit";

/** A small article: a heading, two paragraphs (the first of two sentences), and two trailer lines. */
const ARTICLE: Article = {
  meta: {
    id: DOC,
    title: "بوتين في دوشنبه",
    source: "تاس (TASS)",
    published: "2025-10-09",
    language: "ar",
    url: "https://tass.ru/example",
  },
  path: "corpus/tass-test-visit.md",
  contentHash: "0".repeat(64),
  blocks: [
    { kind: "heading", text: "الأجندة الثنائية" },
    { kind: "paragraph", text: "وصل الرئيس إلى دوشنبه مساء الأربعاء. والتقى نظيره في القصر." },
    { kind: "paragraph", text: "تعد روسيا الشريك التجاري الرئيسي لطاجيكستان." },
    { kind: "trailer", text: "الصورة: الموقع الرسمي لرئيس روسيا" },
    { kind: "trailer", text: "المصدر: تاس" },
  ],
};

/** The same article with other blocks. */
function withBlocks(blocks: Article["blocks"], meta: Partial<Article["meta"]> = {}): Article {
  return { ...ARTICLE, meta: { ...ARTICLE.meta, ...meta }, blocks };
}

describe("sentencesOfArticle", () => {
  const sentences = sentencesOfArticle(ARTICLE);

  it("lists the body sentences first, in reading order, then the metadata", () => {
    expect(sentences.map(({ text, kind }) => [kind, text])).toEqual([
      ["body", "وصل الرئيس إلى دوشنبه مساء الأربعاء."],
      ["body", "والتقى نظيره في القصر."],
      ["body", "تعد روسيا الشريك التجاري الرئيسي لطاجيكستان."],
      ["meta", "الصورة: الموقع الرسمي لرئيس روسيا"],
      ["meta", "المصدر: تاس"],
      ["meta", "تاريخ النشر: 2025-10-09"],
    ]);
  });

  it("numbers sentences from 0 with ids `${doc}#${index}`", () => {
    sentences.forEach((sentence, i) => {
      expect(sentence.index).toBe(i);
      expect(sentence.doc).toBe(DOC);
      expect(sentence.id).toBe(`${DOC}#${i}`);
    });
  });

  it("attaches the heading above to body sentences only", () => {
    for (const sentence of sentences) {
      if (sentence.kind === "body") expect(sentence.heading).toBe("الأجندة الثنائية");
      else expect(sentence).not.toHaveProperty("heading");
    }
  });

  it("records the block each sentence comes from", () => {
    expect(sentences.map((sentence) => sentence.block)).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it("does not add an «المصدر» line when a trailer line already states the source", () => {
    expect(sentences.filter((sentence) => sentence.text.startsWith("المصدر"))).toHaveLength(1);
    expect(sentences.map((sentence) => sentence.text)).not.toContain("المصدر: تاس (TASS)");
  });

  it("synthesizes «المصدر» and «تاريخ النشر» lines from front matter when no trailer states them", () => {
    const bare = sentencesOfArticle(withBlocks(ARTICLE.blocks.slice(0, 3)));
    expect(bare.filter((sentence) => sentence.kind === "meta")).toEqual<SentenceRecord[]>([
      { id: `${DOC}#3`, doc: DOC, index: 3, text: "المصدر: تاس (TASS)", kind: "meta", block: 3 },
      { id: `${DOC}#4`, doc: DOC, index: 4, text: "تاريخ النشر: 2025-10-09", kind: "meta", block: 3 },
    ]);
  });

  it("does not synthesize a date line when a trailer line states the date", () => {
    const dated = sentencesOfArticle(
      withBlocks([...ARTICLE.blocks, { kind: "trailer", text: "تاريخ النشر: 9 أكتوبر 2025" }]),
    );
    expect(dated.filter((sentence) => sentence.text.startsWith("تاريخ النشر"))).toHaveLength(1);
  });

  it("synthesizes nothing for front-matter fields that are absent", () => {
    const plain = sentencesOfArticle(
      withBlocks(ARTICLE.blocks.slice(0, 3), { source: undefined, published: undefined }),
    );
    expect(plain.every((sentence) => sentence.kind === "body")).toBe(true);
  });

  it("gives paragraphs before any heading no heading, and follows heading changes", () => {
    const records = sentencesOfArticle(
      withBlocks([
        { kind: "paragraph", text: "مقدمة الخبر." },
        { kind: "heading", text: "القسم الأول" },
        { kind: "paragraph", text: "نص القسم الأول." },
        { kind: "paragraph", text: "نص آخر في القسم الأول." },
        { kind: "heading", text: "القسم الثاني" },
        { kind: "paragraph", text: "نص القسم الثاني." },
      ]),
    );
    const body = records.filter((sentence) => sentence.kind === "body");
    expect(body.map((sentence) => sentence.heading)).toEqual([
      undefined,
      "القسم الأول",
      "القسم الأول",
      "القسم الثاني",
    ]);
    expect(body[0]).not.toHaveProperty("heading");
  });

  it("never turns a heading into a sentence, and skips blank trailer lines", () => {
    const records = sentencesOfArticle(withBlocks([...ARTICLE.blocks, { kind: "trailer", text: "   " }]));
    expect(records.map((sentence) => sentence.text)).not.toContain("الأجندة الثنائية");
    expect(records).toHaveLength(sentences.length);
  });

  it("keeps the exact text of each sentence, trailer lines trimmed", () => {
    const records = sentencesOfArticle(
      withBlocks([
        { kind: "paragraph", text: "استحوذت روسيا على 22.6% من التجارة." },
        { kind: "trailer", text: "  الصورة: تاس  " },
      ]),
    );
    expect(records.map((sentence) => sentence.text)).toContain("استحوذت روسيا على 22.6% من التجارة.");
    expect(records.map((sentence) => sentence.text)).toContain("الصورة: تاس");
  });

  it("works on an article parsed from Markdown", () => {
    const parsed = parseArticle(
      "corpus/x.md",
      "---\nid: x\ntitle: خبر\nsource: تاس\n---\n\n## عنوان\n\nجملة أولى. جملة ثانية.\n\n---\n\nالمصدر: تاس\n",
    );
    expect(
      sentencesOfArticle(parsed).map(({ id, kind, text, heading }) => ({ id, kind, text, heading })),
    ).toEqual([
      { id: "x#0", kind: "body", text: "جملة أولى.", heading: "عنوان" },
      { id: "x#1", kind: "body", text: "جملة ثانية.", heading: "عنوان" },
      { id: "x#2", kind: "meta", text: "المصدر: تاس", heading: undefined },
    ]);
  });
});

describe("documentOfArticle", () => {
  it("keeps the article-level fields and the sentence count", () => {
    expect(documentOfArticle(ARTICLE, 6)).toEqual({
      id: DOC,
      title: "بوتين في دوشنبه",
      source: "تاس (TASS)",
      published: "2025-10-09",
      language: "ar",
      url: "https://tass.ru/example",
      contentHash: "0".repeat(64),
      sentenceCount: 6,
    });
  });

  it("leaves out optional fields the article does not have", () => {
    const document = documentOfArticle(
      withBlocks(ARTICLE.blocks, { source: undefined, published: undefined, url: undefined }),
      3,
    );
    expect(Object.keys(document).sort()).toEqual(["contentHash", "id", "language", "sentenceCount", "title"]);
  });
});
