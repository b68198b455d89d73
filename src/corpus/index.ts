/** Corpus stage: loads the article files the bot answers from. Other modules import only from here. */

/** Article, block, metadata and corpus types. */
export type {
  Article,
  ArticleBlock,
  ArticleBlockKind,
  ArticleMeta,
  Corpus,
  CorpusProblem,
  KnownArticles,
} from "./types.js";
/** Errors for an unusable corpus folder and for a file that cannot become an article. */
export { CorpusDirectoryError, CorpusFileError } from "./errors.js";
/** Loading a corpus folder, and parsing one article's text. */
export { loadCorpus, parseArticle, type LoadCorpusOptions } from "./load.js";
