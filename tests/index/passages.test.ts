import { describe, expect, it } from "vitest";

import type { SentenceKind, SentenceRecord } from "../../src/index/index.js";
import { groupPassages, MAX_PASSAGE_SENTENCES, passageText } from "../../src/index/passages.js";

/** Sentence records of one or more documents from [doc, block, kind] triples, numbered per document. */
function records(
  ...specs: [doc: string, block: number, kind?: SentenceKind, heading?: string][]
): SentenceRecord[] {
  const counters = new Map<string, number>();
  return specs.map(([doc, block, kind = "body", heading]) => {
    const index = counters.get(doc) ?? 0;
    counters.set(doc, index + 1);
    return {
      id: `${doc}#${index}`,
      doc,
      index,
      text: `جملة ${index} من ${doc}.`,
      kind,
      block,
      ...(heading ? { heading } : {}),
    };
  });
}

/** A paragraph of n body sentences in block 0 of document "d". */
const paragraph = (n: number): SentenceRecord[] =>
  records(...Array.from({ length: n }, (): ["d", number] => ["d", 0]));

describe("groupPassages", () => {
  it("makes one passage per paragraph, with ids `${doc}@${first index}`", () => {
    const passages = groupPassages(records(["d", 0], ["d", 0], ["d", 1], ["d", 2], ["d", 2], ["d", 2]));
    expect(passages).toEqual([
      { id: "d@0", doc: "d", sentences: [0, 1] },
      { id: "d@2", doc: "d", sentences: [2] },
      { id: "d@3", doc: "d", sentences: [3, 4, 5] },
    ]);
  });

  it("puts each metadata line in a passage of its own", () => {
    const passages = groupPassages(
      records(["d", 0], ["d", 0], ["d", 1, "meta"], ["d", 2, "meta"], ["d", 2, "meta"]),
    );
    expect(passages.map((passage) => passage.sentences)).toEqual([[0, 1], [2], [3], [4]]);
  });

  it("never joins sentences of different documents", () => {
    const passages = groupPassages(records(["a", 0], ["a", 0], ["b", 0], ["b", 0]));
    expect(passages).toEqual([
      { id: "a@0", doc: "a", sentences: [0, 1] },
      { id: "b@0", doc: "b", sentences: [2, 3] },
    ]);
  });

  it("indexes sentences by their position in the whole list", () => {
    const passages = groupPassages(records(["a", 0], ["b", 0], ["b", 1]));
    expect(passages.map((passage) => [passage.id, passage.sentences])).toEqual([
      ["a@0", [0]],
      ["b@0", [1]],
      ["b@1", [2]],
    ]);
  });

  it("keeps a paragraph of exactly the maximum in one passage", () => {
    expect(MAX_PASSAGE_SENTENCES).toBe(10);
    expect(groupPassages(paragraph(10)).map((passage) => passage.sentences.length)).toEqual([10]);
  });

  it.each<[number, number[]]>([
    [11, [6, 5]],
    [12, [6, 6]],
    [20, [10, 10]],
    [21, [7, 7, 7]],
  ])("splits a paragraph of %i sentences evenly into %j", (count, sizes) => {
    const passages = groupPassages(paragraph(count));
    expect(passages.map((passage) => passage.sentences.length)).toEqual(sizes);
    expect(passages.flatMap((passage) => passage.sentences)).toEqual(
      Array.from({ length: count }, (_, i) => i),
    );
    expect(passages.map((passage) => passage.id)).toEqual(
      passages.map((passage) => `d@${passage.sentences[0] ?? -1}`),
    );
  });

  // "Split evenly": as few parts as the maximum allows, whose sizes differ by at most one sentence.
  it("splits every long paragraph (7 to 40 sentences) into the fewest parts, differing by at most one", () => {
    const uneven: Record<number, number[]> = {};
    for (let count = MAX_PASSAGE_SENTENCES + 1; count <= 40; count++) {
      const sizes = groupPassages(paragraph(count)).map((passage) => passage.sentences.length);
      const fewest = Math.ceil(count / MAX_PASSAGE_SENTENCES);
      if (sizes.length !== fewest || Math.max(...sizes) - Math.min(...sizes) > 1) uneven[count] = sizes;
      expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_PASSAGE_SENTENCES);
    }
    expect(uneven).toEqual({});
  });

  it("returns nothing for no sentences", () => {
    expect(groupPassages([])).toEqual([]);
  });
});

describe("passageText", () => {
  it("starts with the title and the heading, then the sentences one per line", () => {
    const sentences = records(["d", 0, "body", "الأجندة الثنائية"], ["d", 0, "body", "الأجندة الثنائية"]);
    expect(passageText("بوتين في دوشنبه", sentences)).toBe(
      ["بوتين في دوشنبه", "الأجندة الثنائية", "جملة 0 من d.", "جملة 1 من d."].join("\n"),
    );
  });

  it("leaves out a missing heading or title", () => {
    const sentences = records(["d", 0]);
    expect(passageText("العنوان", sentences)).toBe("العنوان\nجملة 0 من d.");
    expect(passageText("", sentences)).toBe("جملة 0 من d.");
  });

  it("is just the title for no sentences", () => {
    expect(passageText("العنوان", [])).toBe("العنوان");
  });
});
