import type { MessageEntity } from "grammy/types";
import { describe, expect, it } from "vitest";
import { mulberry32 as prng } from "../support/prng.js";

import type { Answer, ArticleRecord } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import {
  EXPANDABLE_QUOTE_FROM,
  formatAnswerMessage,
  splitMessage,
  TELEGRAM_TEXT_LIMIT,
  toPlainText,
  type FormattedText,
  type MessageOptions,
} from "../../src/bot/format.js";
import { BOT_MESSAGES } from "../../src/bot/messages.js";
import { REPLY_MESSAGES } from "../../src/reply/index.js";
import {
  answerAboutTass,
  answerCiting,
  answerOf,
  BOOK_FAIR,
  CAIRO,
  CAIRO_LINE,
  CAIRO_SOURCE,
  cite,
  COMPANIES,
  FAIR_DATES,
  NBSP,
  REFUSAL,
  RELATED,
  SEATS,
  SOURCE,
  STUDENTS,
  STUDENTS_QUESTION,
  STUDENTS_SHOWN,
  studentsAnswer,
  studentsAnswerRelatingCairo,
  TASS,
  TASS_LINE,
  TASS_TITLE,
  TASS_UNDATED,
  TWO_ARTICLES_TEXT,
  twoArticlesAnswer,
} from "../reply/fixtures.js";
import { LRM, occurrences, opensRightToLeft, RLM } from "../support/reply-lines.js";

const A = "أ".repeat(30);
const B = "ب".repeat(39);
const TITLE_LABEL = "عنوان الخبر:";

/** An article whose source and title are Latin and full of markup characters. */
const BBC: ArticleRecord = { id: "bbc", title: "BBC <b>News</b> & *Arabic*", source: "BBC" };

/** A sentence of the corpus's article, on trade. */
const TRADE =
  "في العام الماضي، استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان، مع نمو حجم التجارة المتبادلة بنسبة 7.1% في عام 2024 ليصل إلى 1.5 مليار دولار أمريكي، وزيادة أخرى بنسبة 17.3% في الأشهر السبعة الأولى من هذا العام.";

/** A Latin answer after the Arabic notice that the model's answer could not be checked. */
const LATIN_AFTER_NOTICE = answerOf({
  notice: MESSAGES.llmFallback,
  answer: "TASS: 35 ألف طالب طاجيكي [1].",
  citations: [cite(1, TASS, STUDENTS)],
});

/**
 * Every line that is not blank opens (after spaces) with a right-to-left mark or a right-to-left letter,
 * and has the mark only where it needs it: the rest of a marked line does not open with such a letter.
 */
function expectEveryLineRightToLeft(text: string): void {
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const start = line.trimStart();
    const laidOut = opensRightToLeft(start);
    // Needless: what follows the mark opens with a right-to-left letter (not a blank, nor a second mark).
    const rest = start.slice(RLM.length).trimStart();
    const markedNeedlessly =
      start.startsWith(RLM) && rest !== "" && !rest.startsWith(RLM) && opensRightToLeft(rest);
    expect({ line, laidOut, markedNeedlessly }).toEqual({ line, laidOut: true, markedNeedlessly: false });
  }
}

/** Each entity as its type and the text it covers. */
const covered = (message: FormattedText): [string, string][] =>
  message.entities.map((entity) => [
    entity.type,
    message.text.slice(entity.offset, entity.offset + entity.length),
  ]);

const isQuote = (entity: MessageEntity): boolean =>
  entity.type === "blockquote" || entity.type === "expandable_blockquote";

/** Where each part starts in the original text; fails unless the parts and blank gaps rebuild it. */
function partStarts(original: string, parts: readonly FormattedText[]): number[] {
  const starts: number[] = [];
  let position = 0;
  for (const part of parts) {
    const rest = original.slice(position);
    const gap = rest.length - rest.trimStart().length;
    expect(rest.slice(0, gap).trim()).toBe("");
    expect(original.startsWith(part.text, position + gap)).toBe(true);
    starts.push(position + gap);
    position += gap + part.text.length;
  }
  expect(original.slice(position).trim()).toBe("");
  return starts;
}

function expectValidParts(original: FormattedText, parts: readonly FormattedText[], limit: number): void {
  for (const part of parts) {
    expect(part.text.length).toBeLessThanOrEqual(limit);
    expect(part.text.trim()).not.toBe("");
    expect(isLowSurrogate(part.text.charCodeAt(0))).toBe(false);
    expect(isHighSurrogate(part.text.charCodeAt(part.text.length - 1))).toBe(false);
    for (const entity of part.entities) {
      expect(entity.offset).toBeGreaterThanOrEqual(0);
      expect(entity.length).toBeGreaterThan(0);
      expect(entity.offset + entity.length).toBeLessThanOrEqual(part.text.length);
    }
  }
  const starts = partStarts(original.text, parts);
  // Every character keeps the entity types it had, and gains none.
  const typesAt = (entities: readonly MessageEntity[], index: number): string[] =>
    entities
      .filter((entity) => entity.offset <= index && index < entity.offset + entity.length)
      .map((entity) => entity.type)
      .sort();
  parts.forEach((part, p) => {
    const start = starts[p] ?? 0;
    for (let index = 0; index < part.text.length; index++) {
      expect(typesAt(part.entities, index)).toEqual(typesAt(original.entities, start + index));
    }
  });
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** The non-blank span of each quote lies in one part: the quote was not cut. */
function expectQuotesWhole(original: FormattedText, parts: readonly FormattedText[]): void {
  const starts = partStarts(original.text, parts);
  for (const quote of original.entities.filter(isQuote)) {
    const body = original.text.slice(quote.offset, quote.offset + quote.length);
    if (body.trim() === "") continue;
    const from = quote.offset + (body.length - body.trimStart().length);
    const to = quote.offset + body.trimEnd().length;
    const holders = parts.filter((part, p) => {
      const start = starts[p] ?? 0;
      return start <= from && to <= start + part.text.length;
    });
    expect(holders).toHaveLength(1);
  }
}

const ARABIC_WORDS = ["روسيا", "طاجيكستان", "الطلاب", "التعليم", "مُعلّمٌ", "في", "من", "٢٢٫٦٪", "«المنح»"];
const LATIN_WORDS = ["BBC", "news", "2024", "<b>", "&amp;", "*bold*", "_x_", "[1]"];
const EMOJI = ["😀", "🇷🇺", "👩‍🏫", "❤️", "𝐀"];
const SEPARATORS = [" ", " ", " ", "\n", "\n\n", ". ", "؟ ", "! ", "؛ ", "، ", "  "];

/** A random message: words of three scripts, separators, and entities on token boundaries. */
function randomMessage(random: () => number): FormattedText {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const tokens: string[] = [];
  const count = Math.floor(random() * 400);
  for (let i = 0; i < count; i++) {
    const roll = random();
    if (roll < 0.35) tokens.push(pick(ARABIC_WORDS));
    else if (roll < 0.5) tokens.push(pick(LATIN_WORDS));
    else if (roll < 0.6) tokens.push(pick(EMOJI));
    else if (roll < 0.63) tokens.push(pick(EMOJI).repeat(1 + Math.floor(random() * 40)));
    else tokens.push(pick(SEPARATORS));
  }
  const bounds = [0];
  for (const token of tokens) bounds.push((bounds[bounds.length - 1] ?? 0) + token.length);
  const span = (from: number, to: number) => ({
    offset: bounds[from] ?? 0,
    length: (bounds[to] ?? 0) - (bounds[from] ?? 0),
  });

  const entities: MessageEntity[] = [];
  // Blockquotes do not overlap one another, as in Telegram.
  for (let i = 0; i < tokens.length; i++) {
    if (random() >= 0.05) continue;
    const end = Math.min(tokens.length, i + 1 + Math.floor(random() * 60));
    const quote = span(i, end);
    if (quote.length > 0) {
      entities.push({ type: random() < 0.5 ? "blockquote" : "expandable_blockquote", ...quote });
    }
    i = end;
  }
  for (let i = 0; i < tokens.length; i++) {
    if (random() >= 0.04) continue;
    const styled = span(i, Math.min(tokens.length, i + 1 + Math.floor(random() * 10)));
    if (styled.length > 0) entities.push({ type: random() < 0.5 ? "bold" : "italic", ...styled });
  }
  return { text: tokens.join(""), entities };
}

describe("formatAnswerMessage", () => {
  it("shows an extractive answer once, names its article once, and collapses the related sentences", () => {
    const message = formatAnswerMessage(studentsAnswer());

    expect(message.text.split("\n")).toEqual([
      STUDENTS_SHOWN,
      "",
      TASS_LINE,
      "",
      RELATED,
      `${RLM}[2] ${SEATS}`,
      `${RLM}[3] ${COMPANIES}`,
    ]);
    expect(covered(message)).toEqual([
      ["bold", "35 ألف"],
      ["bold", SOURCE],
      ["bold", RELATED],
      ["expandable_blockquote", `${RLM}[2] ${SEATS}\n${RLM}[3] ${COMPANIES}`],
    ]);
    // The sentence shown as the answer is not quoted again, with or without its leading «و».
    expect(occurrences(message.text, "ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات")).toBe(1);
    expect(message.text).not.toContain(STUDENTS);
  });

  it("quotes the cited sentences an answer in its own words does not show, one source line per article", () => {
    const message = formatAnswerMessage(twoArticlesAnswer());

    // In order of first citation: the Cairo article ([1] and [3]) before the corpus's ([2]).
    expect(message.text.split("\n")).toEqual([
      TWO_ARTICLES_TEXT.replaceAll(" [", `${NBSP}[`),
      "",
      CAIRO_LINE,
      `${RLM}[1] ${BOOK_FAIR}`,
      `${RLM}[3] ${FAIR_DATES}`,
      "",
      TASS_LINE,
      `${RLM}[2] ${STUDENTS}`,
    ]);
    expect(covered(message)).toEqual([
      ["bold", SOURCE],
      ["blockquote", `${RLM}[1] ${BOOK_FAIR}`],
      ["blockquote", `${RLM}[3] ${FAIR_DATES}`],
      ["bold", SOURCE],
      ["blockquote", `${RLM}[2] ${STUDENTS}`],
    ]);
    expect(message.text).not.toContain(RELATED);
  });

  it("names an article without a date by its source and title", () => {
    const answer = "يلتحق أكثر من 35 ألف طالب طاجيكي بالمؤسسات الروسية [1].";
    const message = formatAnswerMessage(answerCiting(answer, STUDENTS, TASS_UNDATED));

    expect(message.text.split("\n")).toEqual([
      answer.replace(" [1]", `${NBSP}[1]`),
      "",
      `${SOURCE} تاس (TASS) — ${TASS_UNDATED.title}`,
      `${RLM}[1] ${STUDENTS}`,
    ]);
  });

  it("opens with the question, in bold, when asked to show it", () => {
    const shown = formatAnswerMessage(studentsAnswer(), { showQuestion: true });
    const [first, blank, answer] = shown.text.split("\n");

    expect(first).toBe(`${RLM}❓ ${STUDENTS_QUESTION}`);
    expect(blank).toBe("");
    expect(answer).toBe(STUDENTS_SHOWN);
    expect(covered(shown)[0]).toEqual(["bold", STUDENTS_QUESTION]);
    // Typed in the chat, the question is not repeated.
    const typed = formatAnswerMessage(studentsAnswer());
    expect(typed.text).not.toContain("❓");
    expect(typed.text).not.toContain(STUDENTS_QUESTION);
  });

  it("shows a notice as a plain line, in no italic, then a blank line", () => {
    const message = formatAnswerMessage(studentsAnswer({ mode: "llm", notice: MESSAGES.llmFallback }));

    expect(message.text.startsWith(`${MESSAGES.llmFallback}\n\n${STUDENTS_SHOWN}\n\n`)).toBe(true);
    expect(message.entities.map(({ type }) => type)).not.toContain("italic");
    expect(covered(message).filter(([, text]) => text.includes(MESSAGES.llmFallback))).toEqual([]);
  });

  it("sets the asked fact in bold exactly where the answer states it", () => {
    const message = formatAnswerMessage(
      answerOf({
        question: "كم بلغ حجم التجارة المتبادلة في عام 2024؟",
        mode: "extractive",
        answer:
          "في العام الماضي، استحوذت روسيا على 22.6% من التجارة الخارجية لطاجيكستان، مع نمو حجم التجارة المتبادلة بنسبة 7.1% في عام 2024 ليصل إلى 1.5 مليار دولار أمريكي [1].",
        citations: [cite(1, TASS, TRADE)],
        fact: "1.5 مليار دولار أمريكي",
      }),
      { showQuestion: true },
    );
    const bold = message.entities.filter(({ type }) => type === "bold");
    const fact = bold[1];

    expect(covered(message).slice(0, 2)).toEqual([
      ["bold", "كم بلغ حجم التجارة المتبادلة في عام 2024؟"],
      ["bold", "1.5 مليار دولار أمريكي"],
    ]);
    expect(fact?.offset).toBe(message.text.indexOf("1.5 مليار"));
    expect(fact?.length).toBe("1.5 مليار دولار أمريكي".length);
    expect(message.text.slice((fact?.offset ?? 0) + (fact?.length ?? 0))).toMatch(/^\u00A0\[1\]\.\n/u);
  });

  it("joins the markers to the word before them, and the numbers inside a marker, with no-break spaces", () => {
    const answer = "نمت التجارة المتبادلة بنسبة 7.1% في عام 2024 [1، 3]. ووصلت إلى 1.5 مليار دولار [2].";
    const message = formatAnswerMessage(
      answerOf({ answer, citations: [cite(1, TASS, TRADE), cite(2, TASS, COMPANIES), cite(3, TASS, SEATS)] }),
    );
    const [first] = message.text.split("\n");

    expect(first).toBe(
      `نمت التجارة المتبادلة بنسبة 7.1% في عام 2024${NBSP}[1،${NBSP}3]. ووصلت إلى 1.5 مليار دولار${NBSP}[2].`,
    );
    // No line may break before a marker or inside one.
    expect(first).not.toMatch(/[^\S\u00A0]\[|\[[^\]]*[^\S\u00A0][^\]]*\]/u);
  });

  it.each<[string, MessageOptions, string]>([
    ["the bot's way forward", { wayForward: BOT_MESSAGES.wayForward }, BOT_MESSAGES.wayForward],
    ["the plain-text way forward by default", {}, REPLY_MESSAGES.wayForward],
  ])("goes on after a refusal with %s", (_name, options, wayForward) => {
    const message = formatAnswerMessage(REFUSAL, options);

    expect(message.text).toBe(`${MESSAGES.refusal}\n\n${wayForward}`);
    expect(message.entities).toEqual([]);
  });

  it("shows the question before a refusal asked by a button, and offers no way forward after an answer", () => {
    const refusal = formatAnswerMessage(REFUSAL, { showQuestion: true, wayForward: BOT_MESSAGES.wayForward });
    expect(refusal.text).toBe(
      `${RLM}❓ ${REFUSAL.question}\n\n${MESSAGES.refusal}\n\n${BOT_MESSAGES.wayForward}`,
    );
    expect(covered(refusal)).toEqual([["bold", REFUSAL.question]]);

    const answer = formatAnswerMessage(studentsAnswer(), { wayForward: BOT_MESSAGES.wayForward });
    expect(answer.text).not.toContain(BOT_MESSAGES.wayForward);
  });

  it("names the article's title after an answer about its source, and not after one that states the title", () => {
    const source = formatAnswerMessage(
      answerAboutTass("ما مصدر الخبر؟", MESSAGES.aboutSource("تاس (TASS)", "9 أكتوبر/تشرين الأول 2025")),
    );
    expect(source.text).toBe(
      `مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.\n\n${TITLE_LABEL} ${TASS_TITLE}`,
    );
    expect(covered(source)).toEqual([["bold", TITLE_LABEL]]);

    const title = MESSAGES.aboutTitle(TASS_TITLE, "تاس (TASS)", "9 أكتوبر/تشرين الأول 2025");
    const stated = formatAnswerMessage(answerAboutTass("ما عنوان الخبر؟", title));
    expect(stated.text).toBe(title);
    expect(occurrences(stated.text, TASS_TITLE)).toBe(1);
    expect(stated.entities).toEqual([]);
  });

  it("names the article of a related sentence from another article under it", () => {
    const message = formatAnswerMessage(studentsAnswerRelatingCairo());

    expect(message.text.split("\n").slice(-4)).toEqual([
      RELATED,
      `${RLM}[2] ${BOOK_FAIR}`,
      `${RLM}— ${CAIRO_SOURCE} — ${CAIRO.title}`,
      `${RLM}[3] ${SEATS}`,
    ]);
    expect(covered(message).at(-1)).toEqual([
      "expandable_blockquote",
      `${RLM}[2] ${BOOK_FAIR}\n${RLM}— ${CAIRO_SOURCE} — ${CAIRO.title}\n${RLM}[3] ${SEATS}`,
    ]);
    expect(occurrences(message.text, SOURCE)).toBe(1);
  });

  it("leaves markup characters of the answer, titles and sentences as they are", () => {
    const answer = "النص <b>ليس عريضًا</b> & لا *نجوم* ولا _خطوط_ [1]";
    const sentence = "جملة فيها <i>وسم</i> &amp; و`كود` و[رابط](http://x)";
    const message = formatAnswerMessage(answerOf({ answer, citations: [cite(1, BBC, sentence)] }));

    expect(message.text).toBe(
      `النص <b>ليس عريضًا</b> & لا *نجوم* ولا _خطوط_${NBSP}[1]\n\n${SOURCE} BBC — BBC <b>News</b> & *Arabic*\n${RLM}[1] ${sentence}`,
    );
    expect(message).not.toHaveProperty("parse_mode");
    expect(covered(message)).toEqual([
      ["bold", SOURCE],
      ["blockquote", `${RLM}[1] ${sentence}`],
    ]);
  });

  it("has no source line and no entities without citations, notice or question", () => {
    const message = formatAnswerMessage(answerOf({ answer: "لا تتضمن المقالات إجابة عن هذا السؤال." }));

    expect(message.text).toBe("لا تتضمن المقالات إجابة عن هذا السؤال.");
    expect(message.entities).toEqual([]);
  });

  it.each<[string, number, MessageEntity["type"]]>([
    ["one letter", 5, "blockquote"],
    ["exactly the threshold", EXPANDABLE_QUOTE_FROM, "blockquote"],
    ["one unit past the threshold", EXPANDABLE_QUOTE_FROM + 1, "expandable_blockquote"],
    ["far past the threshold", 2000, "expandable_blockquote"],
  ])("quotes «[n] sentence» of %s (%i units) as %s", (_name, length, type) => {
    const sentence = "م".repeat(length - "[1] ".length);
    const message = formatAnswerMessage(answerCiting("نص [1]", sentence));

    expect(covered(message).at(-1)).toEqual([type, `${RLM}[1] ${sentence}`]);
  });

  it.each<[number, MessageEntity["type"]]>([
    [148, "blockquote"],
    [149, "expandable_blockquote"],
  ])("counts a quote's length in UTF-16 units: «[1] » and %i emoji", (count, type) => {
    const sentence = "😀".repeat(count);
    const message = formatAnswerMessage(answerCiting("نص [1]", sentence));

    expect(covered(message).at(-1)).toEqual([type, `${RLM}[1] ${sentence}`]);
  });

  it("puts every entity on the text it marks, counting UTF-16 units past Arabic and emoji", () => {
    const question = "كم طالباً 🎓 طاجيكياً يدرس في روسيا؟";
    const notice = "⚠️ تعذّر التحقق 🔍 من الإجابة المصوغة";
    const first = "ويلتحق أكثر من 35 ألف طالب 🇹🇯 طاجيكستاني بالمؤسسات الروسية.";
    const second = "وقد خصصت روسيا 1000 مقعد 🎓 للمنح الدراسية.";
    const message = formatAnswerMessage(
      answerOf({
        question,
        notice,
        answer: "👩‍🏫 يدرس في روسيا 😀 أكثر من 35 ألف طالب 🇹🇯 طاجيكي [1]، وخُصّص لهم 1000 مقعد [2].",
        citations: [cite(1, TASS, first), cite(2, TASS, second), cite(3, CAIRO, BOOK_FAIR)],
        fact: "35 ألف",
      }),
      { showQuestion: true },
    );

    expect(covered(message)).toEqual([
      ["bold", question],
      ["bold", "35 ألف"],
      ["bold", SOURCE],
      ["blockquote", `${RLM}[1] ${first}`],
      ["blockquote", `${RLM}[2] ${second}`],
      ["bold", RELATED],
      ["expandable_blockquote", `${RLM}[3] ${BOOK_FAIR}\n${RLM}— ${CAIRO_SOURCE} — ${CAIRO.title}`],
    ]);
    expect(message.text.split("\n")).toEqual([
      `${RLM}❓ ${question}`,
      "",
      `${RLM}${notice}`,
      "",
      `${RLM}👩‍🏫 يدرس في روسيا 😀 أكثر من 35 ألف طالب 🇹🇯 طاجيكي${NBSP}[1]، وخُصّص لهم 1000 مقعد${NBSP}[2].`,
      "",
      TASS_LINE,
      `${RLM}[1] ${first}`,
      `${RLM}[2] ${second}`,
      "",
      RELATED,
      `${RLM}[3] ${BOOK_FAIR}`,
      `${RLM}— ${CAIRO_SOURCE} — ${CAIRO.title}`,
    ]);
  });

  it.each<[string, Answer, MessageOptions]>([
    [
      "an Arabic answer with its question, source and related sentences",
      studentsAnswer(),
      { showQuestion: true },
    ],
    [
      "an answer opening with a Latin name",
      answerCiting("BBC: يدرس أكثر من 35 ألف طالب طاجيكي في روسيا [1].", STUDENTS),
      {},
    ],
    [
      "an answer opening with a digit",
      answerCiting("2024 عام نمت فيه التجارة المتبادلة بنسبة 7.1% [1].", TRADE),
      {},
    ],
    [
      "an answer opening with an Arabic-Indic digit",
      answerCiting("٢٠٢٤ عام نمت فيه التجارة المتبادلة [1].", TRADE),
      {},
    ],
    [
      "an answer opening with «[»",
      answerCiting("[1] يلتحق أكثر من 35 ألف طالب طاجيكي بالمؤسسات الروسية.", STUDENTS),
      {},
    ],
    ["an answer opening with «", answerCiting("«المنح» الممولة من الدولة بلغت 1000 مقعد [1].", SEATS), {}],
    [
      "an answer opening with an emoji",
      answerCiting("🎓 يلتحق أكثر من 35 ألف طالب طاجيكي بالمؤسسات الروسية [1].", STUDENTS),
      {},
    ],
    [
      "a Latin notice before an Arabic answer",
      studentsAnswer({ notice: "LLM unavailable: the article's own words follow." }),
      {},
    ],
    ["an Arabic notice before a Latin answer", LATIN_AFTER_NOTICE, {}],
    [
      "quotes that open with a Latin word",
      answerOf({
        answer: "نقلت وكالتان ما قاله المسؤولون [1، 2].",
        citations: [
          cite(1, BBC, "BBC قالت إن 35 ألف طالب يدرسون في روسيا."),
          cite(2, TASS, "TASS: وقد خصصت روسيا 1000 مقعد."),
        ],
      }),
      {},
    ],
    [
      "related sentences, one of another article with a Latin source",
      studentsAnswer({
        citations: [
          cite(1, TASS, STUDENTS),
          cite(2, BBC, "Students: 35 ألف طالب."),
          cite(3, TASS, "2025 - 2026 عام دراسي بألف مقعد."),
        ],
      }),
      { showQuestion: true },
    ],
    ["a refusal with its way forward", REFUSAL, { showQuestion: true, wayForward: BOT_MESSAGES.wayForward }],
    [
      "an answer about the article",
      answerOf({
        answer: MESSAGES.aboutDate("9 أكتوبر/تشرين الأول 2025", "TASS"),
        about: { ...TASS, title: "TASS: Putin in Dushanbe" },
      }),
      {},
    ],
  ])("lays out every line of %s right to left", (_name, answer, options) => {
    expectEveryLineRightToLeft(formatAnswerMessage(answer, options).text);
  });

  it("marks a Latin answer after an Arabic notice: each line is laid out on its own", () => {
    const message = formatAnswerMessage(LATIN_AFTER_NOTICE);

    expect(message.text.split("\n").slice(0, 3)).toEqual([
      MESSAGES.llmFallback,
      "",
      `${RLM}TASS: 35 ألف طالب طاجيكي${NBSP}[1].`,
    ]);
    expect(covered(message)[0]).toEqual(["bold", SOURCE]);
  });

  it("marks every line of the answer that needs it, not only the first", () => {
    const answer = [MESSAGES.hedge, "2025 عام القمة [1]", "ونص عربي", "[2] رقم في أول السطر"].join("\n");
    const message = formatAnswerMessage(answerOf({ answer }));

    expect(message.text.split("\n")).toEqual([
      MESSAGES.hedge,
      `${RLM}2025 عام القمة${NBSP}[1]`,
      "ونص عربي",
      `${RLM}[2] رقم في أول السطر`,
    ]);
  });

  it("lays out the not-Arabic reply right to left, its English line whole with its final period", () => {
    const message = formatAnswerMessage({
      question: "How many students?",
      mode: "extractive",
      refused: false,
      confidence: "none",
      answer: MESSAGES.notArabic,
      citations: [],
      kind: "not-arabic",
    });
    const [arabic, english, ...rest] = message.text.split("\n");

    expect(rest).toEqual([]);
    expect(arabic).toBe(MESSAGES.notArabic.split("\n")[0]);
    expect(arabic?.startsWith(RLM)).toBe(false);
    // The mark in front lays the line out right to left like the rest; the one at the end keeps the
    // period after "Arabic" instead of before "I".
    expect(english).toBe(
      `${RLM}I answer questions in Arabic only. Please ask your question in Arabic.${LRM}`,
    );
    expect(message.text).not.toContain(SOURCE);
    expect(message.entities).toEqual([]);
  });

  it.each<[string, string, string]>([
    ["a Latin line ending in a question mark", "Who?", `${RLM}Who?${LRM}`],
    ["a Latin line ending in a letter", "BBC News", `${RLM}BBC News`],
    ["a line opening in Latin and ending in Arabic", "BBC تقول.", `${RLM}BBC تقول.`],
    ["a line opening with a marker, ending in Latin", "[1] BBC.", `${RLM}[1] BBC.${LRM}`],
    ["an Arabic line ending in a Latin name", "ما موقف BBC؟", "ما موقف BBC؟"],
  ])(
    "ends %s with a left-to-right mark only when its last letter and its first are Latin",
    (_name, line, marked) => {
      expect(formatAnswerMessage(answerOf({ answer: line })).text).toBe(marked);
    },
  );
});

describe("toPlainText", () => {
  it("is the message's text without its entities", () => {
    const message = formatAnswerMessage(studentsAnswer({ notice: "تنبيه 😀" }), { showQuestion: true });

    expect(toPlainText(message)).toBe(message.text);
  });
});

describe("splitMessage", () => {
  it("returns a message within the limit as its only part", () => {
    const message = formatAnswerMessage(studentsAnswer(), { showQuestion: true });

    const parts = splitMessage(message);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toEqual(message);
    expect(splitMessage({ text: "x".repeat(TELEGRAM_TEXT_LIMIT), entities: [] })).toHaveLength(1);
  });

  it.each([0, 1, 2.5, Number.NaN])("refuses a limit of %s", (limit) => {
    expect(() => splitMessage({ text: "نص طويل", entities: [] }, limit)).toThrow(RangeError);
  });

  it.each<[string, string, string]>([
    ["a paragraph break over a later line break", `${A}\n\nب ب\nج ج. د د`, A],
    ["a line break over a later sentence end", `${A}\nب ب. ج ج د د د`, A],
    ["a sentence end over a later space", `${A}؟ ب ب ب ب د د`, `${A}؟`],
    ["an Arabic semicolon as a sentence end", `${A}؛ ب ب ب ب د د`, `${A}؛`],
    ["the latest space when nothing better", `${A} ب ب ب ب د د`, `${A} ب ب ب ب د`],
    ["a late space over an early paragraph break", `أ\n\n${A} ججج ددد د`, `أ\n\n${A} ججج`],
    ["an early paragraph break over a hard cut", `أ\n\n${B}${B}`, "أ"],
    ["a hard cut when there is no boundary", `${B}${B}`, `${B}ب`],
  ])("prefers %s", (_name, text, first) => {
    const limit = 40;
    const message = { text, entities: [] };
    expect(text.length).toBeGreaterThan(limit);
    const parts = splitMessage(message, limit);

    expect(parts[0]?.text).toBe(first);
    expectValidParts(message, parts, limit);
  });

  it("never cuts a surrogate pair, nor a letter from its marks where it can avoid it", () => {
    const emoji = { text: "😀".repeat(300), entities: [{ type: "bold", offset: 2, length: 400 }] } as const;
    const emojiParts = splitMessage(emoji, 101);
    expect(emojiParts.map((part) => part.text.length)).toEqual([100, 100, 100, 100, 100, 100]);
    expectValidParts(emoji, emojiParts, 101);

    const marked = { text: "بَ".repeat(50), entities: [] };
    const markedParts = splitMessage(marked, 31);
    expect(markedParts.map((part) => part.text.length)).toEqual([30, 30, 30, 10]);
    expectValidParts(marked, markedParts, 31);
  });

  it("splits a long answer with twelve long citations from two articles between quotes", () => {
    const sentence = (n: number): string =>
      Array.from({ length: 150 }, (_, i) => `كلمة${n}${i % 10 === 9 ? "." : ""}`).join(" ");
    const citations = Array.from({ length: 12 }, (_, i) =>
      cite(i + 1, i % 2 === 0 ? TASS : CAIRO, sentence(i + 1)),
    );
    const answer = citations.map((cited) => `جملة تستشهد بالمصدر [${cited.n}].`).join(" ");
    const message = formatAnswerMessage(answerOf({ answer, citations, notice: "تنبيه 😀" }));
    expect(citations.every((cited) => cited.text.length > 800)).toBe(true);
    expect(occurrences(message.text, SOURCE)).toBe(2);

    const parts = splitMessage(message);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expectValidParts(message, parts, TELEGRAM_TEXT_LIMIT);
    expectQuotesWhole(message, parts);
    // A source line stays with its first quote: no part ends with one, and each part after the first
    // opens with a quote «[n] …» or a source line.
    for (const part of parts.slice(0, -1)) expect(part.text.split("\n").at(-1)).not.toMatch(/^المصدر:/u);
    for (const part of parts.slice(1)) expect(part.text).toMatch(/^(?:\u200F\[\d+\] |المصدر: )/u);
    expect(parts.flatMap((part) => part.entities.filter(isQuote))).toHaveLength(12);
  });

  it.each<[string, string]>([
    ["at a sentence end", "."],
    ["at a word boundary", ""],
  ])("cuts a 5000-unit quote %s and continues the quote in the next part", (_name, end) => {
    const words: string[] = [];
    for (let i = 0; words.join(" ").length < 5000; i++) words.push(`كلمة${i}${i % 7 === 6 ? end : ""}`);
    const sentence = words.join(" ").slice(0, 5000).trimEnd();
    const message = formatAnswerMessage(answerCiting("نص [1]", sentence));

    const parts = splitMessage(message);
    expect(parts).toHaveLength(2);
    expectValidParts(message, parts, TELEGRAM_TEXT_LIMIT);
    const [first, second] = parts as [FormattedText, FormattedText];
    const firstQuote = first.entities.at(-1);
    const secondQuote = second.entities[0];
    expect(firstQuote).toMatchObject({ type: "expandable_blockquote" });
    expect(secondQuote).toMatchObject({
      type: "expandable_blockquote",
      offset: 0,
      length: second.text.length,
    });
    expect((firstQuote?.offset ?? 0) + (firstQuote?.length ?? 0)).toBe(first.text.length);

    // The quote opens with its number; the sentence goes on in the next part where the first stops.
    const quoted = first.text.slice(firstQuote?.offset);
    expect(quoted.startsWith(`${RLM}[1] `)).toBe(true);
    const head = quoted.slice(`${RLM}[1] `.length);
    expect(sentence.startsWith(head)).toBe(true);
    expect(sentence.slice(head.length, head.length + 1)).toBe(" ");
    if (end !== "") expect(head.endsWith(end)).toBe(true);
    expect(head.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT / 2);
    expect(`${head} ${second.text}`).toBe(sentence);
  });

  it("holds its invariants on 200 random messages", () => {
    const random = prng(20240501);
    for (let run = 0; run < 200; run++) {
      const message = randomMessage(random);
      const limit = 8 + Math.floor(random() * 300);
      const parts = splitMessage(message, limit);

      if (message.text.length <= limit) expect(parts).toEqual([message]);
      else {
        expectValidParts(message, parts, limit);
        // A quote that fits in a part is never cut.
        const fitting = message.entities.filter((entity) => !isQuote(entity) || entity.length <= limit);
        expectQuotesWhole({ text: message.text, entities: fitting }, parts);
      }
    }
  });
});
