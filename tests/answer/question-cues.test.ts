import { describe, expect, it } from "vitest";

import { questionCues } from "../../src/answer/question-cues.js";
import type { ArticleTopic } from "../../src/text/index.js";
import { DIALECT_QUESTION_WORDS } from "../text/dialect-question-words.js";

describe("questionCues", () => {
  describe("when-questions", () => {
    it.each<[string, string]>([
      ["متى", "متى وصل بوتين إلى دوشنبه؟"],
      ["إمتى", "إمتى وصل بوتين دوشنبه؟"],
      ["امتى without hamza", "امتى وصل بوتين؟"],
      ["إيمتى", "إيمتى رح يشارك بوتين بقمة روسيا وآسيا الوسطى؟"],
      ["ايمتى without hamza", "ايمتى القمة؟"],
      ["إيمتا", "إيمتا بلشت القمة؟"],
      ["وقتيش", "وقتيش وصل الرئيس؟"],
      ["وإمتى with a glued و", "القمة اللي فاتت اتعملت فين وإمتى؟"],
      ["فمتى with a glued ف", "فمتى تبدأ القمة؟"],
      ["في أي عام", "في أي عام انطلقت القمة؟"],
      ["في أي سنة", "في أي سنة انطلقت القمة؟"],
      ["في أي شهر", "في أي شهر عقدت القمة في أستانا؟"],
      ["أي تاريخ", "في أي تاريخ عقد الاجتماع؟"],
      ["متى with harakat", "مَتَى عُقِدَ الاجتماعُ؟"],
    ])("reads %s as a when-question", (_word, question) => {
      expect(questionCues(question)).toMatchObject({ asksWhen: true, asksHowMany: false });
    });
  });

  describe("how-many questions", () => {
    it.each<[string, string]>([
      ["كم", "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟"],
      ["بكم", "بكم تقدر الاستثمارات الروسية؟"],
      ["فكم with a glued ف", "فكم وزيراً في الوفد؟"],
      ["وكم with a glued و", "وكم شركة روسية تعمل هناك؟"],
      ["كام", "روسيا هتصرف كام في السنة على الكتب المدرسية بالروسي؟"],
      ["قديش", "قديش في معلمين روس عم يعلّموا بمدارس طاجيكستان هلق؟"],
      ["أديش", "أديش وزير بالوفد؟"],
      ["چم", "چم مقعد منحة دراسية خصصت روسيا للطلاب الطاجيك؟"],
      ["جم", "جم مقعد خصصت روسيا؟"],
      ["قد إيه", "هو الوفد اللي مسافر مع بوتين كبير قد إيه؟"],
      ["أد إيه", "التجارة زادت أد إيه؟"],
      ["قداش", "قداش من وزير في الوفد؟"],
      ["شقد", "شقد طالب يدرس بروسيا؟"],
      ["ما مقدار", "ما مقدار الاستثمارات الروسية؟"],
      ["ما حجم", "ما حجم التجارة المتبادلة؟"],
      ["ما نسبة", "ما نسبة روسيا من التجارة الخارجية لطاجيكستان؟"],
    ])("reads %s as a how-many question", (_word, question) => {
      expect(questionCues(question)).toMatchObject({ asksWhen: false, asksHowMany: true });
    });

    it("does not read لكم (for you) as كم", () => {
      expect(questionCues("ماذا قدمت روسيا لكم؟").asksHowMany).toBe(false);
    });

    it("reads a question with both a when and a how-many word as both", () => {
      expect(questionCues("كم وزيراً رافق بوتين ومتى وصلوا؟")).toMatchObject({
        asksWhen: true,
        asksHowMany: true,
      });
    });
  });

  describe("dialect question words", () => {
    it.each(DIALECT_QUESTION_WORDS)("reads %s (%s) in a question", (word, asks) => {
      expect(questionCues(`${word} زيارة بوتين؟`)).toMatchObject({
        asksWhen: asks === "when",
        asksHowMany: asks === "how-many",
      });
    });
  });

  describe("phrases are matched as whole words", () => {
    // A phrase that ends or starts inside another word must not count: "انتقد إيه" ("criticised what")
    // holds the letters of "قد إيه", "في أي يومية" ("in which daily") those of "في أي يوم".
    it("does not read انتقد إيه (what did he criticise) as a how-many question", () => {
      expect(questionCues("بوتين انتقد إيه في القمة؟").asksHowMany).toBe(false);
    });

    it("does not read في أي يومية (in which daily) as a when-question", () => {
      expect(questionCues("في أي يومية نُشر الخبر؟").asksWhen).toBe(false);
    });
  });

  describe("questions about the article itself", () => {
    it.each<[string, ArticleTopic | undefined]>([
      ["ما مصدر الخبر؟", "source"],
      ["ما المصدر؟", "source"],
      ["أي وكالة أنباء نشرت هذا الخبر؟", "source"],
      ["من أين الصورة المرفقة بالخبر؟", "photo"],
      ["من صاحب الصورة المرفقة بالمقال؟", "photo"],
      ["متى نُشر الخبر؟", "date"],
      ["ما تاريخ الخبر؟", "date"],
      ["من نشر الخبر؟", undefined],
      ["ما عنوان المقال؟", "title"],
      ["ما عنوان الخبر؟", "title"],
      ["ما العنوان؟", "title"],
      // عنوان is an address too: a question that names no article does not ask the title.
      ["ما عنوان السفارة الروسية في دوشنبه؟", undefined],
      ["من كاتب التقرير؟", undefined],
    ])("reads %s as about the article's %s (none: not a metadata question)", (question, topic) => {
      expect(questionCues(question).aboutArticle).toBe(topic);
    });

    it("reads متى نُشر الخبر؟ as a when-question too", () => {
      expect(questionCues("متى نُشر الخبر؟")).toMatchObject({
        asksWhen: true,
        asksHowMany: false,
        aboutArticle: "date",
      });
    });

    it("does not read a long question about the visit's photo-taking as about the article", () => {
      const question = "ماذا سيُجري الزعيمان بعد مراسم الاستقبال الرسمي والتقاط الصور؟";
      expect(questionCues(question).aboutArticle).toBeUndefined();
    });

    it("does not read a long question naming a news agency as about the article", () => {
      expect(questionCues("ماذا قالت وكالة الأنباء الروسية عن زيارة بوتين إلى دوشنبه؟").aboutArticle).toBe(
        undefined,
      );
    });
  });

  describe("plain questions", () => {
    it.each([
      "من هو رئيس طاجيكستان؟",
      "بماذا استُهلت زيارة الدولة التي يقوم بها بوتين إلى طاجيكستان؟",
      "أين التقى الرئيسان؟",
      "وين انعملت أيام الثقافة الطاجيكية بروسيا؟",
      "ما الملفات المحورية على جدول أعمال قمة روسيا وآسيا الوسطى؟",
      "",
      "؟؟",
    ])("reads %j as asking for no date, no number and nothing of the article", (question) => {
      expect(questionCues(question)).toMatchObject({
        asksWhen: false,
        asksHowMany: false,
        aboutArticle: undefined,
      });
    });
  });

  describe("who, where, definitions and verbs", () => {
    it.each<[string, Partial<Record<"asksWho" | "asksWhere" | "asksDefinition", boolean>>]>([
      ["من هو رئيس طاجيكستان؟", { asksWho: true, asksWhere: false, asksDefinition: true }],
      ["مين القادة اللي رح يلتقي فيهم بوتين بقمة آسيا الوسطى؟", { asksWho: true, asksDefinition: false }],
      ["أين التقى الرئيسان؟", { asksWhere: true, asksWho: false }],
      ["وين انعملت أيام الثقافة الطاجيكية بروسيا؟", { asksWhere: true }],
      ["ما هي دوشنبه؟", { asksDefinition: true }],
      ["كم عدد الطلاب؟", { asksWho: false, asksWhere: false, asksDefinition: false }],
      ["لكم التحية", { asksWho: false, asksDefinition: false }],
    ])("reads %s", (question, expected) => {
      expect(questionCues(question)).toMatchObject(expected);
    });

    it("reads the question's verbs in the imperfect, with their roots", () => {
      expect(questionCues("متى تُعقد القمة؟").verbs).toEqual([{ root: "عقد", aspect: "imperfect" }]);
      expect(questionCues("متى ستُعقد القمة؟").verbs).toEqual([{ root: "عقد", aspect: "imperfect" }]);
      // A perfect-looking word of a question is as often a noun: it is not read as a verb.
      expect(questionCues("متى عُقد الاجتماع؟").verbs).toEqual([]);
    });
  });
});
