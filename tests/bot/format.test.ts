import type { MessageEntity } from "grammy/types";
import { describe, expect, it } from "vitest";
import { mulberry32 as prng } from "../support/prng.js";

import type { Answer, ArticleRecord, Citation } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import {
  EXPANDABLE_QUOTE_FROM,
  formatAnswerMessage,
  splitMessage,
  TELEGRAM_TEXT_LIMIT,
  toPlainText,
  type FormattedText,
} from "../../src/bot/format.js";

const RLM = "\u200F";
const LRM = "\u200E";
const A = "أ".repeat(30);
const B = "ب".repeat(39);
const SOURCES = "المصادر:";

const ARTICLES: Record<string, ArticleRecord> = {
  tass: article("tass", "روسيا وطاجيكستان 🇷🇺🇹🇯: شراكة في التعليم", "2024-05-01"),
  bbc: article("bbc", "BBC <b>News</b> & *Arabic*", undefined),
  plain: article("plain", "أخبار _اليوم_", "٢٠٢٤/٠٥/٠٢"),
};

function article(id: string, title: string, published: string | undefined): ArticleRecord {
  return { id, title, ...(published === undefined ? {} : { published }) };
}

/** A citation of sentence `n - 1` of one of {@link ARTICLES}, carrying its article as the answer stage makes it. */
function citation(n: number, doc: string, text: string): Citation {
  const cited = ARTICLES[doc];
  if (cited === undefined) throw new Error(`no article ${doc}`);
  return { n, doc, sentence: n - 1, text, article: cited };
}

function answerOf(text: string, citations: readonly Citation[], notice?: string): Answer {
  return {
    question: "كم عدد الطلاب <b>الطاجيك</b> & غيرهم؟",
    mode: "llm",
    refused: false,
    confidence: "high",
    answer: text,
    citations,
    ...(notice === undefined ? {} : { notice }),
  };
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
  it("puts every entity on the text it marks, counting UTF-16 units past Arabic and emoji", () => {
    const notice = "⚠️ لم نتمكن من التحقق 🔍 من الإجابة";
    const answer = "يدرس 😀 أكثر من 35 ألف طالب 👩‍🏫 في روسيا [1]، وخُصّص 1000 مقعد [2].";
    const first = "ويلتحق أكثر من 35 ألف طالب 🇹🇯 طاجيكستاني بالمؤسسات الروسية.";
    const second = "وقد خصصت روسيا 1000 مقعد 🎓 للمنح الدراسية.";
    const message = formatAnswerMessage(
      answerOf(answer, [citation(1, "tass", first), citation(2, "plain", second)], notice),
    );

    expect(covered(message)).toEqual([
      ["italic", notice],
      ["bold", SOURCES],
      ["bold", "[1]"],
      ["blockquote", first],
      ["bold", "[2]"],
      ["blockquote", second],
    ]);
    expect(message.text).toBe(
      [
        notice,
        "",
        answer,
        "",
        SOURCES,
        `${RLM}[1] روسيا وطاجيكستان 🇷🇺🇹🇯: شراكة في التعليم، 2024-05-01`,
        first,
        `${RLM}[2] أخبار _اليوم_، ٢٠٢٤/٠٥/٠٢`,
        second,
      ].join("\n"),
    );
  });

  it("leaves markup characters of the answer, titles and sentences as they are", () => {
    const answer = "النص <b>ليس عريضًا</b> & لا *نجوم* ولا _خطوط_ [1]";
    const sentence = "جملة فيها <i>وسم</i> &amp; و`كود` و[رابط](http://x)";
    const message = formatAnswerMessage(answerOf(answer, [citation(1, "bbc", sentence)]));

    expect(message.text).toContain(answer);
    expect(message.text).toContain(`${RLM}[1] BBC <b>News</b> & *Arabic*\n${sentence}`);
    expect(message).not.toHaveProperty("parse_mode");
    expect(covered(message)).toEqual([
      ["bold", SOURCES],
      ["bold", "[1]"],
      ["blockquote", sentence],
    ]);
  });

  it("shows the notice in italic, then a blank line", () => {
    const message = formatAnswerMessage(answerOf("لا أعرف.", [], "تعذّر التحقق من الإجابة"));

    expect(message.text).toBe("تعذّر التحقق من الإجابة\n\nلا أعرف.");
    expect(covered(message)).toEqual([["italic", "تعذّر التحقق من الإجابة"]]);
  });

  it("has no sources section and no entities without citations or notice", () => {
    const message = formatAnswerMessage(answerOf("لا تتضمن المقالات إجابة عن هذا السؤال.", []));

    expect(message.text).toBe("لا تتضمن المقالات إجابة عن هذا السؤال.");
    expect(message.text).not.toContain(SOURCES);
    expect(message.entities).toEqual([]);
  });

  it("leaves the date out when the article has none", () => {
    const message = formatAnswerMessage(answerOf("نص [1]", [citation(1, "bbc", "جملة.")]));

    expect(message.text.split("\n")).toContain(`${RLM}[1] BBC <b>News</b> & *Arabic*`);
  });

  it.each<[string, number, MessageEntity["type"]]>([
    ["one unit", 1, "blockquote"],
    ["exactly the threshold", EXPANDABLE_QUOTE_FROM, "blockquote"],
    ["one unit past the threshold", EXPANDABLE_QUOTE_FROM + 1, "expandable_blockquote"],
    ["far past the threshold", 2000, "expandable_blockquote"],
  ])("quotes a sentence of %s as %s", (_name, length, type) => {
    const sentence = "م".repeat(length);
    const message = formatAnswerMessage(answerOf("نص [1]", [citation(1, "tass", sentence)]));

    expect(covered(message).at(-1)).toEqual([type, sentence]);
  });

  it("counts a quote's length in UTF-16 units: 151 emoji are 302 units", () => {
    const sentence = "😀".repeat(151);
    const message = formatAnswerMessage(answerOf("نص [1]", [citation(1, "tass", sentence)]));

    expect(covered(message).at(-1)).toEqual(["expandable_blockquote", sentence]);
  });

  it.each<[string, string, string | undefined, boolean]>([
    ["Arabic answer", "يدرس الطلاب [1]", undefined, false],
    ["answer opening with a citation marker", "[1] يدرس الطلاب", undefined, true],
    ["answer opening with a Latin name", "BBC تقول [1]", undefined, true],
    ["answer opening with an accented Latin letter", "École تقول [1]", undefined, true],
    ["answer opening with a digit", "2024 عام مهم [1]", undefined, true],
    ["answer opening with an Arabic-Indic digit", "٢٠٢٤ عام مهم [1]", undefined, true],
    ["answer opening with an emoji", "😀 يدرس الطلاب [1]", undefined, false],
    ["Latin notice before an Arabic answer", "يدرس الطلاب [1]", "LLM غير متاح", true],
  ])("marks the message right to left only where needed: %s", (_name, answer, notice, marked) => {
    const message = formatAnswerMessage(answerOf(answer, [citation(1, "tass", "جملة.")], notice));
    const lines = message.text.split("\n");

    expect(message.text.startsWith(RLM)).toBe(marked);
    // Each citation line opens with "[", so it always gets the mark; no other line does.
    expect(lines.filter((line) => line.startsWith(RLM)).slice(marked ? 1 : 0)).toEqual([
      `${RLM}[1] روسيا وطاجيكستان 🇷🇺🇹🇯: شراكة في التعليم، 2024-05-01`,
    ]);
    expect(message.text.split(RLM)).toHaveLength(marked ? 3 : 2);
    expect(covered(message)[0]).toEqual(notice === undefined ? ["bold", SOURCES] : ["italic", notice]);
  });

  it("marks a Latin answer after an Arabic notice too: the blank line starts a paragraph of its own", () => {
    const message = formatAnswerMessage(answerOf("BBC تقول [1]", [], "تنبيه"));

    expect(message.text).toBe(`تنبيه\n\n${RLM}BBC تقول [1]`);
    expect(covered(message)).toEqual([["italic", "تنبيه"]]);
  });

  it("marks every line of the answer that needs it, not only the first", () => {
    const answer = [MESSAGES.hedge, "2025 عام القمة [1]", "ونص عربي", "[2] رقم في أول السطر"].join("\n");
    const message = formatAnswerMessage(answerOf(answer, []));

    expect(message.text.split("\n")).toEqual([
      MESSAGES.hedge,
      `${RLM}2025 عام القمة [1]`,
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
    expect(message.text).not.toContain(SOURCES);
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
      expect(formatAnswerMessage(answerOf(line, [])).text).toBe(marked);
    },
  );
});

describe("toPlainText", () => {
  it("is the message's text without its entities", () => {
    const message = formatAnswerMessage(
      answerOf("<b>نص</b> & [1]", [citation(1, "bbc", "جملة 😀.")], "تنبيه"),
    );

    expect(toPlainText(message)).toBe(message.text);
  });
});

describe("splitMessage", () => {
  it("returns a message within the limit as its only part", () => {
    const message = formatAnswerMessage(answerOf("نص [1]", [citation(1, "tass", "جملة.")]));

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

  it("splits a long answer with twelve long citations between quotes", () => {
    const sentence = (n: number): string =>
      Array.from({ length: 150 }, (_, i) => `كلمة${n}${i % 10 === 9 ? "." : ""}`).join(" ");
    const citations = Array.from({ length: 12 }, (_, i) =>
      citation(i + 1, i % 2 === 0 ? "tass" : "bbc", sentence(i + 1)),
    );
    const answer = citations.map((cited) => `جملة تستشهد بالمصدر [${cited.n}].`).join(" ");
    const message = formatAnswerMessage(answerOf(answer, citations, "تنبيه 😀"));
    expect(citations.every((cited) => cited.text.length > 800)).toBe(true);

    const parts = splitMessage(message);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expectValidParts(message, parts, TELEGRAM_TEXT_LIMIT);
    expectQuotesWhole(message, parts);
    for (const part of parts) {
      // Each quote stays with its "[n] title" line, and each part after the first opens with one.
      for (const entity of part.entities.filter(isQuote)) {
        expect(part.text.slice(0, entity.offset)).toMatch(/\[\d+\][^\n]*\n$/);
      }
    }
    for (const part of parts.slice(1)) expect(part.text).toMatch(/^\u200F\[\d+\] /);
    expect(parts.flatMap((part) => part.entities.filter(isQuote))).toHaveLength(12);
  });

  it.each<[string, string]>([
    ["at a sentence end", "."],
    ["at a word boundary", ""],
  ])("cuts a 5000-unit quote %s and continues the quote in the next part", (_name, end) => {
    const words: string[] = [];
    for (let i = 0; words.join(" ").length < 5000; i++) words.push(`كلمة${i}${i % 7 === 6 ? end : ""}`);
    const sentence = words.join(" ").slice(0, 5000).trimEnd();
    const message = formatAnswerMessage(answerOf("نص [1]", [citation(1, "tass", sentence)]));

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

    const head = first.text.slice(firstQuote?.offset);
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
