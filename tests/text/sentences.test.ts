import { describe, expect, it } from "vitest";

import { splitSentences } from "../../src/text/index.js";
import type { SentenceSpan } from "../../src/text/index.js";
import { randomTexts } from "./random-text.js";

/** Every span lies in the block at its offsets, in order, without overlap, trimmed and non-empty. */
function spanProblems(block: string, spans: readonly SentenceSpan[]): string[] {
  const problems: string[] = [];
  let previousEnd = 0;
  for (const { text, start, end } of spans) {
    if (block.slice(start, end) !== text) problems.push(`${start}-${end} does not slice back to its text`);
    if (start < previousEnd) problems.push(`${start}-${end} starts before the previous end ${previousEnd}`);
    if (text.length === 0 || text !== text.trim()) problems.push(`${start}-${end} is empty or not trimmed`);
    previousEnd = end;
  }
  return problems;
}

describe("splitSentences", () => {
  it.each<[string, string, string[]]>([
    ["returns nothing for the empty string", "", []],
    ["returns nothing for whitespace only", "  \n\t \n", []],
    ["keeps a sentence without a final stop", "قال الرئيس", ["قال الرئيس"]],
    ["trims surrounding whitespace", "  نعم.  ", ["نعم."]],
    // Intl.Segmenter splits
    ["splits at a period", "ذهب. ثم عاد.", ["ذهب.", "ثم عاد."]],
    ["splits at the Arabic question mark ؟", "هل جاء؟ نعم.", ["هل جاء؟", "نعم."]],
    ["splits at ؟ without a following space", "ما هذا؟لا أعرف.", ["ما هذا؟", "لا أعرف."]],
    ["splits at an exclamation mark", "يا له من يوم! ثم نام.", ["يا له من يوم!", "ثم نام."]],
    ["splits at a line break", "سطر بلا نقطة\nسطر آخر", ["سطر بلا نقطة", "سطر آخر"]],
    ["splits at a Windows line break", "سطر أول\r\nسطر ثان", ["سطر أول", "سطر ثان"]],
    ["splits after a number that ends a sentence", "عددهم 12. ثم وصل آخرون.", ["عددهم 12.", "ثم وصل آخرون."]],
    // merge pass
    ["keeps د. أحمد together", "قال د. أحمد: نعم. ثم عاد.", ["قال د. أحمد: نعم.", "ثم عاد."]],
    ["keeps أ.د. محمد together", "زار أ.د. محمد الجامعة. ثم غادر.", ["زار أ.د. محمد الجامعة.", "ثم غادر."]],
    ["keeps ق.م together", "بنيت عام 300 ق.م على التل. ثم هدمت.", ["بنيت عام 300 ق.م على التل.", "ثم هدمت."]],
    ["keeps ص.ب together", "العنوان ص.ب. 1234 عمان. شكرا.", ["العنوان ص.ب. 1234 عمان.", "شكرا."]],
    ["keeps هـ. together", "توفي سنة 1446 هـ. في مكة. ودفن.", ["توفي سنة 1446 هـ. في مكة.", "ودفن."]],
    ["keeps Mr. Smith together", "Mr. Smith arrived. He left.", ["Mr. Smith arrived.", "He left."]],
    ["keeps Dr. with a known abbreviation", "Dr. Watson came. He sat.", ["Dr. Watson came.", "He sat."]],
    [
      "keeps U.S. together",
      "He went to the U.S. last year. Then he left.",
      ["He went to the U.S. last year.", "Then he left."],
    ],
    ["keeps a mid-line ellipsis ...", "كان هناك... شيء ما. انتهى.", ["كان هناك... شيء ما.", "انتهى."]],
    ["keeps a mid-line ellipsis …", "كان هناك… شيء ما. انتهى.", ["كان هناك… شيء ما.", "انتهى."]],
    ["splits after an ellipsis at the end of a line", "كان هناك...\nشيء ما.", ["كان هناك...", "شيء ما."]],
    ["splits after an abbreviation at the end of a line", "قال د.\nأحمد نعم.", ["قال د.", "أحمد نعم."]],
    [
      "keeps list numbers with their items",
      "1. البند الأول\n2. البند الثاني",
      ["1. البند الأول", "2. البند الثاني"],
    ],
    [
      "keeps Arabic-Indic list numbers with their items",
      "١. البند الأول\n٢. البند الثاني",
      ["١. البند الأول", "٢. البند الثاني"],
    ],
    [
      "does not split 22.6% or 1.5",
      "بلغت 22.6% ثم 1.5 مليار. انتهى.",
      ["بلغت 22.6% ثم 1.5 مليار.", "انتهى."],
    ],
    [
      "splits a paragraph of the seed article",
      "ويتضمن جدول أعمال اليوم الخميس المراسم الرسمية لزيارة الدولة. بعد مراسم الاستقبال الرسمي والتقاط الصور، سيُجري الزعيمان محادثات ثنائية.",
      [
        "ويتضمن جدول أعمال اليوم الخميس المراسم الرسمية لزيارة الدولة.",
        "بعد مراسم الاستقبال الرسمي والتقاط الصور، سيُجري الزعيمان محادثات ثنائية.",
      ],
    ],
    [
      "keeps the seed article's percentages and decimals inside their sentence",
      "في العام الماضي، استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان، مع نمو حجم التجارة المتبادلة بنسبة 7.1% في عام 2024 ليصل إلى 1.5 مليار دولار أمريكي. كما تعد روسيا مستثمر رئيسي.",
      [
        "في العام الماضي، استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان، مع نمو حجم التجارة المتبادلة بنسبة 7.1% في عام 2024 ليصل إلى 1.5 مليار دولار أمريكي.",
        "كما تعد روسيا مستثمر رئيسي.",
      ],
    ],
  ])("%s", (_rule, block, expected) => {
    const spans = splitSentences(block);
    expect(spans.map((span) => span.text)).toEqual(expected);
    expect(spanProblems(block, spans)).toEqual([]);
  });

  it("gives offsets that slice back to the exact text", () => {
    expect(splitSentences("  قال د. أحمد: نعم. ثم عاد.\n")).toEqual([
      { text: "قال د. أحمد: نعم.", start: 2, end: 19 },
      { text: "ثم عاد.", start: 20, end: 27 },
    ]);
  });

  it("keeps harakat and format characters in the original text", () => {
    const block = "\u200fسيُجري الزعيمان محادثاتٍ.\u200f ثم انتهى.";
    const spans = splitSentences(block);
    expect(spans.map((span) => span.text)).toEqual(["\u200fسيُجري الزعيمان محادثاتٍ.\u200f", "ثم انتهى."]);
    expect(spanProblems(block, spans)).toEqual([]);
  });

  describe("on 500 seeded random strings", () => {
    const blocks = randomTexts(0x5eed5);

    it("never throws and returns ordered, non-overlapping spans that slice back to their text", () => {
      const problems = blocks.flatMap((block) =>
        spanProblems(block, splitSentences(block)).map((problem) => `${JSON.stringify(block)}: ${problem}`),
      );
      expect(problems).toEqual([]);
    });

    it("loses no character other than whitespace between sentences", () => {
      const lossy = blocks.filter(
        (block) =>
          splitSentences(block)
            .map((span) => span.text)
            .join("")
            .replace(/\s/gu, "") !== block.replace(/\s/gu, ""),
      );
      expect(lossy).toEqual([]);
    });
  });
});
