import { describe, expect, it } from "vitest";

import { isArabicText } from "../../src/answer/language.js";

describe("isArabicText", () => {
  it.each<[string, boolean, string]>([
    ["an Arabic question", true, "كم عدد الطلاب الطاجيك في روسيا؟"],
    ["an Arabic question with harakat and Arabic-Indic digits", true, "مَنْ اسْتَحْوَذَ عَلى ٢٢٫٦٪؟"],
    ["an Arabic question with a Latin name in it", true, "ما موقف BBC من الزيارة؟"],
    ["an Arabic question with a long Latin name in it", true, "ما رأي Vladimir Putin في الاتفاق؟"],
    ["a dialect question", true, "قديش في معلمين روس عم يعلّموا بمدارس طاجيكستان هلق؟"],
    ["no letters at all (nothing to translate)", true, "؟؟ 2025 👋"],
    ["nothing", true, ""],
    ["as many Arabic words as Latin ones", true, "abc أبت"],
    ["a word of Arabic and Latin letters, counted by its first", true, "عربيabc"],
    ["an English question with an Arabic word in it", false, "How many طلاب study in Russia?"],
    ["an English question", false, "How many Tajik students study at Russian institutions?"],
    ["a French question", false, "Combien d'étudiants tadjiks étudient en Russie ?"],
    ["a Russian question", false, "Сколько таджикских студентов учится в России?"],
    [
      "an English question with an Arabic name in it",
      false,
      "Who is the president of Tajikistan, إمام علي رحمون?",
    ],
    ["Arabic written in Latin letters", false, "kam 3adad el tollab?"],
  ])("reads %s: Arabic %s", (_rule, arabic, text) => {
    expect(isArabicText(text)).toBe(arabic);
  });
});
