/**
 * Deterministic synthetic corpora for the benchmarks, generated from real Arabic text: the article in
 * corpus/ and the paragraphs of the ARCD and TyDi QA dev sets kept under tests/datasets. A word-level
 * Markov chain (order 2) trained on that text writes new sentences, so that every passage is distinct
 * (duplicated passages would make exact and approximate search disagree on ties) while the vocabulary,
 * word lengths and sentence lengths stay those of real news Arabic. Nothing is downloaded.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { splitSentences } from "../../src/text/index.js";
import { mulberry32 } from "../../tests/support/prng.js";

/** The seed every benchmark corpus is generated with. */
export const CORPUS_SEED = 20251009;

const START = "\u0002";

/** Paragraph texts of the SQuAD-format files under tests/datasets. */
async function squadParagraphs(file: string): Promise<string[]> {
  const data = JSON.parse(await readFile(file, "utf8")) as {
    data: { paragraphs: { context: string }[] }[];
  };
  return data.data.flatMap((article) => article.paragraphs.map((paragraph) => paragraph.context));
}

/** The real sentences the generator learns from: the article's and the eval sets' paragraphs. */
export async function sourceSentences(root: string): Promise<string[]> {
  const article = await readFile(path.join(root, "corpus/tass-2025-10-09-putin-dushanbe.md"), "utf8");
  const articleParagraphs = article
    .split(/\n{2,}/)
    .filter((block) => !block.startsWith("---") && !block.startsWith("#") && !block.includes(": "));
  const paragraphs = [
    ...articleParagraphs,
    ...(await squadParagraphs(path.join(root, "tests/datasets/arcd/arcd.json"))),
    ...(await squadParagraphs(path.join(root, "tests/datasets/tydiqa/tydiqa-goldp-v1.1-dev-arabic.json"))),
  ];
  return [...new Set(paragraphs.flatMap((paragraph) => splitSentences(paragraph).map((span) => span.text)))];
}

/** An order-2 word Markov chain over sentences. */
class SentenceChain {
  private readonly next = new Map<string, string[]>();

  constructor(sentences: readonly string[]) {
    for (const sentence of sentences) {
      const words = sentence.split(/\s+/).filter(Boolean);
      let a = START;
      let b = START;
      for (const word of [...words, ""]) {
        const key = `${a} ${b}`;
        let list = this.next.get(key);
        if (!list) this.next.set(key, (list = []));
        list.push(word);
        a = b;
        b = word;
      }
    }
  }

  /** A sentence of at most `maxWords` words, ending at a sentence end of the source when one comes. */
  sentence(random: () => number, minWords: number, maxWords: number): string {
    const words: string[] = [];
    let a = START;
    let b = START;
    while (words.length < maxWords) {
      const options = this.next.get(`${a} ${b}`) ?? [""];
      const word = options[Math.floor(random() * options.length)] ?? "";
      if (word === "") {
        if (words.length >= minWords) break;
        a = START;
        b = START;
        continue;
      }
      words.push(word);
      a = b;
      b = word;
    }
    let text = words.join(" ");
    if (!/[.!؟?]$/.test(text)) text += ".";
    return text;
  }
}

/** One synthetic article as the text of a Markdown file with front matter, and its file name. */
export interface SyntheticArticle {
  readonly fileName: string;
  readonly text: string;
}

/** Sentences per article on average: about 30, as the 10,000 articles ≈ 300,000 sentences. */
const PARAGRAPHS = { min: 6, max: 14 } as const;
const SENTENCES_PER_PARAGRAPH = { min: 1, max: 4 } as const;

/**
 * A generator of synthetic articles: article `n` is the same text whatever the corpus size, so that a
 * corpus of 1,000 is the first 1,000 of a corpus of 10,000.
 */
export class SyntheticCorpus {
  private readonly chain: SentenceChain;

  private constructor(sentences: readonly string[]) {
    this.chain = new SentenceChain(sentences);
  }

  static async fromRepository(root: string): Promise<SyntheticCorpus> {
    return new SyntheticCorpus(await sourceSentences(root));
  }

  /** Synthetic article number `n` (0-based); `revision` > 0 gives an edited version of the same article. */
  article(n: number, revision = 0): SyntheticArticle {
    const random = mulberry32(CORPUS_SEED ^ Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(revision, 0x85ebca6b));
    const between = (range: { min: number; max: number }): number =>
      range.min + Math.floor(random() * (range.max - range.min + 1));
    const id = `synthetic-${String(n).padStart(6, "0")}`;
    const title = this.chain.sentence(random, 5, 12).replace(/[.!؟?]$/, "");
    const paragraphs: string[] = [];
    const count = between(PARAGRAPHS);
    for (let p = 0; p < count; p++) {
      const sentences: string[] = [];
      const size = between(SENTENCES_PER_PARAGRAPH);
      for (let s = 0; s < size; s++) sentences.push(this.chain.sentence(random, 8, 40));
      paragraphs.push(sentences.join(" "));
    }
    const day = 1 + (n % 28);
    const month = 1 + (Math.floor(n / 28) % 12);
    const published = `2025-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const text = [
      "---",
      `id: ${id}`,
      `title: ${JSON.stringify(title)}`,
      "source: أرشيف تجريبي",
      `published: ${published}`,
      "language: ar",
      "---",
      "",
      paragraphs.join("\n\n"),
      "",
    ].join("\n");
    return { fileName: `${id}.md`, text };
  }
}
