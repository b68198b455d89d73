import { describe, expect, it } from "vitest";

import { parseArticle } from "../../src/corpus/index.js";
import { corpusFingerprint, MANIFEST_FILE } from "../../src/index/index.js";
import { INDEX_FORMAT_VERSION, parseManifest, type IndexManifest } from "../../src/index/manifest.js";

const markdown = (id: string, body: string): string => `---\nid: ${id}\ntitle: خبر ${id}\n---\n\n${body}\n`;

const first = parseArticle("corpus/a.md", markdown("a", "وصل الرئيس إلى دوشنبه."));
const second = parseArticle("corpus/b.md", markdown("b", "تعد روسيا الشريك التجاري الرئيسي."));

describe("corpusFingerprint", () => {
  it("is a SHA-256 hex digest and deterministic", () => {
    const fingerprint = corpusFingerprint([first, second]);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(corpusFingerprint([first, second])).toBe(fingerprint);
  });

  it("does not change when the articles come in another order", () => {
    expect(corpusFingerprint([second, first])).toBe(corpusFingerprint([first, second]));
  });

  it("changes when an article's content changes", () => {
    const edited = parseArticle("corpus/b.md", markdown("b", "تعد روسيا الشريك التجاري الأول."));
    expect(corpusFingerprint([first, edited])).not.toBe(corpusFingerprint([first, second]));
  });

  it("changes when an article is added or removed", () => {
    const both = corpusFingerprint([first, second]);
    expect(corpusFingerprint([first])).not.toBe(both);
    const third = parseArticle("corpus/c.md", markdown("c", "نص ثالث."));
    expect(corpusFingerprint([first, second, third])).not.toBe(both);
  });

  it("does not change when a file is moved or renamed but keeps its id and bytes", () => {
    const moved = parseArticle("elsewhere/renamed.md", markdown("b", "تعد روسيا الشريك التجاري الرئيسي."));
    expect(corpusFingerprint([first, moved])).toBe(corpusFingerprint([first, second]));
  });

  it("changes when the same content is filed under another id", () => {
    const renamedId = { ...second, meta: { ...second.meta, id: "b2" } };
    expect(corpusFingerprint([first, renamedId])).not.toBe(corpusFingerprint([first, second]));
  });

  it("has a value for an empty corpus that no corpus with articles shares", () => {
    expect(corpusFingerprint([])).toMatch(/^[0-9a-f]{64}$/);
    expect(corpusFingerprint([])).not.toBe(corpusFingerprint([first]));
  });
});

describe("parseManifest", () => {
  const manifest: IndexManifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embeddings: { provider: "hashing", model: "char-3-5-gram-hashing-v2", dimensions: 256 },
    corpusHash: "f".repeat(64),
    builtAt: "2025-10-09T12:00:00.000Z",
    counts: { documents: 1, sentences: 32, passages: 18 },
  };

  it("reads back what was written", () => {
    expect(MANIFEST_FILE).toBe("manifest.json");
    expect(parseManifest(JSON.stringify(manifest, null, 2))).toEqual(manifest);
  });

  it.each<[string, string]>([
    ["not JSON", "{not json"],
    ["an empty file", ""],
    ["a JSON array", "[]"],
    ["no counts", JSON.stringify({ ...manifest, counts: undefined })],
    [
      "an unknown provider",
      JSON.stringify({ ...manifest, embeddings: { ...manifest.embeddings, provider: "x" } }),
    ],
    [
      "zero dimensions",
      JSON.stringify({ ...manifest, embeddings: { ...manifest.embeddings, dimensions: 0 } }),
    ],
    ["negative counts", JSON.stringify({ ...manifest, counts: { ...manifest.counts, passages: -1 } })],
    ["a string version", JSON.stringify({ ...manifest, formatVersion: "1" })],
  ])("rejects %s", (_name, text) => {
    expect(() => parseManifest(text)).toThrow();
  });
});
