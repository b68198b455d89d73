import { describe, expect, it } from "vitest";

import { normalizeArabicFully } from "../../src/text/normalize.js";
import { normalizeArabic } from "../../src/text/index.js";
import { mulberry32, randomArabicWords, randomTexts } from "./random-text.js";

/** "é" as ["U+0065", "U+0301"], so that failures show composed and decomposed forms apart. */
const codePointsOf = (text: string): string[] =>
  Array.from(text, (char) => `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`);

/**
 * What normalization must never leave behind: harakat, superscript alef, tatweel, Quranic marks, format
 * characters, the letters it unifies (آ أ إ ٱ ى ی ک ة), ٪ ٫ ٬, Arabic-Indic digits and upper-case Latin.
 */
// prettier-ignore
const LEFTOVER_RANGES: readonly (readonly [number, number])[] = [
  [0x064b, 0x065f], [0x0670, 0x0670], [0x0640, 0x0640], [0x0610, 0x061a], [0x06d6, 0x06ed], [0x061c, 0x061c],
  [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x2060], [0x2066, 0x2069], [0xfeff, 0xfeff],
  [0x0622, 0x0623], [0x0625, 0x0625], [0x0671, 0x0671], [0x0649, 0x0649], [0x06cc, 0x06cc], [0x06a9, 0x06a9],
  [0x0629, 0x0629], [0x066a, 0x066c], [0x0660, 0x0669], [0x06f0, 0x06f9], [0x41, 0x5a],
];

const hasLeftover = (text: string): boolean =>
  Array.from(text).some((char) => {
    const codePoint = char.codePointAt(0) ?? 0;
    return LEFTOVER_RANGES.some(([from, to]) => codePoint >= from && codePoint <= to);
  });

describe("normalizeArabic", () => {
  it.each<[string, string, string]>([
    ["leaves the empty string empty", "", ""],
    ["leaves unvoweled Arabic unchanged", "كتب الولد", "كتب الولد"],
    ["lower-cases Latin letters", "Putin Met RAHMON", "putin met rahmon"],
    ["leaves ASCII digits and Latin punctuation", "G20, 1.5% (2025-2026)", "g20, 1.5% (2025-2026)"],
    ["keeps whitespace and line breaks", "سطر أول\n\tسطر ثان", "سطر اول\n\tسطر ثان"],
    ["keeps the Arabic comma, semicolon and question mark", "نعم، لا؛ لماذا؟", "نعم، لا؛ لماذا؟"],
    // harakat
    ["drops fatha", "كَتب", "كتب"],
    ["drops damma", "كُتب", "كتب"],
    ["drops kasra", "كتِب", "كتب"],
    ["drops sukun", "مدْرس", "مدرس"],
    ["drops shadda", "مدرّس", "مدرس"],
    ["drops fathatan", "شكراً", "شكرا"],
    ["drops dammatan", "كتابٌ", "كتاب"],
    ["drops kasratan", "كتابٍ", "كتاب"],
    ["drops shadda with fatha", "علّمَ", "علم"],
    ["drops superscript alef U+0670", "هٰذا", "هذا"],
    ["drops tatweel", "كتـــاب", "كتاب"],
    ["drops a Quranic small high mark U+06D6", "قال\u06d6 ربك", "قال ربك"],
    ["drops an honorific sign U+0610", "محمد\u0610", "محمد"],
    // invisible format characters
    ["drops ZWNJ U+200C", "كتاب\u200cها", "كتابها"],
    ["drops ZWJ U+200D", "ل\u200dا", "لا"],
    ["drops ZWSP U+200B", "كت\u200bاب", "كتاب"],
    ["drops LRM U+200E", "22\u200e%", "22%"],
    ["drops RLM U+200F", "\u200fمرحبا\u200f", "مرحبا"],
    ["drops ARABIC LETTER MARK U+061C", "\u061cنص", "نص"],
    ["drops a bidi embedding and its pop U+202B…U+202C", "\u202bنص\u202c", "نص"],
    ["drops a bidi override U+202E", "\u202eنص", "نص"],
    ["drops bidi isolates U+2067…U+2069", "\u2067نص\u2069", "نص"],
    ["drops WORD JOINER U+2060", "نص\u2060", "نص"],
    ["drops a BOM U+FEFF", "\ufeffنص", "نص"],
    // letters
    ["unifies alef with madda آ", "آمن", "امن"],
    ["unifies alef with hamza above أ", "أحمد", "احمد"],
    ["unifies alef with hamza below إ", "إسلام", "اسلام"],
    ["unifies alef wasla ٱ", "ٱلكتاب", "الكتاب"],
    ["composes alef + combining madda, then unifies it", "ا\u0653من", "امن"],
    ["maps alef maksura ى to yeh", "على", "علي"],
    ["maps teh marbuta ة to heh", "مدرسة", "مدرسه"],
    ["maps Persian yeh ی to Arabic yeh", "فارسی", "فارسي"],
    ["maps keheh ک to kaf", "کتاب", "كتاب"],
    ["keeps hamza on waw ؤ and on yeh ئ", "مؤتمر سائل", "مؤتمر سائل"],
    // NFKC
    ["folds the lam-alef presentation form ﻻ", "ﻻ", "لا"],
    ["folds lam-alef with hamza ﻷ, then unifies the alef", "ﻷ", "لا"],
    ["folds the Allah ligature ﷲ", "ﷲ", "الله"],
    ["folds contextual letter forms", "ﺑﺴﻢ", "بسم"],
    ["folds full-width Latin and digits", "ＡＢＣ１２", "abc12"],
    // digits and number signs
    ["maps Arabic-Indic digits ٠-٩", "٠١٢٣٤٥٦٧٨٩", "0123456789"],
    ["maps Eastern Arabic-Indic digits ۰-۹", "۰۱۲۳۴۵۶۷۸۹", "0123456789"],
    ["maps the Arabic decimal separator ٫ to .", "٢٢٫٦", "22.6"],
    ["maps the Arabic percent sign ٪ to %", "٢٢٫٦٪", "22.6%"],
    ["drops the Arabic thousands separator ٬", "١٬٠٠٠", "1000"],
    // everything at once
    ["normalizes a fully voweled word", "مَدْرَسَةٌ", "مدرسه"],
    ["normalizes a real voweled phrase", "سيُجري الزعيمان محادثاتٍ", "سيجري الزعيمان محادثات"],
  ])("%s", (_rule, input, expected) => {
    expect(normalizeArabic(input)).toBe(expected);
  });

  // Normalizing twice must change nothing (documented). These fail today: NFKC runs before the format
  // characters are dropped, so a letter and its combining accent only meet after NFKC has run.
  it.each<[string, string]>([
    ["RLM between a Latin letter and its accent", "e\u200f\u0301"],
    ["tatweel between a Latin letter and its accent", "e\u0640\u0301"],
    ["ZWJ between two Hangul jamo", "\u1100\u200d\u1161"],
  ])("is idempotent with a dropped %s", (_rule, input) => {
    const once = normalizeArabic(input);
    expect(codePointsOf(normalizeArabic(once))).toEqual(codePointsOf(once));
  });

  describe("on 500 seeded random strings", () => {
    const texts = randomTexts(0x5eed1);

    it("never throws and is idempotent", () => {
      const notIdempotent = texts.filter((text) => {
        const once = normalizeArabic(text);
        return normalizeArabic(once) !== once;
      });
      expect(notIdempotent).toEqual([]);
    });

    it("leaves no harakat, tatweel, format characters, unified letters, Eastern digits or upper case", () => {
      expect(texts.map(normalizeArabic).filter(hasLeftover)).toEqual([]);
    });
  });

  describe("character by character (the quick path) gives what the whole chain gives", () => {
    const sameAsChain = (texts: readonly string[]): string[] =>
      texts.filter((text) => normalizeArabic(text) !== normalizeArabicFully(text));

    it("on every code point below U+0800 alone, and beside a letter, a mark and an accent", () => {
      const texts = Array.from({ length: 0x800 }, (_, code) => String.fromCharCode(code)).flatMap((char) => [
        char,
        `ب${char}ت`,
        `${char}\u0651`,
        `e${char}\u0301`,
        `${char}${char}A`,
      ]);
      expect(sameAsChain(texts)).toEqual([]);
    });

    it("on 20,000 random strings of code points below U+0700, where most take the quick path", () => {
      const random = mulberry32(0x70a5);
      const texts = Array.from({ length: 20_000 }, () =>
        String.fromCharCode(
          ...Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * 0x700)),
        ),
      );
      expect(sameAsChain(texts)).toEqual([]);
    });

    it("on seeded random texts and Arabic words", () => {
      expect(sameAsChain([...randomTexts(0x5eed2), ...randomArabicWords(0x5eed3, 5_000)])).toEqual([]);
    });
  });
});
