import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadSquadEvalSet, type EvalSet } from "../../src/eval/index.js";
import { sentencesOfArticle } from "../../src/index/index.js";

const FIRST = "ولد الكاتب في القاهرة عام 1950. درس الأدب في جامعة القاهرة. ثم سافر إلى باريس ليكمل دراسته.";
const SECOND = "تقع المكتبة في وسط المدينة. تفتح أبوابها صباحاً. وتغلق في المساء.";

/** A small SQuAD v1.1 file: two paragraphs, the first repeated under another page. */
const SQUAD = {
  version: "1.1",
  data: [
    {
      title: "الكاتب",
      paragraphs: [
        {
          context: FIRST,
          qas: [
            {
              id: "born",
              question: "أين ولد الكاتب؟",
              answers: [{ text: "القاهرة", answer_start: FIRST.indexOf("القاهرة") }],
            },
            {
              id: "studied",
              question: " - ماذا درس الكاتب؟",
              // The offset is wrong: the answer is found by its text.
              answers: [{ text: "الأدب", answer_start: 0 }],
            },
            {
              id: "spanning",
              question: "أين درس ثم إلى أين سافر؟",
              answers: [{ text: "جامعة القاهرة. ثم سافر", answer_start: FIRST.indexOf("جامعة القاهرة") }],
            },
            {
              id: "lost",
              question: "أين مات الكاتب؟",
              answers: [{ text: "لندن", answer_start: 10 }],
            },
            {
              id: 7,
              question: "- متى ولد الكاتب؟",
              answers: [
                { text: "1950", answer_start: FIRST.indexOf("1950") },
                { text: "باريس", answer_start: FIRST.indexOf("باريس") },
              ],
            },
            {
              id: "empty",
              question: "سؤال بلا إجابة مكتوبة",
              answers: [{ text: "", answer_start: 0 }],
            },
            { id: "none", question: "سؤال بلا إجابات", answers: [] },
          ],
        },
        {
          context: SECOND,
          qas: [
            {
              id: "library",
              question: "أين تقع المكتبة؟",
              answers: [{ text: "وسط المدينة", answer_start: SECOND.indexOf("وسط المدينة") }],
            },
            {
              id: "closes",
              question: "متى تغلق المكتبة؟",
              answers: [{ text: "المساء", answer_start: 999 }],
            },
          ],
        },
      ],
    },
    {
      title: "صفحة مكررة",
      paragraphs: [
        {
          context: FIRST,
          qas: [
            {
              id: "again",
              question: "إلى أين سافر الكاتب؟",
              answers: [{ text: "باريس", answer_start: FIRST.indexOf("باريس") }],
            },
          ],
        },
      ],
    },
  ],
};

let dir: string;
let file: string;
let set: EvalSet;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sanad-squad-"));
  file = path.join(dir, "small-squad.json");
  await writeFile(file, JSON.stringify(SQUAD));
  set = await loadSquadEvalSet(file);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const question = (id: string) => set.questions.find((q) => q.id === id);

describe("loadSquadEvalSet", () => {
  it("names the set after its file", () => {
    expect(set.name).toBe(file);
  });

  it("makes one article per distinct paragraph, titled with its page's title", () => {
    expect(set.articles).toEqual([
      {
        meta: { id: "p0", title: "الكاتب", language: "ar" },
        path: file,
        blocks: [{ kind: "paragraph", text: FIRST }],
        contentHash: "",
      },
      {
        meta: { id: "p1", title: "الكاتب", language: "ar" },
        path: file,
        blocks: [{ kind: "paragraph", text: SECOND }],
        contentHash: "",
      },
    ]);
  });

  it("splits the paragraphs into the sentences the gold numbers refer to", () => {
    const [first, second] = set.articles;
    expect(first && sentencesOfArticle(first).map(({ text }) => text)).toEqual([
      "ولد الكاتب في القاهرة عام 1950.",
      "درس الأدب في جامعة القاهرة.",
      "ثم سافر إلى باريس ليكمل دراسته.",
    ]);
    expect(second && sentencesOfArticle(second)).toHaveLength(3);
  });

  it("keeps every question whose answer is found, in file order, and counts the others as skipped", () => {
    expect(set.questions.map(({ id }) => id)).toEqual([
      "born",
      "studied",
      "spanning",
      "7",
      "library",
      "closes",
      "again",
    ]);
    expect(set.skipped).toBe(3);
  });

  it.each<[string, string, number[]]>([
    ["born", "p0", [0]],
    ["library", "p1", [0]],
  ])("puts the gold of %s on the sentence that holds its answer", (id, doc, sentences) => {
    expect(question(id)?.gold).toEqual(sentences.map((sentence) => ({ doc, sentence })));
  });

  it("finds an answer by its text when its offset is wrong", () => {
    expect(question("studied")?.gold).toEqual([{ doc: "p0", sentence: 1 }]);
    expect(question("closes")?.gold).toEqual([{ doc: "p1", sentence: 2 }]);
  });

  it("makes both sentences gold when the answer spans two", () => {
    expect(question("spanning")?.gold).toEqual([
      { doc: "p0", sentence: 1 },
      { doc: "p0", sentence: 2 },
    ]);
  });

  it("makes the sentence of each answer gold when a question has several", () => {
    expect(question("7")?.gold).toEqual([
      { doc: "p0", sentence: 0 },
      { doc: "p0", sentence: 2 },
    ]);
  });

  it("gives a repeated paragraph's questions the first copy's article", () => {
    expect(question("again")?.gold).toEqual([{ doc: "p0", sentence: 2 }]);
  });

  it("strips a leading list dash from a question", () => {
    expect(question("studied")?.question).toBe("ماذا درس الكاتب؟");
    expect(question("7")?.question).toBe("متى ولد الكاتب؟");
    expect(question("born")?.question).toBe("أين ولد الكاتب؟");
  });

  it("reads numeric ids as strings and records no kind", () => {
    expect(question("7")?.id).toBe("7");
    for (const q of set.questions) expect(q.kind).toBeUndefined();
  });

  it("rejects a file that is not SQuAD v1.1, naming the file", async () => {
    const bad = path.join(dir, "not-squad.json");
    await writeFile(bad, JSON.stringify({ data: [{ title: "x", paragraphs: [{ context: 3 }] }] }));
    await expect(loadSquadEvalSet(bad)).rejects.toThrow(bad);
    await expect(loadSquadEvalSet(bad)).rejects.toThrow(/not a SQuAD v1\.1 file/);
  });

  it("rejects a file that is not JSON, naming the file", async () => {
    // BUG: JSON.parse's SyntaxError escapes as is, without the file's name.
    const bad = path.join(dir, "broken.json");
    await writeFile(bad, "{not json");
    await expect(loadSquadEvalSet(bad)).rejects.toThrow(bad);
  });

  it("rejects a missing file, naming it", async () => {
    const missing = path.join(dir, "missing.json");
    await expect(loadSquadEvalSet(missing)).rejects.toThrow(missing);
  });
});
