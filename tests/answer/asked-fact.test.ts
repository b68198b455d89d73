import { describe, expect, it } from "vitest";

import { askedFact } from "../../src/answer/asked-fact.js";

/** Sentences of the corpus article. */
const MEETING =
  "على إثر ذلك عُقِد اجتماع غير رسمي بين فلاديمير بوتين ورئيس طاجيكستان - إمام علي رحمون، وذلك مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025.";
const STUDENTS =
  "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
const TRADE_2024 = "وشهدت التجارة الثنائية نمواً بوتيرة متسارعة، متجاوزةً 45 مليار دولار أمريكي في عام 2024.";
const DOCUMENTS =
  "من المتوقع أن يتبادل الجانبان حوالي خمس عشرة وثيقة موقعة، ثم يُدلي الرئيسان بتصريحات صحفية.";
const INVESTMENT =
  "كما تعد روسيا مستثمر رئيسي في الاقتصاد الطاجيكستاني، باستثمارات تراكمية تُقارب 500 مليون دولار أمريكي، وأكثر من 300 شركة روسية عاملة في الجمهورية.";
const SUMMITS =
  "وقد عُقدت قمة روسيا وآسيا الوسطى، التي انطلقت عام 2019 على مستوى وزراء الخارجية، في عاصمة جمهورية كازاخستان - أستانا في أكتوبر/تشرين الأول 2022.";
const DELEGATION =
  'يرافق الرئيس بوتين في هذا الزيارة وفد كبير، وصفه مساعده للشؤون الخارجية - يوري أوشاكوف بأنه يشتمل على "ما يقرب من نصف الحكومة"، إذ يضم الوفد 20 وزيراً ورئيساً لوكالات مختلفة، بمن فيهم نائبا رئيس الوزراء - أليكسي أوفرتشوك ومارات خوسنولين.';

describe("askedFact", () => {
  describe("the date a when-question asks for, as the sentence writes it", () => {
    it.each([
      ["متى عُقد الاجتماع غير الرسمي؟", MEETING, "مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025"],
      [
        "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟",
        MEETING,
        "مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025",
      ],
      // The amount the question states is no date: the date of the sentence is the fact.
      ["متى بلغت التجارة 45 مليار دولار؟", TRADE_2024, "عام 2024"],
      ["متى وصل الوفد؟", "وصل الوفد إلى دوشنبه في ١٠ أكتوبر ٢٠٢٥.", "١٠ أكتوبر ٢٠٢٥"],
    ])("%s → «%s» gives «%s»", (question, sentence, fact) => {
      expect(askedFact(question, sentence)).toBe(fact);
    });
  });

  describe("the amount a how-many question asks for, as the sentence writes it", () => {
    it.each([
      ["كم طالباً طاجيكياً يدرس في روسيا؟", STUDENTS, "35 ألف"],
      ["كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟", STUDENTS, "35 ألف"],
      // A unit goes with its amount; the year, a date, is no amount.
      ["كم بلغت التجارة بين روسيا وآسيا الوسطى؟", TRADE_2024, "45 مليار دولار أمريكي"],
      ["كم بلغت التجارة في عام 2024؟", TRADE_2024, "45 مليار دولار أمريكي"],
      // A number in words.
      ["كم وثيقة سيتبادل الجانبان؟", DOCUMENTS, "خمس عشرة"],
      // Of two amounts, the one next to the word the question counts.
      ["كم شركة روسية تعمل في طاجيكستان؟", INVESTMENT, "300"],
      ["كم شركة؟", INVESTMENT, "300"],
      ["كم وزيراً يضم الوفد؟", DELEGATION, "20"],
    ])("%s → «%s» gives «%s»", (question, sentence, fact) => {
      expect(askedFact(question, sentence)).toBe(fact);
    });
  });

  describe("nothing, rather than a guess", () => {
    it.each([
      ["when the sentence holds two dates", "متى انطلقت قمة روسيا وآسيا الوسطى؟", SUMMITS],
      [
        "when the sentence holds two amounts, neither next to what is counted",
        "كم تبلغ الاستثمارات الروسية؟",
        INVESTMENT,
      ],
      ["when the question asks neither when nor how many", "من يرافق الرئيس بوتين؟", DELEGATION],
      [
        "when the question asks neither when nor how many (a why-question)",
        "لماذا عُقد الاجتماع غير الرسمي؟",
        MEETING,
      ],
      [
        "when the only amount is the one the question states",
        "كم طالباً من بين 35 ألف طالب يدرس في موسكو؟",
        STUDENTS,
      ],
      [
        "when the only date is the one the question states",
        "متى تجاوزت التجارة 45 مليار دولار في عام 2024؟",
        TRADE_2024,
      ],
      [
        "when the sentence holds no number",
        "كم طالباً يدرس في روسيا؟",
        "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان.",
      ],
      ["when the sentence holds no date", "متى يتبادل الجانبان الوثائق؟", DOCUMENTS],
    ])("%s", (_why, question, sentence) => {
      expect(askedFact(question, sentence)).toBeUndefined();
    });
  });

  it("returns the fact as a piece of the sentence, vowel marks and all", () => {
    const sentence = "وقد خُصِّصَ ٢٠٠ مليون روبل سنوياً للكتب.";
    const fact = askedFact("كم خُصّص للكتب؟", sentence);
    expect(fact).toBe("٢٠٠ مليون روبل");
    expect(sentence).toContain(fact);
  });
});
