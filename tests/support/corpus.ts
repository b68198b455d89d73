/** The repository's own corpus and gold set, and the small index most tests build of them. */
import path from "node:path";

import type { EmbeddingsConfig } from "../../src/config/index.js";
import { loadCorpus, parseArticle, type Article } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";

/** The repository root. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
export const CORPUS_DIR = path.join(REPO_ROOT, "corpus");
export const CORPUS_FILE = path.join(CORPUS_DIR, "tass-2025-10-09-putin-dushanbe.md");
export const GOLD_FILE = path.join(REPO_ROOT, "tests/gold/article-qa.json");
/** Id of the corpus's one article. */
export const DOC_ID = "tass-2025-10-09-putin-dushanbe";
/** Hashing embeddings small enough to build in a blink, large enough to rank the article well. */
export const SMALL_INDEX_CONFIG: EmbeddingsConfig = { provider: "hashing", dimensions: 512 };

/** The real corpus indexed small (hashing, 512 dimensions), for tests of everything downstream. */
export async function buildCorpusIndex(): Promise<SanadIndex> {
  const { articles } = await loadCorpus(CORPUS_DIR);
  return SanadIndex.build(articles, SMALL_INDEX_CONFIG);
}

/** Id of {@link secondArticle}. */
export const SECOND_ARTICLE_ID = "cairo-book-fair";

/** The text of the second article tests index beside the corpus's: front matter, a heading, a trailer. */
export const SECOND_ARTICLE_TEXT = `---
id: ${SECOND_ARTICLE_ID}
title: افتتاح معرض القاهرة الدولي للكتاب
source: وكالة أنباء الشرق الأوسط
published: 2025-01-24
language: ar
url: https://example.org/cairo-book-fair
---

افتتح رئيس الوزراء المصري معرض القاهرة الدولي للكتاب في دورته السادسة والخمسين بمشاركة 1345 دار نشر من 80 دولة.

## البرنامج

ويستمر المعرض حتى الخامس من فبراير، وتحل سلطنة عمان ضيف شرف على الدورة الحالية. وتوقع المنظمون أن يتجاوز عدد الزوار مليوني زائر.

---

الصورة: الهيئة المصرية العامة للكتاب
`;

/**
 * A second article, on another subject (the Cairo book fair), so that tests over several articles can
 * tell them apart: its source and date come from front matter, its photo credit from a trailer line.
 */
export function secondArticle(): Article {
  return parseArticle(`corpus/${SECOND_ARTICLE_ID}.md`, SECOND_ARTICLE_TEXT);
}
