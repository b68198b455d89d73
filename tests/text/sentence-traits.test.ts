import { describe, expect, it } from "vitest";

import {
  analyzeForIndex,
  offersDate,
  offersNumber,
  questionForms,
  readSentenceTraits,
  tokenize,
  tokenStates,
  normalizeArabic,
  type ArticleTopic,
} from "../../src/text/index.js";
import { randomTexts } from "./random-text.js";

/** What a sentence offers a question: a date, a number that the question does not already state. */
function offers(sentence: string, question = ""): { date: boolean; number: boolean } {
  const traits = readSentenceTraits(sentence);
  const asked = questionForms(question);
  return { date: offersDate(traits, asked), number: offersNumber(traits, asked) };
}

describe("readSentenceTraits", () => {
  it.each<[string, string, readonly (readonly string[])[], readonly (readonly string[])[]]>([
    ["reads nothing in the empty string", "", [], []],
    ["reads a year as a date and a number", "في عام 2024", [["عام"], ["2024"]], [["2024"]]],
    ["reads a month through a glued و", "وفي ومارس", [["ومارس", "مارس"]], []],
    ["keeps a token's own form first (فبراير)", "في فبراير", [["فبراير", "براير"]], []],
    ["reads a number word through a glued و", "وخمسة", [], [["وخمسه", "خمسه"]]],
    ["does not strip ك: كافة (all) is no آلاف", "كافة الطلاب", [], []],
    ["reads a date word through a glued ب", "بعام", [["بعام", "عام"]], []],
    ["reads digits in Latin text", "Putin arrived in 2024", [["2024"]], [["2024"]]],
    ["reads no Latin month", "October", [], []],
  ])("%s: %j", (_rule, text, dates, numbers) => {
    const traits = readSentenceTraits(text);
    expect(traits.dates).toEqual(dates);
    expect(traits.numbers).toEqual(numbers);
  });

  it("holds the example of its documentation", () => {
    expect(readSentenceTraits("وصل في أكتوبر 2024")).toEqual({
      terms: ["وصل", "اكتوبر", "2024"],
      dates: [["اكتوبر"], ["2024"]],
      numbers: [["2024"]],
      topic: "other",
      person: false,
      place: false,
      // Coarse on purpose: a month reads as a "perfect", and وصل loses its و as a conjunction.
      verbs: [{ root: "كتبر", aspect: "perfect" }],
    });
  });

  it("reads who and where words and the verbs, for the answer types and tenses of questions", () => {
    const traits = readSentenceTraits("سيشارك الرئيس في القمة في العاصمة دوشنبه.");
    expect(traits.person).toBe(true);
    expect(traits.place).toBe(true);
    expect(traits.verbs).toContainEqual({ root: "شرك", aspect: "imperfect" });
  });

  it.each<[string, ArticleTopic]>([
    ["المصدر: تاس", "source"],
    ["مصدر: وكالة تاس", "source"],
    ["الصورة: الموقع الرسمي لرئيس روسيا", "photo"],
    ["صورة: أرشيف", "photo"],
    ["تصوير: ألكسندر", "photo"],
    ["تاريخ النشر: 2025-10-09", "date"],
    ['مجموعة الرؤية الإستراتيجية "روسيا - العالم الإسلامي"', "other"],
    ["يرافق الرئيس بوتين وفد كبير.", "other"],
    ["", "other"],
    ["source: TASS", "other"],
  ])("reads the topic of %j as %s", (line, topic) => {
    expect(readSentenceTraits(line).topic).toBe(topic);
  });

  it("reads the label after normalization (hamza and harakat)", () => {
    expect(readSentenceTraits("الصُّورَة: الموقع الرسمي").topic).toBe("photo");
  });

  it("on 500 seeded random strings, reads exactly the terms analyzeForIndex gives", () => {
    const drifted = randomTexts(0x5eed8).filter(
      (text) => JSON.stringify(readSentenceTraits(text).terms) !== JSON.stringify(analyzeForIndex(text)),
    );
    expect(drifted).toEqual([]);
  });
});

describe("questionForms", () => {
  it.each<[string, string, readonly string[]]>([
    ["holds nothing for the empty string", "", []],
    ["holds a token and its bare form", "كم جندياً في القاعدة ٢٠١؟", ["كم", "جنديا", "في", "القاعده", "201"]],
    ["holds a form without a glued و", "وخمسة", ["وخمسه", "خمسه"]],
  ])("%s: %j", (_rule, question, forms) => {
    expect([...questionForms(question)]).toEqual(forms);
  });
});

describe("offersDate and offersNumber", () => {
  const BASE_201 = "حيث تعمل القاعدة العسكرية الروسية رقم 201 بشكل وثيق مع القوات المسلحة الطاجيكستانية.";

  it("do not count a number the question already states (٢٠١ and 201)", () => {
    expect(offers(BASE_201, "كم عدد الجنود الروس في القاعدة العسكرية ٢٠١؟")).toEqual({
      date: false,
      number: false,
    });
  });

  it("count the same number when the question does not state it", () => {
    expect(offers(BASE_201, "كم عدد الجنود الروس في القاعدة العسكرية؟").number).toBe(true);
    expect(offers(BASE_201).number).toBe(true);
  });

  it("count another number beside the one the question states", () => {
    expect(offers("يخدم 7000 جندي في القاعدة رقم 201.", "كم جندياً في القاعدة ٢٠١؟").number).toBe(true);
  });

  it("do not count a year the question already states", () => {
    const sentence = "ليصل حجم التجارة إلى مستوى قياسي في عام 2024";
    const question = "كم بلغ حجم التجارة المتبادلة بين روسيا وطاجيكستان في ٢٠٢٤؟";
    expect(offers(sentence, question).number).toBe(false);
  });

  it("do not count a date the question states with a clitic (بفبراير and فبراير)", () => {
    expect(offers("وقعت الاتفاقية في فبراير.", "هل وقعت الاتفاقية بفبراير؟").date).toBe(false);
  });

  it.each<[string, string]>([
    ["digits", "ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية."],
    ["Arabic-Indic digits", "ويلتحق أكثر من ٣٥ طالباً طاجيكستانياً بالمؤسسات الروسية."],
    ["a decimal percentage", "استحوذت روسيا على 22.6% من التجارة الخارجية"],
    ["ألف", "يلتحق ألف طالب بالمؤسسات الروسية."],
    ["مليون", "بتخصيص سنوي يصل إلى مئتي مليون روبل."],
    ["مليار", "تجاوزت التجارة نحو مليار دولار."],
    ["المليارات, by its stem", "بلغت الاستثمارات المليارات."],
    ["خمس", "يتبادل الجانبان حوالي خمس وثائق موقعة."],
    ["a number word with a clitic (وخمسة)", "وصل ثلاثة وزراء وخمسة نواب."],
  ])("count %s as a number", (_kind, sentence) => {
    expect(offers(sentence).number).toBe(true);
  });

  it.each<[string, string]>([
    ["أكتوبر", "عُقد اجتماع غير رسمي في أكتوبر."],
    ["يونيو/حزيران", "في أوائل يونيو/حزيران مبادرات تعليمية مستمرة."],
    ["تشرين", "عُقدت القمة في تشرين الأول."],
    ["أمس", "عُقد اجتماع غير رسمي مساء أمس."],
    ["a year", "انطلقت القمة عام 2019 على مستوى وزراء الخارجية."],
    ["a bare year", "تأسست المنظمة 1996 في شنغهاي."],
    ["بفبراير with a clitic", "وقعت الاتفاقية بفبراير."],
    ["فبراير, whose ف is no clitic", "وقعت الاتفاقية في فبراير."],
  ])("count %s as a date", (_kind, sentence) => {
    expect(offers(sentence).date).toBe(true);
  });

  it.each([
    "يرافق الرئيس بوتين في هذه الزيارة وفد كبير.",
    "تحافظ موسكو ودوشنبه على تنسيق وثيق في الأطر متعددة الأطراف.",
    "",
    "Putin met Rahmon.",
  ])("find neither a number nor a date in %j", (sentence) => {
    expect(offers(sentence)).toEqual({ date: false, number: false });
  });

  it("do not read a number that is not a year as a date", () => {
    expect(offers("أكثر من 300 شركة روسية.")).toEqual({ date: false, number: true });
  });

  it("do not read a number of five digits as a year", () => {
    expect(offers("أكثر من 20245 طالب.")).toEqual({ date: false, number: true });
  });

  it("read a year as a number and a date", () => {
    expect(offers("في عام 2024")).toEqual({ date: true, number: true });
  });
});

describe("tokenStates", () => {
  it.each<[string, { date: boolean; number: boolean }]>([
    ["2024", { date: true, number: true }],
    ["أكتوبر", { date: true, number: false }],
    ["وفي", { date: false, number: false }],
    ["300", { date: false, number: true }],
    ["ثلاثة", { date: false, number: true }],
    ["الطلاب", { date: false, number: false }],
  ])("reads %j", (token, expected) => {
    expect(tokenStates(token)).toEqual(expected);
    // Again, from the tokens kept: the same answer, which no caller can change.
    expect(tokenStates(token)).toEqual(expected);
    expect(Object.isFrozen(tokenStates(token))).toBe(true);
  });

  it("agrees with a sentence's traits on every token of 300 seeded random texts, read twice", () => {
    const drifted: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (const text of randomTexts(0x57a7e, 300)) {
        for (const token of tokenize(normalizeArabic(text))) {
          const traits = readSentenceTraits(token);
          const expected = { date: traits.dates.length > 0, number: traits.numbers.length > 0 };
          if (JSON.stringify(tokenStates(token)) !== JSON.stringify(expected)) drifted.push(token);
        }
      }
    }
    expect(drifted).toEqual([]);
  });
});
