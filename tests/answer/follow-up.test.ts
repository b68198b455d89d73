import { describe, expect, it } from "vitest";

import { readFollowUp, type FollowUpReason } from "../../src/answer/follow-up.js";
import { mulberry32 } from "../support/prng.js";

const TRADE = "ما حجم التجارة بين روسيا وطاجيكستان؟";
const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const DELEGATION = "من يرافق بوتين في الزيارة؟";
const SUMMIT = "متى تعقد القمة؟";

describe("readFollowUp", () => {
  it.each<[string, string, string, FollowUpReason]>([
    // 6. A question with a subject of its own stands alone, whatever came before.
    ["a new subject stands alone (the reported merge)", TRADE, SUMMIT, "new-subject"],
    [
      "a definite subject after a conjunction and a question word stands alone",
      TRADE,
      "ومتى القمة؟",
      "new-subject",
    ],
    [
      "a copula pronoun between question word and subject points nowhere",
      STUDENTS,
      "من هو مؤسس أول دولة طاجيكستانية؟",
      "new-subject",
    ],
    [
      "a copula after a conjunction and a question word points nowhere",
      STUDENTS,
      "ومن هم الطلاب؟",
      "new-subject",
    ],
    [
      "a demonstrative before a noun of time points to the present",
      TRADE,
      "كم بلغ حجم التبادل هذا العام؟",
      "new-subject",
    ],
    ["هناك after هل says there is", STUDENTS, "هل هناك اتفاق بين روسيا وطاجيكستان؟", "new-subject"],
    ["أهم is a word of its own, not أ + هم", STUDENTS, "ما أهم الملفات على جدول أعمال القمة؟", "new-subject"],
    ["تفاهم ends in ـاهم without a pronoun", STUDENTS, "هل وقعت مذكرة تفاهم بين البلدين؟", "new-subject"],
    ["a definite noun carries no pronoun (المتهم)", STUDENTS, "من المتهم في القضية؟", "new-subject"],
    ["دول is countries, not a demonstrative", STUDENTS, "كم عدد دول آسيا الوسطى؟", "new-subject"],
    ["لدى is a preposition, not ل + دي", STUDENTS, "ما لدى روسيا من استثمارات في طاجيكستان؟", "new-subject"],
    [
      "a topic followed by its own question word stands alone",
      STUDENTS,
      "عن ماذا تحدث الرئيسان؟",
      "new-subject",
    ],
    [
      "a conjunction before several new words is a clause of its own",
      DELEGATION,
      "وكم وزيراً رافق الرئيس؟",
      "new-subject",
    ],
    ["a word beginning with و is not a conjunction (وصل)", TRADE, "وصل بوتين إلى دوشنبه متى؟", "new-subject"],
    ["a question in another language has none of these words", STUDENTS, "How many students?", "new-subject"],
    ["the same subject asked again in other words stands alone", SUMMIT, "وأين تعقد القمة؟", "same-subject"],
    // 1. Nothing to read.
    ["punctuation only", STUDENTS, "؟؟", "no-words"],
    ["nothing", STUDENTS, "", "no-words"],
  ])("stands alone: %s", (_rule, previous, question, reason) => {
    expect(readFollowUp(previous, question)).toEqual({ followUp: false, reason });
  });

  it.each<[string, string, string, FollowUpReason]>([
    // 2. Words that point back.
    ["an attached pronoun on a noun (عددهم)", STUDENTS, "وكم عددهم؟", "points-back"],
    [
      "an attached pronoun on a noun, without a conjunction (موعدها)",
      SUMMIT,
      "ما موعدها بالتحديد؟",
      "points-back",
    ],
    ["an attached pronoun on a verb (رافقهم)", DELEGATION, "من رافقهم من الوزراء؟", "points-back"],
    ["an attached pronoun on a preposition (منهم)", STUDENTS, "كم منهم يدرس الطب؟", "points-back"],
    ["the singular ـه on a preposition (عنه)", DELEGATION, "ماذا قال عنه الكرملين؟", "points-back"],
    ["a demonstrative (ذلك)", STUDENTS, "ومتى حدث ذلك؟", "points-back"],
    ["a demonstrative behind a preposition (كذلك)", DELEGATION, "وهل زار كذلك أوزبكستان؟", "points-back"],
    ["a demonstrative before a noun that is not of time", TRADE, "متى تعقد هذه القمة؟", "points-back"],
    ["a dialect demonstrative (ده)", SUMMIT, "الاجتماع ده كان فين؟", "points-back"],
    ["هناك after a verb is a place said before", STUDENTS, "وكم معلماً يعمل هناك؟", "points-back"],
    ["an adverb of time said before (حينئذ)", DELEGATION, "وماذا حدث حينئذ؟", "points-back"],
    ["a pronoun with nothing after the question word", STUDENTS, "ومن هو؟", "points-back"],
    ["a pronoun after هل is a subject, not a copula", DELEGATION, "وهل هو مستعد للمفاوضات؟", "points-back"],
    // 3. Nothing of its own.
    ["a question word alone behind a conjunction", STUDENTS, "ولماذا؟", "no-content-word"],
    ["a question word of place alone", STUDENTS, "وأين؟", "no-content-word"],
    ["a question word alone, without a conjunction", STUDENTS, "متى؟", "no-content-word"],
    ["a Levantine question word alone", STUDENTS, "ووقتيش؟", "no-content-word"],
    ["a discourse marker before the question word", STUDENTS, "طيب ولماذا؟", "no-content-word"],
    // 4. The previous question asked of something else.
    ["what about X", "ما حجم التجارة بين روسيا وكازاخستان؟", "وماذا عن طاجيكستان؟", "what-about"],
    ["what about X, in Levantine", TRADE, "شو بالنسبة لكازاخستان؟", "what-about"],
    ["a bare topic behind a conjunction", TRADE, "وبالنسبة لأوزبكستان؟", "what-about"],
    ["a bare topic with عن", TRADE, "وعن كازاخستان؟", "what-about"],
    // 5. A piece of a sentence.
    ["a conjunction, a question word and the noun counted", DELEGATION, "وكم وزيراً؟", "fragment"],
    ["a conjunction, a question word and a verb without its subject", TRADE, "ومتى تعقد؟", "fragment"],
    ["a conjunction and a place, without a question word", TRADE, "وفي كازاخستان؟", "fragment"],
    ["a conjunction and a definite noun, without a question word", TRADE, "والقمة؟", "fragment"],
  ])("joins the previous question: %s", (_rule, previous, question, reason) => {
    expect(readFollowUp(previous, question)).toEqual({ followUp: true, reason });
  });

  it("reads harakat, tatweel and Arabic-Indic digits as the index does", () => {
    expect(readFollowUp(STUDENTS, "وَكَمْ عَدَدُهُـــمْ؟")).toEqual({ followUp: true, reason: "points-back" });
    expect(readFollowUp(TRADE, "مَتَى تُعْقَدُ القِمَّةُ؟")).toEqual({ followUp: false, reason: "new-subject" });
    expect(readFollowUp("كم بلغت التجارة في ٢٠٢٤؟", "وفي ٢٠٢٥؟")).toEqual({
      followUp: true,
      reason: "fragment",
    });
  });

  it("compares subjects by stem: a word of the previous question in another form is no new subject", () => {
    expect(readFollowUp("كم طالباً يدرس في الجامعات الروسية؟", "أين تقع الجامعات؟").reason).toBe(
      "new-subject",
    );
    expect(readFollowUp("كم طالباً يدرس في الجامعات الروسية؟", "ما الجامعة الروسية؟").reason).toBe(
      "same-subject",
    );
  });

  it("never throws, and decides the same way twice, on 500 random strings", () => {
    const random = mulberry32(7);
    // Code points, one by one: a fathatan or tatweel may land anywhere, as in text people type.
    const alphabet = Array.from("وفبلكالهمذتنيةىأإآ؟،. abcXYZ019٠٩\u064E\u0640");
    const text = (): string =>
      Array.from(
        { length: Math.floor(random() * 20) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join("");
    for (let n = 0; n < 500; n++) {
      const previous = text();
      const question = text();
      const verdict = readFollowUp(previous, question);
      expect(readFollowUp(previous, question)).toEqual(verdict);
      expect(verdict.followUp).toBe(
        ["points-back", "no-content-word", "what-about", "fragment"].includes(verdict.reason),
      );
    }
  });
});
