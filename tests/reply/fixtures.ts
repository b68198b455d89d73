/**
 * What the tests of a reply share (tests/reply/layout.test.ts, tests/reply/plain-text.test.ts and
 * tests/bot/format.test.ts): the records of the corpus's article and of two others, sentences quoted from
 * them, the lines a reply names an article by, builders of the answers that cite them, and the answers to
 * the gold questions. Written out here rather than taken from src/, so that a test states again what a
 * reader sees instead of trusting the code under test.
 */
import { readFile } from "node:fs/promises";

import {
  ExtractiveAnswerer,
  type Answer,
  type ArticleRecord,
  type Citation,
} from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { EXAMPLE_QUESTIONS } from "../../src/bot/messages.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { buildCorpusIndex, GOLD_FILE } from "../support/corpus.js";

/** U+00A0 NO-BREAK SPACE: what keeps a marker «[1]» on the line of the word before it. */
export const NBSP = "\u00A0";
/** The label of the line that names a cited article. */
export const SOURCE = "المصدر:";
/** The heading of the sentences cited but not referred to by the answer. */
export const RELATED = "جمل أخرى ذات صلة:";

/** The title of the corpus's article. */
export const TASS_TITLE = "بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية";

/** The corpus's article, as a citation names it. */
export const TASS: ArticleRecord = {
  id: "tass-2025-10-09-putin-dushanbe",
  title: TASS_TITLE,
  source: "تاس (TASS)",
  published: "2025-10-09",
};
/** An article of the same source that gives no date. */
export const TASS_UNDATED: ArticleRecord = {
  id: "tass-education",
  title: "روسيا وطاجيكستان: شراكة في التعليم",
  source: "تاس (TASS)",
};
/** A second article, on another subject: the Cairo book fair. */
export const CAIRO: ArticleRecord = {
  id: "cairo-book-fair",
  title: "افتتاح معرض القاهرة الدولي للكتاب",
  source: "وكالة أنباء الشرق الأوسط",
  published: "2025-01-24",
};

/** The source and written date a reply names {@link TASS} by. */
export const TASS_SOURCE = "تاس (TASS)، 9 أكتوبر/تشرين الأول 2025";
/** The source and written date a reply names {@link CAIRO} by. */
export const CAIRO_SOURCE = "وكالة أنباء الشرق الأوسط، 24 يناير/كانون الثاني 2025";
/** The source line of a reply citing {@link TASS}. */
export const TASS_LINE = `${SOURCE} ${TASS_SOURCE} — ${TASS_TITLE}`;
/** The source line of a reply citing {@link CAIRO}. */
export const CAIRO_LINE = `${SOURCE} ${CAIRO_SOURCE} — ${CAIRO.title}`;

/** Sentences of the corpus's article ({@link TASS}), as it writes them. */
export const STUDENTS =
  "وتعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.";
export const SEATS =
  'وقد خصصت روسيا 1000 مقعد للمنح الدراسية الممولة من الدولة للعام الدراسي 2025 - 2026، وتواصل برنامج "معلمي اللغة الروسية في الخارج"، حيث يعمل حالياً 109 معلمين في المدارس الطاجيكستانية.';
export const COMPANIES =
  "كما تعد روسيا مستثمر رئيسي في الاقتصاد الطاجيكستاني، باستثمارات تراكمية تُقارب 500 مليون دولار أمريكي، وأكثر من 300 شركة روسية عاملة في الجمهورية.";
/** Sentences of the second article ({@link CAIRO}). */
export const BOOK_FAIR =
  "افتتح رئيس الوزراء المصري معرض القاهرة الدولي للكتاب في دورته السادسة والخمسين بمشاركة 1345 دار نشر من 80 دولة.";
export const FAIR_DATES = "ويستمر المعرض حتى الخامس من فبراير، وتحل سلطنة عمان ضيف شرف على الدورة الحالية.";

/** The question most answers here answer. */
export const STUDENTS_QUESTION = "كم عدد الطلاب الطاجيك في الجامعات الروسية؟";
/** The extractive answer to {@link STUDENTS_QUESTION}: its best sentence without «و», the marker before the stop. */
export const STUDENTS_ANSWER =
  "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [1].";
/** {@link STUDENTS_ANSWER} as a reply shows it: its marker kept with the word before it. */
export const STUDENTS_SHOWN = STUDENTS_ANSWER.replace(" [1]", `${NBSP}[1]`);

/**
 * An answer in the model's own words citing two articles: the Cairo one as [1] and [3], the corpus's as
 * [2]. See {@link twoArticlesAnswer}.
 */
export const TWO_ARTICLES_TEXT =
  "افتُتح معرض القاهرة للكتاب بمشاركة 1345 دار نشر [1]، في حين يدرس أكثر من 35 ألف طالب طاجيكي في روسيا [2]، ويستمر المعرض حتى الخامس من فبراير [3].";

/** A citation of a sentence of an article, carrying the article as the answer stage makes it. */
export function cite(n: number, article: ArticleRecord, text: string, sentence = n - 1): Citation {
  return { n, doc: article.id, sentence, text, article };
}

/** An answer: by default a confident one written by the model, to the students question, citing nothing. */
export function answerOf(fields: Partial<Answer> & { readonly answer: string }): Answer {
  return {
    question: STUDENTS_QUESTION,
    mode: "llm",
    refused: false,
    confidence: "high",
    citations: [],
    ...fields,
  };
}

/** The extractive answer to the students question, with the next best sentences of the article cited after it. */
export function studentsAnswer(fields: Partial<Answer> = {}): Answer {
  return answerOf({
    mode: "extractive",
    answer: STUDENTS_ANSWER,
    citations: [cite(1, TASS, STUDENTS, 15), cite(2, TASS, SEATS, 16), cite(3, TASS, COMPANIES, 12)],
    fact: "35 ألف",
    ...fields,
  });
}

/** An answer citing one sentence, as [1]: by default a sentence of the corpus's article. */
export function answerCiting(answer: string, text: string, article: ArticleRecord = TASS): Answer {
  return answerOf({ answer, citations: [cite(1, article, text)] });
}

/**
 * The extractive answer to the students question when much of the question is found nowhere: the hedge,
 * then the best sentence, with no fact in bold; `fields` as for {@link studentsAnswer}.
 */
export function hedgedStudentsAnswer(fields: Partial<Answer> = {}): Answer {
  return studentsAnswer({
    confidence: "low",
    answer: `${MESSAGES.hedge}\n${STUDENTS_ANSWER}`,
    fact: undefined,
    ...fields,
  });
}

/**
 * The extractive answer to the students question whose related sentences are one of the Cairo article
 * ([2]) and one of the corpus's ([3]).
 */
export function studentsAnswerRelatingCairo(): Answer {
  return studentsAnswer({
    citations: [cite(1, TASS, STUDENTS, 15), cite(2, CAIRO, BOOK_FAIR, 0), cite(3, TASS, SEATS, 16)],
  });
}

/** The answer to a question about the corpus's article itself (its source, date or title), from its fields. */
export function answerAboutTass(question: string, answer: string): Answer {
  return answerOf({ question, mode: "extractive", answer, about: TASS });
}

/** {@link TWO_ARTICLES_TEXT} with its citations: [1] and [3] of {@link CAIRO}, [2] of {@link TASS}. */
export function twoArticlesAnswer(): Answer {
  return answerOf({
    answer: TWO_ARTICLES_TEXT,
    citations: [cite(1, CAIRO, BOOK_FAIR, 0), cite(2, TASS, STUDENTS, 15), cite(3, CAIRO, FAIR_DATES, 1)],
  });
}

/** A refusal, as both answerers give it. */
export const REFUSAL: Answer = {
  question: "ما عاصمة فرنسا؟",
  mode: "extractive",
  refused: true,
  confidence: "none",
  answer: MESSAGES.refusal,
  citations: [],
};

/** The extractive answers to the gold questions and to the example questions, over the corpus's small index. */
export async function answersToGoldQuestions(): Promise<Answer[]> {
  const answerer = new ExtractiveAnswerer({
    retriever: new HybridRetriever({ index: await buildCorpusIndex() }),
  });
  const gold = JSON.parse(await readFile(GOLD_FILE, "utf8")) as { questions: { question: string }[] };
  const questions = [...gold.questions.map(({ question }) => question), ...EXAMPLE_QUESTIONS];
  return Promise.all(questions.map((question) => answerer.answer(question)));
}
