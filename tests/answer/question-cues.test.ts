import { describe, expect, it } from "vitest";

import { metaLineTopic, questionCues, sentenceTraits, type ArticleTopic } from "../../src/answer/index.js";
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
    // BUG: HOW_MANY_PHRASES and WHEN_PHRASES are matched with `normalized.includes(phrase)`, so a phrase
    // that ends or starts inside another word counts: "انتقد إيه" ("criticised what") holds "قد إيه",
    // "في أي يومية" ("in which daily") holds "في أي يوم".
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
      ["ما عنوان المقال؟", undefined],
      ["من كاتب التقرير؟", undefined],
    ])("reads %s as about the article's %s (none: not a metadata question)", (question, topic) => {
      expect(questionCues(question).aboutArticle).toBe(topic);
    });

    it("reads متى نُشر الخبر؟ as a when-question too", () => {
      expect(questionCues("متى نُشر الخبر؟")).toEqual({
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
    ])("reads %j as having no cues", (question) => {
      expect(questionCues(question)).toEqual({
        asksWhen: false,
        asksHowMany: false,
        aboutArticle: undefined,
      });
    });
  });
});

describe("sentenceTraits", () => {
  const BASE_201 = "حيث تعمل القاعدة العسكرية الروسية رقم 201 بشكل وثيق مع القوات المسلحة الطاجيكستانية.";

  it("does not count a number the question already states (٢٠١ and 201)", () => {
    expect(sentenceTraits(BASE_201, "كم عدد الجنود الروس في القاعدة العسكرية ٢٠١؟")).toEqual({
      hasDate: false,
      hasNumber: false,
    });
  });

  it("counts the same number when the question does not state it", () => {
    expect(sentenceTraits(BASE_201, "كم عدد الجنود الروس في القاعدة العسكرية؟").hasNumber).toBe(true);
    expect(sentenceTraits(BASE_201).hasNumber).toBe(true);
  });

  it("counts another number beside the one the question states", () => {
    const sentence = "يخدم 7000 جندي في القاعدة رقم 201.";
    expect(sentenceTraits(sentence, "كم جندياً في القاعدة ٢٠١؟").hasNumber).toBe(true);
  });

  it("does not count a year the question already states", () => {
    const sentence = "ليصل حجم التجارة إلى مستوى قياسي في عام 2024";
    const question = "كم بلغ حجم التجارة المتبادلة بين روسيا وطاجيكستان في ٢٠٢٤؟";
    expect(sentenceTraits(sentence, question).hasNumber).toBe(false);
  });

  it.each<[string, string]>([
    ["digits", "ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية."],
    ["Arabic-Indic digits", "ويلتحق أكثر من ٣٥ طالباً طاجيكستانياً بالمؤسسات الروسية."],
    ["a decimal percentage", "استحوذت روسيا على 22.6% من التجارة الخارجية"],
    ["ألف", "يلتحق ألف طالب بالمؤسسات الروسية."],
    ["مليون", "بتخصيص سنوي يصل إلى مئتي مليون روبل."],
    ["مليار", "تجاوزت التجارة نحو مليار دولار."],
    ["خمس", "يتبادل الجانبان حوالي خمس وثائق موقعة."],
    ["a number word with a clitic (وخمسة)", "وصل ثلاثة وزراء وخمسة نواب."],
  ])("counts %s as a number", (_kind, sentence) => {
    expect(sentenceTraits(sentence).hasNumber).toBe(true);
  });

  it.each<[string, string]>([
    ["أكتوبر", "عُقد اجتماع غير رسمي في أكتوبر."],
    ["يونيو/حزيران", "في أوائل يونيو/حزيران مبادرات تعليمية مستمرة."],
    ["تشرين", "عُقدت القمة في تشرين الأول."],
    ["أمس", "عُقد اجتماع غير رسمي مساء أمس."],
    ["a year", "انطلقت القمة عام 2019 على مستوى وزراء الخارجية."],
    ["a bare year", "تأسست المنظمة 1996 في شنغهاي."],
    ["بفبراير with a clitic", "وقعت الاتفاقية بفبراير."],
    // BUG: the clitic ف is stripped from فبراير ("براير"), so February is never read as a month.
    ["فبراير", "وقعت الاتفاقية في فبراير."],
  ])("counts %s as a date", (_kind, sentence) => {
    expect(sentenceTraits(sentence).hasDate).toBe(true);
  });

  it.each([
    "يرافق الرئيس بوتين في هذه الزيارة وفد كبير.",
    "تحافظ موسكو ودوشنبه على تنسيق وثيق في الأطر متعددة الأطراف.",
  ])("finds neither a number nor a date in %j", (sentence) => {
    expect(sentenceTraits(sentence)).toEqual({ hasDate: false, hasNumber: false });
  });

  it("does not read a number that is not a year as a date", () => {
    expect(sentenceTraits("أكثر من 300 شركة روسية.")).toEqual({ hasDate: false, hasNumber: true });
  });

  it("reads a year as a number and a date", () => {
    expect(sentenceTraits("في عام 2024")).toEqual({ hasDate: true, hasNumber: true });
  });
});

describe("metaLineTopic", () => {
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
  ])("reads %j as a %s line", (line, topic) => {
    expect(metaLineTopic(line)).toBe(topic);
  });

  it("reads the label after normalization (hamza and harakat)", () => {
    expect(metaLineTopic("الصُّورَة: الموقع الرسمي")).toBe("photo");
  });
});
