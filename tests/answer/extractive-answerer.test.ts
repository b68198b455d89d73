import { readFile } from "node:fs/promises";

import { beforeAll, describe, expect, it } from "vitest";

import { judgeEvidence, type Ranking } from "../../src/answer/evidence.js";
import { ANSWERABILITY_MODEL } from "../../src/answer/answerability-model.js";
import { CITATION_SCORE_MARGIN } from "../../src/answer/extractive-answerer.js";
import { createAnswerer, ExtractiveAnswerer, type Answer } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { DEFAULT_TOP_K } from "../../src/config/index.js";
import { loadCorpus, type Article } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { withoutLeadingConnector, writtenDate } from "../../src/text/index.js";
import {
  CORPUS_DIR,
  CORPUS_FILE,
  DOC_ID,
  GOLD_FILE,
  secondArticle,
  SECOND_ARTICLE_ID,
  SMALL_INDEX_CONFIG,
} from "../support/corpus.js";
import { articleRecord, queryTerm, scored } from "./fixtures.js";

const STUDENTS = "كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟";
const POPULATION = "كم يبلغ عدد سكان طاجيكستان؟";

let articles: readonly Article[];
let index: SanadIndex;
let retriever: HybridRetriever;
let answerer: ExtractiveAnswerer;
let corpusText: string;
let goldQuestions: string[];

beforeAll(async () => {
  ({ articles } = await loadCorpus(CORPUS_DIR));
  index = await SanadIndex.build(articles, SMALL_INDEX_CONFIG);
  retriever = new HybridRetriever({ index });
  answerer = new ExtractiveAnswerer({ retriever });
  corpusText = await readFile(CORPUS_FILE, "utf8");
  const gold = JSON.parse(await readFile(GOLD_FILE, "utf8")) as { questions: { question: string }[] };
  goldQuestions = gold.questions.map(({ question }) => question);
});

/**
 * The best sentence as an answer shows it: without the connector it opens with, and with the marker
 * [1] before its final stop («… بالمؤسسات الروسية [1].»), or after its last word when it has none.
 */
function shown(sentence: string): string {
  const text = withoutLeadingConnector(sentence);
  const stop = /[.!?؟؛]$/u.exec(text);
  return stop ? `${text.slice(0, -1)} [1]${stop[0]}` : `${text} [1]`;
}

/** The invariants of every answer the extractive answerer gives. */
function expectWellFormed(answer: Answer, question: string, topK = DEFAULT_TOP_K): void {
  expect(answer.question).toBe(question);
  expect(answer.mode).toBe("extractive");
  if (answer.refused) {
    expect(answer.confidence).toBe("none");
    expect(answer.citations).toEqual([]);
    expect([MESSAGES.refusal, MESSAGES.emptyQuestion]).toContain(answer.answer);
    expect(answer.fact).toBeUndefined();
    expect(answer.about).toBeUndefined();
    return;
  }
  if (answer.about !== undefined) {
    // A question about the article itself: one sentence written from its fields, citing nothing.
    expect(answer.confidence).toBe("high");
    expect(answer.citations).toEqual([]);
    expect(answer.answer).not.toMatch(/\[\d/);
    expect(answer.answer.endsWith(".")).toBe(true);
    expect(answer.fact).toBeUndefined();
    // It names the article as its fields do, and states each of them it has, its date as written.
    const { id, title, source, published } = index.document(answer.about.id);
    expect(answer.about).toMatchObject({ id, title, source, published });
    if (source !== undefined) expect(answer.answer).toContain(source);
    if (published !== undefined) expect(answer.answer).toContain(writtenDate(published));
    return;
  }
  expect(answer.citations.length).toBeGreaterThan(0);
  expect(answer.citations.length).toBeLessThanOrEqual(topK);
  expect(answer.citations.map(({ n }) => n)).toEqual(answer.citations.map((_, i) => i + 1));
  const [first] = answer.citations;
  if (answer.confidence === "high") {
    expect(answer.answer).toBe(shown(first?.text ?? ""));
    // The fact set in bold is one the answer states.
    if (answer.fact !== undefined) expect(answer.answer).toContain(answer.fact);
  } else {
    expect(answer.confidence).toBe("low");
    expect(answer.answer).toBe(`${MESSAGES.hedge}\n${shown(first?.text ?? "")}`);
    expect(answer.fact).toBeUndefined();
  }
  expect(answer.answer.match(/\[\d+\]/g)).toEqual(["[1]"]);
  const ids = answer.citations.map(({ doc, sentence }) => `${doc}#${sentence}`);
  expect(new Set(ids).size).toBe(ids.length);
  for (const citation of answer.citations) {
    const record = index.sentences.find(
      ({ doc, index: i }) => doc === citation.doc && i === citation.sentence,
    );
    expect(record?.text).toBe(citation.text);
    // Each citation names its article: nothing has to be looked up to show it.
    const { id, title, source, published } = index.document(citation.doc);
    expect(citation.article).toEqual({ id, title, source, published });
  }
}

describe("ExtractiveAnswerer", () => {
  it("has the documented defaults", () => {
    expect(DEFAULT_TOP_K).toBe(3);
    expect(CITATION_SCORE_MARGIN).toBe(0.5);
  });

  describe("answers real questions about the corpus with the right sentence first", () => {
    // The third column: the asked date or amount the answer states, set in bold by a reply.
    it.each<[string, string, string | undefined]>([
      [STUDENTS, "35 ألف طالب", "35 ألف"],
      ["من أين الصورة المرفقة بالخبر؟", "الصورة: الموقع الرسمي لرئيس روسيا", undefined],
      ["ما نسبة ٢٢٫٦٪؟", "22.6%", undefined],
      // The sentence holds several amounts (22.6%، 7.1%، 1.5 مليار دولار أمريكي …): none is set in bold.
      ["كم بلغ حجم التجارة المتبادلة بين روسيا وطاجيكستان في عام ٢٠٢٤؟", "1.5 مليار دولار", undefined],
      [
        "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟",
        "مساء أمس الأربعاء 8 أكتوبر",
        "مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025",
      ],
      ["إيمتى رح يشارك بوتين بقمة روسيا وآسيا الوسطى؟", "في النصف الثاني من اليوم", undefined],
      ["چم مقعد منحة دراسية خصصت روسيا للطلاب الطاجيك؟", "1000 مقعد", "1000"],
      ["كم وثيقة موقعة من المتوقع أن يتبادلها الجانبان؟", "خمس عشرة وثيقة", "خمس عشرة"],
      ["ماذا فعل بوتن عند نصب اسماعيل ساماني في دوشانبي؟", "إكليل من الزهور", undefined],
      ["هل مستمر برنامج تحديث القوات المسلحه الطاجكستانيه؟", "ويستمر برنامج تحديث القوات المسلحة", undefined],
    ])("%s → «%s»", async (question, excerpt, fact) => {
      const answer = await answerer.answer(question);
      expectWellFormed(answer, question);
      expect(answer.refused).toBe(false);
      expect(answer.confidence).toBe("high");
      expect(answer.citations[0]?.text).toContain(excerpt);
      expect(answer.citations[0]?.doc).toBe(DOC_ID);
      expect(answer.answer).toBe(shown(answer.citations[0]?.text ?? ""));
      expect(answer.fact).toBe(fact);
      expect(answer.about).toBeUndefined();
    });
  });

  describe("answers questions about the article itself from its fields, in one sentence", () => {
    it.each([
      ["ما مصدر الخبر؟", "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025."],
      ["أي وكالة أنباء نشرت هذا الخبر؟", "مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025."],
      ["متى نُشر الخبر؟", "نُشر الخبر في 9 أكتوبر/تشرين الأول 2025، ومصدره تاس (TASS)."],
      [
        "ما عنوان الخبر؟",
        "عنوان الخبر «بوتين في زيارة دولة إلى دوشنبه ويشارك في قمة روسيا – آسيا الوسطى الثانية»، ونشرته تاس (TASS) في 9 أكتوبر/تشرين الأول 2025.",
      ],
    ])("%s → %s", async (question, text) => {
      const answer = await answerer.answer(question);
      expectWellFormed(answer, question);
      expect(answer).toMatchObject({ refused: false, confidence: "high", answer: text, citations: [] });
      expect(answer.about?.id).toBe(DOC_ID);
      // The date is written in words, never as the ISO date the bidi algorithm would reorder.
      expect(answer.answer).not.toContain("2025-10-09");
    });
  });

  it("shows the best sentence without the connector that tied it to the one before, and cites it exactly", async () => {
    for (const [question, sentence, answerText] of [
      [
        STUDENTS,
        "وتعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية.",
        "تعمل عدة فروع لجامعات روسية رائدة في طاجيكستان، ويلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [1].",
      ],
      [
        "متى عُقد الاجتماع غير الرسمي بين بوتين ورئيس طاجيكستان؟",
        "على إثر ذلك عُقِد اجتماع غير رسمي بين فلاديمير بوتين ورئيس طاجيكستان - إمام علي رحمون، وذلك مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025.",
        "عُقِد اجتماع غير رسمي بين فلاديمير بوتين ورئيس طاجيكستان - إمام علي رحمون، وذلك مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025 [1].",
      ],
    ] as const) {
      const answer = await answerer.answer(question);
      expect(answer.citations[0]?.text).toBe(sentence);
      expect(answer.answer).toBe(answerText);
    }
  });

  it("cites the exact sentences of the corpus file, with their index in the article", async () => {
    const answer = await answerer.answer(STUDENTS);
    expect(answer.citations.length).toBeGreaterThan(1);
    for (const citation of answer.citations) {
      expect(corpusText).toContain(citation.text);
      expect(citation.text).toBe(citation.text.trim());
      expect(index.sentences.find(({ id }) => id === `${DOC_ID}#${citation.sentence}`)?.text).toBe(
        citation.text,
      );
    }
    expect(answer.citations[0]?.sentence).toBe(
      index.sentences.find(({ text }) => text.includes("35 ألف طالب"))?.index,
    );
  });

  it("cites the best-ranked sentences in rank order, within the score margin", async () => {
    const ranking = await answerer.rank(STUDENTS);
    const answer = answerer.answerFromRanking(STUDENTS, ranking);
    const best = ranking.sentences[0]?.score ?? NaN;
    answer.citations.forEach((citation, i) => {
      const candidate = ranking.sentences[i];
      expect(candidate?.sentence.doc).toBe(citation.doc);
      expect(candidate?.sentence.index).toBe(citation.sentence);
      expect(candidate?.score).toBeGreaterThanOrEqual(best - CITATION_SCORE_MARGIN);
    });
    const next = ranking.sentences[answer.citations.length];
    if (answer.citations.length < DEFAULT_TOP_K && next) {
      expect(next.score).toBeLessThan(best - CITATION_SCORE_MARGIN);
    }
    expect(await answerer.answer(STUDENTS)).toEqual(answer);
  });

  it("gives well-formed answers to every question of the gold set", async () => {
    expect(goldQuestions.length).toBeGreaterThan(50);
    for (const question of goldQuestions) {
      const answer = await answerer.answer(question);
      expectWellFormed(answer, question);
      for (const citation of answer.citations) {
        // Body sentences and trailer lines are quoted from the file; front-matter lines are made from it.
        if (!citation.text.startsWith("تاريخ النشر: ")) expect(corpusText).toContain(citation.text);
      }
    }
  });

  describe("questions without words", () => {
    it.each(["؟؟", "ما هو", "ما هو؟", "", "   ", "هل", "وكيف؟", "ولماذا؟", "فمتى؟", "وقتيش؟"])(
      "refuses %j with the empty-question message",
      async (question) => {
        const answer = await answerer.answer(question);
        expect(answer).toEqual({
          question,
          mode: "extractive",
          refused: true,
          confidence: "none",
          answer: MESSAGES.emptyQuestion,
          citations: [],
        });
      },
    );

    it("refuses them in answerFromRanking too, whatever the ranking", () => {
      const ranking: Ranking = { sentences: [scored()], hits: [], terms: [queryTerm("كلمة", 1)] };
      expect(answerer.answerFromRanking("ما هو؟", ranking).answer).toBe(MESSAGES.emptyQuestion);
    });
  });

  it("refuses or hedges the questions the article does not answer, as the answerability model judges", async () => {
    for (const question of [
      "ما هي عاصمة فرنسا؟",
      "ما موقف الولايات المتحدة من القمة؟",
      "هل وقعت روسيا وطاجيكستان اتفاقية لتوريد الغاز؟",
    ]) {
      const answer = await answerer.answer(question);
      expectWellFormed(answer, question);
      expect(answer.confidence, question).not.toBe("high");
      expect(judgeEvidence(await answerer.rank(question)).verdict).not.toBe("answer");
    }
  });

  it("never answers the unanswerable population question with high confidence", async () => {
    const answer = await answerer.answer(POPULATION);
    expectWellFormed(answer, POPULATION);
    expect(answer.confidence).not.toBe("high");
    const { verdict } = judgeEvidence(await answerer.rank(POPULATION));
    expect(["hedge", "refuse"]).toContain(verdict);
    if (verdict === "hedge") {
      expect(answer.refused).toBe(false);
      expect(answer.confidence).toBe("low");
      expect(answer.answer.startsWith(MESSAGES.hedge)).toBe(true);
      expect(answer.citations.length).toBeGreaterThan(0);
    } else {
      expect(answer.answer).toBe(MESSAGES.refusal);
    }
  });

  it("opens a hedged answer with the hedge and gives it low confidence", async () => {
    const hedged: string[] = [];
    for (const question of goldQuestions) {
      const ranking = await answerer.rank(question);
      if (judgeEvidence(ranking).verdict !== "hedge") continue;
      hedged.push(question);
      const answer = answerer.answerFromRanking(question, ranking);
      expect(answer.refused).toBe(false);
      expect(answer.confidence).toBe("low");
      expect(answer.answer.startsWith(`${MESSAGES.hedge}\n`)).toBe(true);
    }
    expect(hedged.length).toBeGreaterThan(0);
  });

  describe("topK", () => {
    it.each([1, 2, 3])("cites at most %d sentences when asked", async (topK) => {
      const answer = await answerer.answer(STUDENTS, { topK });
      expectWellFormed(answer, STUDENTS, topK);
      expect(answer.citations).toHaveLength(topK);
      expect(answer.citations[0]?.text).toContain("35 ألف طالب");
    });

    it("takes the default from the constructor, and the option over it", async () => {
      const one = new ExtractiveAnswerer({ retriever, topK: 1 });
      expect((await one.answer(STUDENTS)).citations).toHaveLength(1);
      expect((await one.answer(STUDENTS, { topK: 3 })).citations).toHaveLength(3);
    });

    it("is passed on by createAnswerer", async () => {
      expect((await createAnswerer(index, { topK: 2 }).answer(STUDENTS)).citations).toHaveLength(2);
      expect((await createAnswerer(index).answer(STUDENTS)).citations).toHaveLength(DEFAULT_TOP_K);
    });

    it("cites fewer than topK when the others are too far below the best", async () => {
      const answer = await answerer.answer("من أين الصورة المرفقة بالخبر؟", { topK: 5 });
      expect(answer.citations.map(({ text }) => text)).toEqual(["الصورة: الموقع الرسمي لرئيس روسيا"]);
    });
  });

  describe("answerFromRanking with a hand-built ranking", () => {
    const QUESTION = "من هو رئيس طاجيكستان؟";
    const candidates = [
      scored({ score: 3, sentence: { doc: "a", index: 4, text: "الأولى." } }),
      scored({ score: 2.6, sentence: { doc: "a", index: 1, text: "الثانية." } }),
      scored({ score: 2.5, sentence: { doc: "b", index: 0, text: "الثالثة." } }),
      scored({ score: 2.4, sentence: { doc: "a", index: 2, text: "الرابعة." } }),
    ];
    const ranking: Ranking = { sentences: candidates, hits: [], terms: [queryTerm("رئيس", 1)] };
    /** An answerer whose answerability model gives every question probability 1/2, judged by these thresholds. */
    const judgedBy = (refuseBelow: number, hedgeBelow: number): ExtractiveAnswerer =>
      new ExtractiveAnswerer({
        retriever,
        answerability: {
          ...ANSWERABILITY_MODEL,
          weights: new Float64Array(ANSWERABILITY_MODEL.weights.length),
          bias: 0,
          refuseBelow,
          hedgeBelow,
        },
      });

    it("quotes the best sentence and cites those within the margin, up to topK", () => {
      const answering = judgedBy(0, 0);
      expect(answering.answerFromRanking(QUESTION, ranking)).toEqual({
        question: QUESTION,
        mode: "extractive",
        refused: false,
        confidence: "high",
        answer: "الأولى [1].",
        citations: [
          { n: 1, doc: "a", sentence: 4, text: "الأولى.", article: articleRecord({ id: "a" }) },
          { n: 2, doc: "a", sentence: 1, text: "الثانية.", article: articleRecord({ id: "a" }) },
          { n: 3, doc: "b", sentence: 0, text: "الثالثة.", article: articleRecord({ id: "b" }) },
        ],
      });
      expect(answering.answerFromRanking(QUESTION, ranking, 10).citations).toHaveLength(3);
      expect(answering.answerFromRanking(QUESTION, ranking, 2).citations).toHaveLength(2);
    });

    it("puts the marker after the last word of a sentence without final punctuation, and drops its connector", () => {
      const sentences = [
        scored({ score: 3, sentence: { doc: "a", index: 0, text: "وقد وصل الوفد إلى دوشنبه" } }),
        scored({ score: 2.9, sentence: { doc: "a", index: 1, text: "كما أن التعاون قوي؟" } }),
      ];
      const answer = judgedBy(0, 0).answerFromRanking(QUESTION, { ...ranking, sentences });
      expect(answer.answer).toBe("وصل الوفد إلى دوشنبه [1]");
      expect(answer.citations.map(({ text }) => text)).toEqual([
        "وقد وصل الوفد إلى دوشنبه",
        "كما أن التعاون قوي؟",
      ]);
      const second = judgedBy(0, 0).answerFromRanking(QUESTION, {
        ...ranking,
        sentences: sentences.slice(1),
      });
      expect(second.answer).toBe("التعاون قوي [1]؟");
    });

    it("hedges when the model's probability falls between the thresholds", () => {
      expect(judgedBy(0.4, 0.6).answerFromRanking(QUESTION, ranking)).toMatchObject({
        refused: false,
        confidence: "low",
        answer: `${MESSAGES.hedge}\nالأولى [1].`,
        citations: [{ n: 1, doc: "a", sentence: 4, text: "الأولى." }, {}, {}],
      });
    });

    it("refuses when the model's probability falls below the refusal threshold", () => {
      expect(judgedBy(0.6, 0.7).answerFromRanking(QUESTION, ranking)).toMatchObject({
        refused: true,
        confidence: "none",
        answer: MESSAGES.refusal,
        citations: [],
      });
    });

    it("refuses an empty ranking", () => {
      expect(judgedBy(0, 0).answerFromRanking(QUESTION, { sentences: [], hits: [], terms: [] }).answer).toBe(
        MESSAGES.refusal,
      );
    });
  });

  describe("over several articles", () => {
    let many: SanadIndex;

    beforeAll(async () => {
      many = await SanadIndex.build([...articles, secondArticle()], SMALL_INDEX_CONFIG);
    });

    it.each([
      ["كم دار نشر تشارك في معرض القاهرة الدولي للكتاب؟", SECOND_ARTICLE_ID],
      [STUDENTS, DOC_ID],
      ["ما مصدر الخبر؟", undefined],
      ["من أين الصورة المرفقة بالخبر؟", undefined],
      ["من ضيف شرف معرض القاهرة الدولي للكتاب؟", SECOND_ARTICLE_ID],
    ])("cites for %s only sentences of the passages retrieved", async (question, doc) => {
      const manyRetriever = new HybridRetriever({ index: many });
      const retrieved = await manyRetriever.retrieve(question);
      const retrievedIds = new Set(retrieved.hits.flatMap(({ sentences }) => sentences.map(({ id }) => id)));
      const bestDoc = retrieved.hits[0]?.article.id;
      const answer = await new ExtractiveAnswerer({ retriever: manyRetriever }).answer(question);
      expect(answer.refused).toBe(false);
      if (doc !== undefined) expect(answer.citations[0]?.doc).toBe(doc);
      // A question about the article itself is answered from the best-matching article's fields.
      if (answer.about !== undefined) {
        expect(answer.about.id).toBe(bestDoc);
        expect(answer.citations).toEqual([]);
      }
      for (const citation of answer.citations) {
        const record = many.sentences.find(
          ({ doc: d, index: i }) => d === citation.doc && i === citation.sentence,
        );
        expect(record?.text).toBe(citation.text);
        if (record?.kind === "meta") expect(citation.doc).toBe(bestDoc);
        else expect(retrievedIds.has(record?.id ?? "")).toBe(true);
      }
    });

    it("cites only from the one passage retrieved when the retriever returns one", async () => {
      const one = new HybridRetriever({ index: many, k: 1 });
      for (const question of [
        STUDENTS,
        "كم دار نشر تشارك في معرض القاهرة الدولي للكتاب؟",
        "من هو رئيس طاجيكستان؟",
      ]) {
        const { hits } = await one.retrieve(question);
        expect(hits).toHaveLength(1);
        const allowed = new Set(hits[0]?.sentences.map(({ id }) => id));
        const answer = await new ExtractiveAnswerer({ retriever: one }).answer(question);
        for (const citation of answer.citations) {
          expect(allowed.has(`${citation.doc}#${citation.sentence}`)).toBe(true);
        }
      }
    });

    // فبراير begins with the letter of the clitic ف: the word must count as a month in its own form,
    // not only without the "clitic" (براير), or the when-question would be refused.
    it("answers a when-question whose answer is a date in فبراير", async () => {
      const question = "متى يستمر معرض الكتاب؟";
      const answer = await createAnswerer(many).answer(question);
      expect(answer.refused).toBe(false);
      expect(answer.citations[0]?.text).toContain("حتى الخامس من فبراير");
    });

    it("answers a question about the article's source from the best-matching article only", async () => {
      const manyAnswerer = createAnswerer(many);
      const answer = await manyAnswerer.answer("ما مصدر خبر معرض القاهرة الدولي للكتاب؟");
      expect(answer).toMatchObject({
        refused: false,
        confidence: "high",
        answer: "مصدر الخبر وكالة أنباء الشرق الأوسط، ونُشر في 24 يناير/كانون الثاني 2025.",
        citations: [],
      });
      expect(answer.about?.id).toBe(SECOND_ARTICLE_ID);
      expect(answer.answer).not.toContain("تاس");
    });
  });
});
