import { beforeAll, describe, expect, it } from "vitest";

import { askedFact } from "../../src/answer/asked-fact.js";
import type { Answer, ArticleRecord } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import {
  keepMarkersWithWords,
  layoutReply,
  sourceOf,
  type ReplyLayout,
  type Span,
} from "../../src/reply/index.js";
import { withoutLeadingConnector } from "../../src/text/index.js";
import {
  answerAboutTass,
  answerCiting,
  answerOf,
  answersToGoldQuestions,
  BOOK_FAIR,
  CAIRO,
  CAIRO_SOURCE,
  cite,
  COMPANIES,
  FAIR_DATES,
  hedgedStudentsAnswer,
  NBSP,
  REFUSAL,
  SEATS,
  STUDENTS,
  STUDENTS_QUESTION,
  STUDENTS_SHOWN,
  studentsAnswer,
  studentsAnswerRelatingCairo,
  TASS,
  TASS_SOURCE,
  TASS_TITLE,
  TASS_UNDATED,
  twoArticlesAnswer,
} from "./fixtures.js";

/** A sentence of the corpus's article, on the informal meeting; it opens with a connector longer than «و». */
const MEETING =
  "على إثر ذلك عُقِد اجتماع غير رسمي بين فلاديمير بوتين ورئيس طاجيكستان - إمام علي رحمون، وذلك مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025.";

/** The numbers of the quotes of a layout, block by block. */
const quoteNumbers = (layout: ReplyLayout): number[][] =>
  layout.sources.map((block) => block.quotes.map(({ n }) => n));

describe("layoutReply", () => {
  it("shows an extractive answer's sentence as the answer only: no quote for [1]", () => {
    expect(layoutReply(studentsAnswer())).toStrictEqual({
      paragraphs: [
        [
          { text: "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من " },
          { text: "35 ألف", bold: true },
          { text: ` طالب طاجيكستاني بالمؤسسات الروسية${NBSP}[1].` },
        ],
      ],
      sources: [{ source: TASS_SOURCE, title: TASS_TITLE, quotes: [] }],
      related: [
        { n: 2, text: SEATS },
        { n: 3, text: COMPANIES },
      ],
      offersWayForward: false,
    });
  });

  it("does not quote a sentence shown without a longer leading connector, its fact by the marker", () => {
    const fact = "مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025";
    const layout = layoutReply(
      answerOf({
        question: "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟",
        mode: "extractive",
        answer: `${withoutLeadingConnector(MEETING).slice(0, -1)} [1].`,
        citations: [cite(1, TASS, MEETING, 1)],
        fact,
      }),
    );

    expect(layout.paragraphs).toEqual([
      [
        {
          text: "عُقِد اجتماع غير رسمي بين فلاديمير بوتين ورئيس طاجيكستان - إمام علي رحمون، وذلك ",
        },
        { text: fact, bold: true },
        { text: `${NBSP}[1].` },
      ],
    ]);
    expect(layout.sources).toEqual([{ source: TASS_SOURCE, title: TASS_TITLE, quotes: [] }]);
    expect(layout.related).toEqual([]);
  });

  it("shows a hedged answer's closest sentence once, after the hedge, under its article", () => {
    const layout = layoutReply(
      hedgedStudentsAnswer({ citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16)] }),
    );

    expect(layout.paragraphs).toEqual([[{ text: MESSAGES.hedge }], [{ text: STUDENTS_SHOWN }]]);
    expect(layout.sources).toEqual([{ source: TASS_SOURCE, title: TASS_TITLE, quotes: [] }]);
    expect(layout.related).toEqual([{ n: 2, text: SEATS }]);
  });

  it("quotes both sentences an answer in its own words cites from one article, in one block", () => {
    const layout = layoutReply(
      answerOf({
        answer: "يدرس في روسيا أكثر من 35 ألف طالب طاجيكي [1]، وقد خصصت لهم روسيا 1000 مقعد ممول [2].",
        citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16)],
      }),
    );

    expect(layout.sources).toEqual([
      {
        source: TASS_SOURCE,
        title: TASS_TITLE,
        quotes: [
          { n: 1, text: STUDENTS },
          { n: 2, text: SEATS },
        ],
      },
    ]);
    expect(layout.related).toEqual([]);
  });

  it("does not quote a sentence the model's answer repeats word for word, and quotes the other", () => {
    const layout = layoutReply(
      answerOf({
        answer: `${withoutLeadingConnector(SEATS).slice(0, -1)} [1]. ويدرس هناك أكثر من 35 ألف طالب [2].`,
        citations: [cite(1, TASS, SEATS, 16), cite(2, TASS, STUDENTS, 15)],
      }),
    );

    expect(quoteNumbers(layout)).toEqual([[2]]);
  });

  it("gives each cited article one block, in order of first citation", () => {
    const layout = layoutReply(twoArticlesAnswer());

    expect(layout.sources).toEqual([
      {
        source: CAIRO_SOURCE,
        title: CAIRO.title,
        quotes: [
          { n: 1, text: BOOK_FAIR },
          { n: 3, text: FAIR_DATES },
        ],
      },
      { source: TASS_SOURCE, title: TASS_TITLE, quotes: [{ n: 2, text: STUDENTS }] },
    ]);
  });

  it("names an article without a date by its source alone", () => {
    const layout = layoutReply(
      answerCiting("يلتحق بالجامعات الروسية 35 ألف طالب [1].", STUDENTS, TASS_UNDATED),
    );

    expect(layout.sources).toEqual([
      { source: "تاس (TASS)", title: TASS_UNDATED.title, quotes: [{ n: 1, text: STUDENTS }] },
    ]);
  });

  it("lists the citations the answer's text does not refer to as related, naming only another article", () => {
    const layout = layoutReply(studentsAnswerRelatingCairo());

    expect(layout.sources).toEqual([{ source: TASS_SOURCE, title: TASS_TITLE, quotes: [] }]);
    expect(layout.related).toStrictEqual([
      { n: 2, text: BOOK_FAIR, source: `${CAIRO_SOURCE} — ${CAIRO.title}` },
      { n: 3, text: SEATS },
    ]);
  });

  it("names no article under a related sentence of an article the answer cites", () => {
    const layout = layoutReply(
      answerOf({
        answer: "افتُتح المعرض بمشاركة 1345 دار نشر [1]، ويدرس في روسيا 35 ألف طالب طاجيكي [2].",
        citations: [cite(1, CAIRO, BOOK_FAIR, 0), cite(2, TASS, STUDENTS, 15), cite(3, CAIRO, FAIR_DATES, 1)],
      }),
    );

    expect(layout.sources.map(({ source }) => source)).toEqual([CAIRO_SOURCE, TASS_SOURCE]);
    expect(layout.related).toStrictEqual([{ n: 3, text: FAIR_DATES }]);
  });

  it("still names the article of an answer whose text refers to no citation", () => {
    const layout = layoutReply(
      answerOf({
        answer: "يدرس في روسيا عدد كبير من الطلاب الطاجيك.",
        citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16)],
      }),
    );

    expect(layout.sources).toEqual([{ source: TASS_SOURCE, title: TASS_TITLE, quotes: [] }]);
    expect(layout.related).toStrictEqual([
      { n: 1, text: STUDENTS },
      { n: 2, text: SEATS },
    ]);
  });

  it("names the title after an answer about the article's source or date, not after one that states it", () => {
    const about = (question: string, answer: string): ReplyLayout =>
      layoutReply(answerAboutTass(question, answer));
    const source = about("ما مصدر الخبر؟", MESSAGES.aboutSource("تاس (TASS)", "9 أكتوبر/تشرين الأول 2025"));
    const date = about("متى نُشر الخبر؟", MESSAGES.aboutDate("9 أكتوبر/تشرين الأول 2025", "تاس (TASS)"));
    const title = about(
      "ما عنوان الخبر؟",
      MESSAGES.aboutTitle(TASS_TITLE, "تاس (TASS)", "9 أكتوبر/تشرين الأول 2025"),
    );

    expect(source).toStrictEqual({
      paragraphs: [[{ text: "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025." }]],
      sources: [{ source: "", title: TASS_TITLE, quotes: [], about: true }],
      related: [],
      offersWayForward: false,
    });
    expect(date.sources).toEqual([{ source: "", title: TASS_TITLE, quotes: [], about: true }]);
    expect(title.sources).toEqual([]);
    expect(title.related).toEqual([]);
  });

  it("shows the question, trimmed, only when asked to", () => {
    const asked = { ...studentsAnswer(), question: `  ${STUDENTS_QUESTION}\n` };

    expect(layoutReply(asked, { showQuestion: true }).question).toBe(STUDENTS_QUESTION);
    expect(layoutReply(asked)).not.toHaveProperty("question");
    expect(layoutReply(asked, { showQuestion: false })).not.toHaveProperty("question");
  });

  it("keeps the notice apart from the answer's paragraphs", () => {
    const layout = layoutReply(studentsAnswer({ mode: "llm", notice: MESSAGES.llmFallback }));

    expect(layout.notice).toBe(MESSAGES.llmFallback);
    expect(layout.paragraphs.flat().map(({ text }) => text)).not.toContain(MESSAGES.llmFallback);
    expect(layoutReply(studentsAnswer())).not.toHaveProperty("notice");
  });

  it("lays out a refusal as its text alone, and says it is one", () => {
    expect(layoutReply(REFUSAL)).toStrictEqual({
      paragraphs: [[{ text: MESSAGES.refusal }]],
      sources: [],
      related: [],
      offersWayForward: true,
    });
  });

  it("splits the answer into its lines, trimmed, without blank ones", () => {
    const layout = layoutReply(answerOf({ answer: "  السطر الأول [1]  \n\n \nالسطر الثاني\n" }));

    expect(layout.paragraphs).toEqual([[{ text: `السطر الأول${NBSP}[1]` }], [{ text: "السطر الثاني" }]]);
  });

  it.each<[string, string, string, Answer["fact"], Span[]]>([
    [
      "a fact in the middle",
      "كم شركة روسية تعمل في طاجيكستان؟",
      "تعد روسيا مستثمر رئيسي في الاقتصاد الطاجيكستاني، وأكثر من 300 شركة روسية عاملة في الجمهورية [1].",
      "300",
      [
        { text: "تعد روسيا مستثمر رئيسي في الاقتصاد الطاجيكستاني، وأكثر من " },
        { text: "300", bold: true },
        { text: ` شركة روسية عاملة في الجمهورية${NBSP}[1].` },
      ],
    ],
    [
      "a fact at the start",
      "متى تُعقد القمة؟",
      "2025 - 2027 فترة خطة العمل المشتركة [1].",
      "2025 - 2027",
      [{ text: "2025 - 2027", bold: true }, { text: ` فترة خطة العمل المشتركة${NBSP}[1].` }],
    ],
    [
      "a fact absent from the answer",
      "كم طالباً؟",
      "يدرس الطلاب في روسيا [1].",
      "35 ألف",
      [{ text: `يدرس الطلاب في روسيا${NBSP}[1].` }],
    ],
    [
      "an empty fact",
      "كم طالباً؟",
      "يدرس الطلاب في روسيا [1].",
      "",
      [{ text: `يدرس الطلاب في روسيا${NBSP}[1].` }],
    ],
    [
      "no fact",
      "كم طالباً؟",
      "يدرس الطلاب في روسيا [1].",
      undefined,
      [{ text: `يدرس الطلاب في روسيا${NBSP}[1].` }],
    ],
  ])("splits a paragraph into spans: %s", (_name, question, answer, fact, spans) => {
    const layout = layoutReply(
      answerOf({ question, answer, mode: "extractive", ...(fact === undefined ? {} : { fact }) }),
    );

    expect(layout.paragraphs).toStrictEqual([spans]);
  });

  it("sets in bold the fact where the answer states it, not inside a longer number before it", () => {
    const question = "كم وزيراً يضم الوفد؟";
    const sentence = "في عام 2025 ضم الوفد 20 وزيراً.";
    const fact = askedFact(question, sentence);
    expect(fact).toBe("20");

    const layout = layoutReply(
      answerOf({
        question,
        mode: "extractive",
        answer: "في عام 2025 ضم الوفد 20 وزيراً [1].",
        citations: [cite(1, TASS, sentence)],
        ...(fact === undefined ? {} : { fact }),
      }),
    );

    expect(layout.paragraphs).toEqual([
      [{ text: "في عام 2025 ضم الوفد " }, { text: "20", bold: true }, { text: ` وزيراً${NBSP}[1].` }],
    ]);
  });
});

describe("keepMarkersWithWords", () => {
  it.each<[string, string, string]>([
    [
      "a marker of two numbers",
      "نمت التجارة في عام 2024 [1، 3].",
      `نمت التجارة في عام 2024${NBSP}[1،${NBSP}3].`,
    ],
    ["several markers", "نص [1]، ونص آخر [2].", `نص${NBSP}[1]، ونص آخر${NBSP}[2].`],
    ["spaces inside the brackets", "نص [ 3 ]", `نص${NBSP}[${NBSP}3${NBSP}]`],
    ["a marker of Arabic-Indic digits and a Latin comma", "نص  [١, ٢]", `نص${NBSP}[١,${NBSP}٢]`],
    ["a marker glued to its word", "نص[1].", "نص[1]."],
    ["a marker that opens the line", "[2] رقم في أول السطر", "[2] رقم في أول السطر"],
    ["text without markers", "نص بلا علامات [مثلاً] هنا.", "نص بلا علامات [مثلاً] هنا."],
  ])("leaves no breaking space before or inside %s", (_name, text, kept) => {
    const result = keepMarkersWithWords(text);

    expect(result).toBe(kept);
    expect(result).not.toMatch(/[^\S\u00A0]\[[\s\d\u0660-\u0669,،]*\]|\[[^\]]*[^\S\u00A0][^\]]*\]/u);
  });
});

describe("sourceOf", () => {
  it.each<[string, ArticleRecord, string]>([
    ["its source and date", TASS, TASS_SOURCE],
    ["its source alone", TASS_UNDATED, "تاس (TASS)"],
    ["its date alone", { id: "x", title: "عنوان", published: "2025-10-09" }, "9 أكتوبر/تشرين الأول 2025"],
    ["nothing when it has neither: an empty line", { id: "x", title: "عنوان" }, ""],
  ])("names an article by %s", (_name, article, line) => {
    expect(sourceOf(article)).toBe(line);
  });
});

describe("layoutReply over the answers to the gold questions", () => {
  let answers: Answer[];

  beforeAll(async () => {
    answers = await answersToGoldQuestions();
  });

  it("shows every citation once: as the answer, as a quote under its article, or as a related sentence", () => {
    const answered = answers.filter((answer) => !answer.refused && answer.about === undefined);
    expect(answered.length).toBeGreaterThan(40);
    for (const answer of answered) {
      const layout = layoutReply(answer);
      const quoted = layout.sources.flatMap((block) => block.quotes.map(({ n }) => n));
      const related = layout.related.map(({ n }) => n);
      const [best] = answer.citations;

      // The best sentence is the answer, so it is neither quoted nor related; the others are related.
      expect({ question: answer.question, quoted, related }).toEqual({
        question: answer.question,
        quoted: [],
        related: answer.citations.slice(1).map(({ n }) => n),
      });
      expect(best?.n).toBe(1);
      expect(layout.sources).toEqual([{ source: TASS_SOURCE, title: TASS_TITLE, quotes: [] }]);
      expect(layout.related.every((quote) => quote.source === undefined)).toBe(true);
    }
  });

  it("answers a question about the article from its fields, naming the title unless it is stated", () => {
    const about = answers.filter((answer) => answer.about !== undefined);
    expect(about.length).toBeGreaterThan(0);
    for (const answer of about) {
      const { sources } = layoutReply(answer);
      expect(sources).toEqual(
        answer.answer.includes(TASS_TITLE)
          ? []
          : [{ source: "", title: TASS_TITLE, quotes: [], about: true }],
      );
    }
  });
});
