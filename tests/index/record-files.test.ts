import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { parseArticle } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import type { PassageRecord } from "../../src/index/passages.js";
import { decodeRecords, encodeRecords } from "../../src/index/record-files.js";
import type { DocumentRecord, SentenceRecord } from "../../src/index/records.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function documentOf(id: string, sentenceCount: number): DocumentRecord {
  return { id, title: id, language: "ar", contentHash: "0".repeat(64), sentenceCount };
}

function sentenceOf(doc: string, index: number, text: string, heading?: string): SentenceRecord {
  return {
    id: `${doc}#${index}`,
    doc,
    index,
    text,
    kind: "body",
    block: index,
    ...(heading ? { heading } : {}),
  };
}

describe("records.bin", () => {
  it("gives back the records of an index exactly: texts, kinds, blocks, headings, passages, labels", async () => {
    const file = path.join(REPO_ROOT, "corpus/tass-2025-10-09-putin-dushanbe.md");
    const article = parseArticle(file, await readFile(file, "utf8"));
    const index = await SanadIndex.build([article], { provider: "hashing", dimensions: 256 });
    const { documents, sentences, passages } = index;
    expect(sentences.some((sentence) => sentence.kind === "meta")).toBe(true);
    expect(sentences.some((sentence) => sentence.heading !== undefined)).toBe(true);
    const bytes = encodeRecords(documents, { sentences, passages });
    expect(decodeRecords(bytes, documents)).toEqual({ sentences, passages });
    // Read from an offset that is not a multiple of four, as a Buffer from Node's pool can be.
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(decodeRecords(shifted, documents)).toEqual({ sentences, passages });
  });

  it("keeps any UTF-16 text, across the chunks it is decoded in", () => {
    const long = "ب".repeat(700_000);
    const odd = "\uD83D\uDE00 وحيد \uD800 آخر";
    const documents = [documentOf("a", 3), documentOf("b", 1), documentOf("empty", 0)];
    const sentences = [
      sentenceOf("a", 0, long, "عنوان"),
      sentenceOf("a", 1, odd, "عنوان"),
      sentenceOf("a", 2, ""),
      sentenceOf("b", 0, long, "آخر"),
    ];
    const passages: PassageRecord[] = [
      { id: "a@0", doc: "a", sentences: [0, 1, 2], label: 7 },
      { id: "b@0", doc: "b", sentences: [3], label: 2 },
    ];
    const decoded = decodeRecords(encodeRecords(documents, { sentences, passages }), documents);
    expect(decoded).toEqual({ sentences, passages });
  });

  it("refuses to write records it could not give back from their places", () => {
    const documents = [documentOf("a", 1)];
    const sentences = [sentenceOf("a", 0, "نص")];
    const passages = [{ id: "other@0", doc: "a", sentences: [0], label: 0 }];
    expect(() => encodeRecords(documents, { sentences, passages })).toThrow(/passage 0/);
    expect(() => encodeRecords([documentOf("a", 2)], { sentences, passages: [] })).toThrow(
      /sentence 1 is not sentence 1 of a/,
    );
  });

  it("refuses a file that is not one, or does not fit its documents", () => {
    const documents = [documentOf("a", 1)];
    const bytes = encodeRecords(documents, { sentences: [sentenceOf("a", 0, "نص")], passages: [] });
    expect(() => decodeRecords(Buffer.from("not records at all!!!!!!!!!!!!!!!!!"), documents)).toThrow(
      /not a records file/,
    );
    expect(() => decodeRecords(bytes.subarray(0, bytes.length - 2), documents)).toThrow(/its header says/);
    expect(() => decodeRecords(bytes, [documentOf("a", 2)])).toThrow(/its documents have more/);
  });
});
