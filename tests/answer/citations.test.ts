import { describe, expect, it } from "vitest";

import {
  checkCitations,
  describeProblems,
  parseCitationMarkers,
  type CitationProblem,
  type NumberedSentence,
} from "../../src/answer/citations.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { articleRecord, evidenceSentence } from "./fixtures.js";

const DOC = "tass-test";
const ARTICLE = articleRecord({ id: DOC, title: "بوتين في دوشنبه", source: "تاس", published: "2025-10-09" });
const SEATS = "وقد خصصت روسيا 1000 مقعد للمنح الدراسية الممولة من الدولة.";
const TRADE = "في العام الماضي، استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان.";
const STUDENTS = "ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
const TRADE_ARABIC_DIGITS = "استحوذت روسيا على ٢٢٫٦٪ من التجارة الخارجية لطاجيكستان.";

/** The context as the model saw it: [1] seats (sentence 16), [2] trade (10), [3] students (15). */
const CONTEXT: readonly NumberedSentence[] = [
  { n: 1, sentence: evidenceSentence({ doc: DOC, index: 16, text: SEATS }), article: ARTICLE },
  { n: 2, sentence: evidenceSentence({ doc: DOC, index: 10, text: TRADE }), article: ARTICLE },
  { n: 3, sentence: evidenceSentence({ doc: DOC, index: 15, text: STUDENTS }), article: ARTICLE },
];

const check = (raw: string, context: readonly NumberedSentence[] = CONTEXT) =>
  checkCitations(raw, context, MESSAGES.refusal);

describe("parseCitationMarkers", () => {
  it.each<[string, string, number[][]]>([
    ["ASCII digits", "نص [1]", [[1]]],
    ["Arabic-Indic digits", "نص [١]", [[1]]],
    ["Arabic comma", "نص [1، 2]", [[1, 2]]],
    ["Latin comma without space", "نص [1,2]", [[1, 2]]],
    ["spaces inside the brackets", "نص [ 3 ]", [[3]]],
    ["Persian digits", "نص [۳]", [[3]]],
    ["several Arabic-Indic digits", "نص [١٢]", [[12]]],
    ["mixed scripts and separators", "نص [1 ، ٢ ,۳]", [[1, 2, 3]]],
    ["several markers", "أ [2] ب [1، 3]", [[2], [1, 3]]],
    ["no marker", "نص بلا أرقام 22.6%", []],
    ["letters are no marker", "نص [أ] و[a]", []],
    ["empty brackets are no marker", "نص []", []],
    ["a range is no marker", "نص [1-2]", []],
  ])("%s: %s", (_label, text, expected) => {
    expect(parseCitationMarkers(text).map(({ numbers }) => numbers)).toEqual(expected);
  });

  it("gives each marker's exact place in the text", () => {
    const text = "نص [12] ثم [ ١، 2 ]";
    const markers = parseCitationMarkers(text);
    expect(markers.map(({ start, end }) => text.slice(start, end))).toEqual(["[12]", "[ ١، 2 ]"]);
    expect(markers[0]).toEqual({ start: 3, end: 7, numbers: [12] });
  });
});

describe("checkCitations", () => {
  it("renumbers markers in order of first use and gives the cited sentences in that order", () => {
    const result = check("يلتحق أكثر من 35 ألف طالب بالمؤسسات الروسية [3]، وخصصت روسيا 1000 مقعد [1].");
    expect(result).toEqual({
      refused: false,
      problems: [],
      dropped: [],
      answer: {
        text: "يلتحق أكثر من 35 ألف طالب بالمؤسسات الروسية [1]، وخصصت روسيا 1000 مقعد [2].",
        citations: [
          { n: 1, doc: DOC, sentence: 15, text: STUDENTS, article: ARTICLE },
          { n: 2, doc: DOC, sentence: 16, text: SEATS, article: ARTICLE },
        ],
      },
    });
  });

  it.each<[string, string, string, number[]]>([
    ["a repeated marker keeps one number", "أ 35 [3]، ب 35 [3].", "أ 35 [1]، ب 35 [1].", [15]],
    ["a combined marker", "35 ألف و1000 مقعد [3، 1].", "35 ألف و1000 مقعد [1، 2].", [15, 16]],
    ["Latin comma and Indic digits", "35 ألف و1000 مقعد [٣,1].", "35 ألف و1000 مقعد [1، 2].", [15, 16]],
    ["a number repeated in one marker", "35 ألف طالب [3، ٣].", "35 ألف طالب [1].", [15]],
    ["spaces inside the marker", "35 ألف طالب [ 3 ].", "35 ألف طالب [1].", [15]],
  ])("%s", (_label, raw, text, sentences) => {
    const result = check(raw);
    expect(result.problems).toEqual([]);
    expect(result.answer?.text).toBe(text);
    expect(result.answer?.citations.map(({ sentence }) => sentence)).toEqual(sentences);
    expect(result.answer?.citations.map(({ n }) => n)).toEqual(sentences.map((_, i) => i + 1));
  });

  it("trims the answer before checking it", () => {
    expect(check("\n  35 ألف طالب [3].  \n").answer?.text).toBe("35 ألف طالب [1].");
  });

  it("drops an unknown marker with the space before it while a valid one remains", () => {
    const result = check("يلتحق 35 ألف طالب [3] بالمؤسسات الروسية [99].");
    expect(result.refused).toBe(false);
    expect(result.dropped).toEqual([99]);
    expect(result.problems).toEqual([{ kind: "unknown-citation", n: 99 }]);
    expect(result.answer).toEqual({
      text: "يلتحق 35 ألف طالب [1] بالمؤسسات الروسية.",
      citations: [{ n: 1, doc: DOC, sentence: 15, text: STUDENTS, article: ARTICLE }],
    });
  });

  it("drops an unknown number from a combined marker and keeps the rest of it", () => {
    const result = check("يلتحق 35 ألف طالب [99، 3].");
    expect(result.dropped).toEqual([99]);
    expect(result.answer?.text).toBe("يلتحق 35 ألف طالب [1].");
    expect(result.answer?.citations.map(({ sentence }) => sentence)).toEqual([15]);
  });

  it("reports each unknown number once", () => {
    const result = check("يلتحق 35 ألف طالب [3] [0] و[0، 7].");
    expect(result.dropped).toEqual([0, 7]);
    expect(result.problems).toEqual([
      { kind: "unknown-citation", n: 0 },
      { kind: "unknown-citation", n: 7 },
    ]);
    expect(result.answer?.text).toBe("يلتحق 35 ألف طالب [1] و.");
  });

  it.each<[string, string, number[]]>([
    ["only unknown markers", "يلتحق طلاب كثيرون بالمؤسسات الروسية [7] [٩].", [7, 9]],
    ["no marker at all", "يلتحق طلاب كثيرون بالمؤسسات الروسية.", []],
  ])("%s: a no-citation problem and no answer", (_label, raw, dropped) => {
    const result = check(raw);
    expect(result.refused).toBe(false);
    expect(result.answer).toBeUndefined();
    expect(result.dropped).toEqual(dropped);
    expect(result.problems).toEqual([
      ...dropped.map((n): CitationProblem => ({ kind: "unknown-citation", n })),
      { kind: "no-citation" },
    ]);
  });

  describe("numbers", () => {
    it("rejects a number found in no cited sentence", () => {
      const result = check("يلتحق أكثر من 40 ألف طالب بالمؤسسات الروسية [3].");
      expect(result.answer).toBeUndefined();
      expect(result.refused).toBe(false);
      expect(result.problems).toEqual([{ kind: "unsupported-number", value: "40" }]);
    });

    it("rejects a number that is in the context but not in a sentence the answer cites", () => {
      const result = check("استحوذت روسيا على 22.6% من التجارة، ويلتحق 35 ألف طالب [3].");
      expect(result.answer).toBeUndefined();
      expect(result.problems).toEqual([{ kind: "unsupported-number", value: "22.6" }]);
    });

    it("reports each unsupported number once, after the unknown markers", () => {
      const result = check("40 ألف طالب و40 مدرسة و7 جامعات [3] [8].");
      expect(result.answer).toBeUndefined();
      expect(result.dropped).toEqual([8]);
      expect(result.problems).toEqual([
        { kind: "unknown-citation", n: 8 },
        { kind: "unsupported-number", value: "40" },
        { kind: "unsupported-number", value: "7" },
      ]);
    });

    it.each<[string, string, string]>([
      ["Arabic-Indic digits in the answer, ASCII in the sentence", "استحوذت روسيا على ٢٢٫٦٪ [1].", TRADE],
      [
        "ASCII digits in the answer, Arabic-Indic in the sentence",
        "استحوذت روسيا على 22.6% [1].",
        TRADE_ARABIC_DIGITS,
      ],
      ["Persian digits in the answer", "استحوذت روسيا على ۲۲٫۶٪ [1].", TRADE],
      ["without the percent sign", "استحوذت روسيا على 22.6 بالمئة [1].", TRADE],
    ])("compares digits of any script: %s", (_label, raw, sentence) => {
      const result = check(raw, [
        { n: 1, sentence: evidenceSentence({ doc: DOC, index: 4, text: sentence }), article: ARTICLE },
      ]);
      expect(result.problems).toEqual([]);
      expect(result.answer?.text).toBe(raw);
      expect(result.answer?.citations).toEqual([
        { n: 1, doc: DOC, sentence: 4, text: sentence, article: ARTICLE },
      ]);
    });

    it("does not count the citation markers as numbers", () => {
      expect(check("يلتحق طلاب كثيرون بالمؤسسات الروسية [3].").problems).toEqual([]);
    });
  });

  describe("refusals", () => {
    it("accepts the fixed refusal alone as a refusal", () => {
      expect(check(MESSAGES.refusal)).toEqual({ refused: true, problems: [], dropped: [] });
      expect(check(`\n ${MESSAGES.refusal} \n`)).toEqual({ refused: true, problems: [], dropped: [] });
    });

    it.each<[string, string]>([
      ["a valid marker", `${MESSAGES.refusal} [1]`],
      ["an unknown marker", `${MESSAGES.refusal} [42]`],
      ["a marker before it", `35 ألف طالب [3]. ${MESSAGES.refusal}`],
    ])("flags a refusal that cites (%s)", (_label, raw) => {
      const result = check(raw);
      expect(result.refused).toBe(false);
      expect(result.answer).toBeUndefined();
      expect(result.problems).toEqual([{ kind: "refusal-with-citations" }]);
    });
  });

  it.each<[string, string, CitationProblem[]]>([
    ["an English answer", "More than 35 thousand Tajik students study in Russia [3].", []],
    [
      "an English answer with an invented number",
      "About 40 thousand students [3].",
      [{ kind: "unsupported-number", value: "40" }],
    ],
  ])("flags %s as the wrong language", (_label, raw, others) => {
    const result = check(raw);
    expect(result.answer).toBeUndefined();
    expect(result.refused).toBe(false);
    expect(result.problems).toEqual([...others, { kind: "wrong-language" }]);
  });

  it("accepts an Arabic answer with a Latin name in it", () => {
    expect(check("يلتحق 35 ألف طالب بالمؤسسات الروسية بحسب وكالة TASS [3].").problems).toEqual([]);
  });

  it.each<[string, string]>([
    ["empty", ""],
    ["white space", "  \n\t "],
  ])("flags an %s answer", (_label, raw) => {
    expect(check(raw)).toEqual({ refused: false, problems: [{ kind: "empty" }], dropped: [] });
  });
});

describe("describeProblems", () => {
  const ALL: readonly CitationProblem[] = [
    { kind: "empty" },
    { kind: "unknown-citation", n: 99 },
    { kind: "no-citation" },
    { kind: "unsupported-number", value: "40" },
    { kind: "refusal-with-citations" },
    { kind: "wrong-language" },
  ];

  it("describes every problem in Arabic, one line each, and asks for a full rewrite", () => {
    const text = describeProblems(ALL);
    const lines = text.split("\n");
    expect(lines[0]).toBe("راجع إجابتك السابقة، ففيها ما يخالف القواعد:");
    expect(lines.at(-1)).toBe("أعد كتابة الإجابة كاملة وفق القواعد.");
    expect(lines.slice(1, -1)).toEqual([
      "- الإجابة فارغة.",
      "- الرقم [99] لا يقابل أي جملة في السياق.",
      "- لا تسند الإجابة أي معلومة إلى رقم جملة من السياق.",
      "- الرقم 40 لا يرد في الجمل المستشهد بها.",
      "- جملة الاعتذار تُكتب وحدها دون أرقام.",
      "- الإجابة ليست بالعربية الفصحى.",
    ]);
    expect(text).not.toMatch(/\p{Script=Latin}/u);
  });

  it.each(ALL.map((problem) => [problem.kind, problem] as const))(
    "mentions a single %s problem",
    (_kind, problem) => {
      const lines = describeProblems([problem]).split("\n");
      expect(lines).toHaveLength(3);
      expect(lines[1]).toMatch(/^- \p{Script=Arabic}/u);
      if (problem.kind === "unknown-citation") expect(lines[1]).toContain("[99]");
      if (problem.kind === "unsupported-number") expect(lines[1]).toContain("40");
    },
  );
});
