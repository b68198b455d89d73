import { createHash } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";

import { parseMarkdownBody, parsePlainTextBody } from "./body.js";
import { CorpusDirectoryError, CorpusFileError } from "./errors.js";
import {
  DEFAULT_LANGUAGE,
  isArticleId,
  opensFrontMatter,
  parseFrontMatter,
  splitFrontMatter,
} from "./front-matter.js";
import type { Article, ArticleBlock, ArticleMeta, Corpus, CorpusProblem, KnownArticles } from "./types.js";

const MARKDOWN_EXTENSION = ".md";
const PLAIN_TEXT_EXTENSION = ".txt";
/** Longest title derived from a plain-text article's first paragraph, before the ellipsis. */
const MAX_DERIVED_TITLE_LENGTH = 100;
const ELLIPSIS = "…";
/** Files read at once when loading a corpus. */
const PARALLEL_READS = 64;

/** Result of loading one file: the article, or why it could not be loaded. */
type FileOutcome =
  { readonly ok: true; readonly article: Article } | { readonly ok: false; readonly problem: CorpusProblem };

/** Parses one article file's text; `.txt` is plain text, anything else Markdown with optional front matter. */
export function parseArticle(path: string, raw: string): Article {
  return buildArticle(path, raw, sha256Hex(Buffer.from(raw, "utf8")));
}

/** Options of {@link loadCorpus}. */
export interface LoadCorpusOptions {
  /**
   * Articles already known (an index's documents, by content hash): a file with the bytes of one of
   * them is not parsed (parsing is most of loading 10,000 articles); its blocks are parsed when read.
   */
  readonly known?: KnownArticles;
}

/** Loads every `.md` and `.txt` file directly in `dir`; bad files become problems instead of failing the load. */
export async function loadCorpus(dir: string, options: LoadCorpusOptions = {}): Promise<Corpus> {
  const names = await listArticleFiles(dir);
  const outcomes: FileOutcome[] = [];
  // A bounded number of files at a time: one by one leaves the disk idle between reads (10,000 articles
  // took seconds), all at once could run out of file handles (EMFILE). Order is kept.
  for (let start = 0; start < names.length; start += PARALLEL_READS) {
    const batch = names.slice(start, start + PARALLEL_READS);
    outcomes.push(...(await Promise.all(batch.map((name) => loadFile(join(dir, name), options.known)))));
  }
  return collectCorpus(outcomes);
}

/**
 * The metadata of the known article these bytes are, if any. The same bytes parse to the same article
 * but for the id of a file without front matter, which is its name: a known article with these bytes
 * is this file when the front matter gives the id, or when its id is this file's name.
 */
function knownMeta(
  path: string,
  bytes: Buffer,
  candidates: readonly ArticleMeta[] | undefined,
): ArticleMeta | undefined {
  const [first] = candidates ?? [];
  if (first === undefined) return undefined;
  const lineEnd = bytes.indexOf(0x0a);
  const firstLine = decodeUtf8(path, bytes.subarray(0, lineEnd < 0 ? bytes.length : lineEnd));
  const named = extname(path).toLowerCase() === PLAIN_TEXT_EXTENSION || !opensFrontMatter(firstLine);
  if (!named) return first;
  const id = basename(path, extname(path));
  return candidates?.find((meta) => meta.id === id);
}

/** A known article (see {@link knownMeta}): its blocks are parsed from its bytes only if they are read. */
function knownArticle(path: string, bytes: Buffer, contentHash: string, meta: ArticleMeta): Article {
  let blocks: readonly ArticleBlock[] | undefined;
  return {
    meta,
    path,
    contentHash,
    get blocks(): readonly ArticleBlock[] {
      blocks ??= buildArticle(path, decodeUtf8(path, bytes), contentHash).blocks;
      return blocks;
    },
  };
}

function buildArticle(path: string, text: string, contentHash: string): Article {
  if (text.trim() === "") throw new CorpusFileError(path, "file is empty");
  const { meta, blocks } =
    extname(path).toLowerCase() === PLAIN_TEXT_EXTENSION
      ? { meta: undefined, blocks: parsePlainTextBody(text) }
      : parseMarkdown(path, text);
  const firstParagraph = blocks.find((block) => block.kind === "paragraph");
  if (firstParagraph === undefined) {
    const where = meta === undefined ? "" : " after the front matter";
    throw new CorpusFileError(path, `no article text${where}`);
  }
  return { meta: meta ?? derivedMeta(path, firstParagraph.text), path, blocks, contentHash };
}

function parseMarkdown(
  path: string,
  text: string,
): { meta: ArticleMeta | undefined; blocks: ArticleBlock[] } {
  const { yaml, body } = splitFrontMatter(path, text);
  // Without front matter a Markdown file gets its metadata like a .txt file, but its body is still Markdown.
  const meta = yaml === undefined ? undefined : parseFrontMatter(path, yaml);
  return { meta, blocks: parseMarkdownBody(body) };
}

/** Metadata for a file without front matter: id from the file name, title from the opening text. */
function derivedMeta(path: string, firstParagraph: string): ArticleMeta {
  const id = basename(path, extname(path));
  if (!isArticleId(id)) {
    throw new CorpusFileError(
      path,
      `file name "${id}" cannot be used as the article id; rename the file using only letters, digits, ".", "_" and "-" (starting with a letter or digit)`,
    );
  }
  return { id, title: shortTitle(firstParagraph), language: DEFAULT_LANGUAGE };
}

/** Cuts at a word boundary so a derived title never ends mid-word. */
function shortTitle(text: string): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  if (flat.length <= MAX_DERIVED_TITLE_LENGTH) return flat;
  // One character more than the limit shows whether the limit falls exactly on a word boundary.
  const window = flat.slice(0, MAX_DERIVED_TITLE_LENGTH + 1);
  const lastSpace = window.lastIndexOf(" ");
  const head = lastSpace > 0 ? window.slice(0, lastSpace) : flat.slice(0, MAX_DERIVED_TITLE_LENGTH);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

async function listArticleFiles(dir: string): Promise<string[]> {
  const entries = await readEntries(dir);
  return entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isArticleFileName(entry.name))
    .map((entry) => entry.name)
    .sort(compareCodeUnits);
}

async function readEntries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = errorCode(error);
    const reason =
      code === "ENOENT"
        ? "does not exist"
        : code === "ENOTDIR"
          ? "is not a folder"
          : `cannot be read (${code ?? String(error)})`;
    throw new CorpusDirectoryError(dir, reason, { cause: error });
  }
}

function isArticleFileName(name: string): boolean {
  const extension = extname(name).toLowerCase();
  return !name.startsWith(".") && (extension === MARKDOWN_EXTENSION || extension === PLAIN_TEXT_EXTENSION);
}

/** Locale-independent order, so every machine loads the files in the same order. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function loadFile(path: string, known: KnownArticles | undefined): Promise<FileOutcome> {
  try {
    const bytes = await readFile(path);
    const contentHash = sha256Hex(bytes);
    const meta = knownMeta(path, bytes, known?.get(contentHash));
    if (meta) return { ok: true, article: knownArticle(path, bytes, contentHash, meta) };
    return { ok: true, article: buildArticle(path, decodeUtf8(path, bytes), contentHash) };
  } catch (error) {
    if (error instanceof CorpusFileError) return { ok: false, problem: { path, reason: error.reason } };
    const code = errorCode(error);
    // Anything other than a file or I/O problem is a bug and must not be hidden as a "bad file".
    if (code === undefined) throw error;
    return { ok: false, problem: { path, reason: `cannot be read (${code})` } };
  }
}

/** Fatal decoding, because silently replaced characters would corrupt quoted sentences. */
function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    // ignoreBOM keeps a BOM in the text (the parsers drop it), so the text re-encodes to exactly these bytes.
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new CorpusFileError(path, "not valid UTF-8 text; save the file as UTF-8", { cause: error });
  }
}

/** Keeps the first file for each id; later files with the same id are reported against it. */
function collectCorpus(outcomes: readonly FileOutcome[]): Corpus {
  const articles: Article[] = [];
  const problems: CorpusProblem[] = [];
  const ownerOfId = new Map<string, string>();
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      problems.push(outcome.problem);
      continue;
    }
    const { meta, path } = outcome.article;
    const owner = ownerOfId.get(meta.id);
    if (owner === undefined) {
      ownerOfId.set(meta.id, path);
      articles.push(outcome.article);
    } else {
      problems.push({
        path,
        reason: `duplicate id "${meta.id}": ${owner} already has it; give this file another id`,
      });
    }
  }
  return { articles, problems };
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
