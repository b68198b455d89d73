import { describe, expect, it } from "vitest";

import { isNumberToken, normalizeArabic, tokenize } from "../../src/text/index.js";
import { randomTexts } from "./random-text.js";

describe("tokenize", () => {
  // Inputs are already normalized, as tokenize expects.
  it.each<[string, string, string[]]>([
    ["returns nothing for the empty string", "", []],
    ["returns nothing for whitespace and punctuation only", " .، ؟!\n«» - ", []],
    ["splits Arabic words at whitespace", "ذهب الولد الي المدرسه", ["ذهب", "الولد", "الي", "المدرسه"]],
    ["splits at Arabic punctuation without spaces", "نعم،لا؟ربما؛", ["نعم", "لا", "ربما"]],
    ["splits at quotes and brackets", "«شنغهاي» (تاس)", ["شنغهاي", "تاس"]],
    ["keeps Latin words", "putin met rahmon", ["putin", "met", "rahmon"]],
    ["keeps Latin words that carry digits", "g20 covid19", ["g20", "covid19"]],
    ["keeps an integer", "109", ["109"]],
    ["keeps a decimal number", "1.5", ["1.5"]],
    ["keeps a percentage with decimals", "22.6%", ["22.6%"]],
    ["keeps a year range", "2025-2026", ["2025-2026"]],
    ["keeps a percentage range", "10-20%", ["10-20%"]],
    ["removes a thousands comma", "1,000", ["1000"]],
    ["removes every thousands comma", "1,000,000", ["1000000"]],
    ["removes thousands commas before a decimal point", "1,234.5", ["1234.5"]],
    ["keeps a decimal comma", "1,5", ["1,5"]],
    ["keeps a fraction", "9/10", ["9/10"]],
    ["keeps a time", "10:30", ["10:30"]],
    ["keeps a date with slashes", "8/10/2025", ["8/10/2025"]],
    ["splits و off a number", "و22", ["و", "22"]],
    ["splits ب off a number", "ب2025", ["ب", "2025"]],
    ["splits ل off a number", "ل5", ["ل", "5"]],
    ["splits و off a percentage", "و22.6%", ["و", "22.6%"]],
    ["splits an Arabic word from trailing digits", "كوفيد19", ["كوفيد", "19"]],
    ["drops a sentence-final period after a number", "عام 2024.", ["عام", "2024"]],
    ["drops a trailing comma after a number", "500, ثم", ["500", "ثم"]],
    ["drops a spaced hyphen between numbers", "2025 - 2026", ["2025", "2026"]],
    ["drops a minus sign", "-5", ["5"]],
    ["keeps the documented example", "و22.6% في 2025-2026", ["و", "22.6%", "في", "2025-2026"]],
    // Fail today: LATIN_WORD is [a-z][a-z0-9]*, so a Latin letter outside a-z ends the word and starts a
    // new WORD token.
    ["keeps a Latin word with an accent whole", "café", ["café"]],
    ["keeps a Latin name with a non-ASCII letter whole", "erdoğan", ["erdoğan"]],
  ])("%s", (_rule, normalized, expected) => {
    expect(tokenize(normalized)).toEqual(expected);
  });

  it.each<[string, string, string[]]>([
    ["Arabic-Indic digits with ٫ and ٪", "٢٢٫٦٪", ["22.6%"]],
    ["Eastern Arabic-Indic digits in a range", "۲۰۲۵-۲۰۲۶", ["2025-2026"]],
    ["Arabic-Indic digits with the thousands separator ٬", "١٬٠٠٠", ["1000"]],
    ["و glued to Arabic-Indic digits", "و٢٢", ["و", "22"]],
    ["a word broken by ZWNJ", "كتاب\u200cها", ["كتابها"]],
    ["a word wrapped in bidi marks", "\u200fروسيا\u200f", ["روسيا"]],
    ["a word stretched by tatweel", "الـ كريملِن", ["ال", "كريملن"]],
    ["the presentation form ﻻ", "ﻻ شيء", ["لا", "شيء"]],
    ["upper-case Latin", "NATO", ["nato"]],
  ])("after normalizeArabic, tokenizes %s", (_rule, text, expected) => {
    expect(tokenize(normalizeArabic(text))).toEqual(expected);
  });

  describe("on 500 seeded random strings", () => {
    const texts = randomTexts(0x5eed2);

    it("never returns an empty token or one with whitespace, before or after normalization", () => {
      const bad = texts
        .flatMap((text) => [...tokenize(text), ...tokenize(normalizeArabic(text))])
        .filter((token) => token.length === 0 || /\s/u.test(token));
      expect(bad).toEqual([]);
    });
  });
});

describe("tokenize against its definition", () => {
  // The rules as first written: a word is any letter or mark not of the Latin script, checked by a
  // look-ahead before each one; every comma of a token goes through the thousands rule.
  const TOKEN = new RegExp(
    String.raw`\d+(?:[.,:/]\d+)*%?(?:-\d+(?:[.,]\d+)*%?)?|\p{Script=Latin}[\p{Script=Latin}\p{M}\d]*|(?:(?!\p{Script=Latin})[\p{L}\p{M}])+`,
    "gu",
  );
  const reference = (text: string): string[] =>
    [...text.matchAll(TOKEN)].map((match) => match[0].replace(/(?<=\d),(?=\d{3}(?!\d))/g, ""));

  it("splits every character below U+3000, alone and between letters and digits, as the definition does", () => {
    for (let code = 0; code < 0x3000; code++) {
      const character = String.fromCodePoint(code);
      for (const text of [character, `a${character}ب${character}1`, `${character}1,000${character}é`]) {
        expect(tokenize(text)).toEqual(reference(text));
      }
    }
  });

  it("splits random mixed texts as the definition does", () => {
    for (const text of randomTexts(41, 2000)) {
      expect(tokenize(text)).toEqual(reference(text));
      expect(tokenize(normalizeArabic(text))).toEqual(reference(normalizeArabic(text)));
    }
  });
});

describe("isNumberToken", () => {
  it.each<[string, string, boolean]>([
    ["an integer", "2024", true],
    ["a percentage", "22.6%", true],
    ["a range", "2025-2026", true],
    ["a Latin word with digits", "g20", false],
    ["an Arabic word", "كتاب", false],
    ["the empty string", "", false],
  ])("%s", (_rule, token, expected) => {
    expect(isNumberToken(token)).toBe(expected);
  });
});
