import { createHash } from "node:crypto";
import { z } from "zod";
import type { Article } from "../corpus/index.js";

/**
 * Bumped whenever what an index holds changes: the shape of its files, or the words and vectors the text
 * analysis makes of the same article. An index of another version is rebuilt, never read or updated.
 * 3: names on the stem exclusion list are no longer cut, and question words that are stop words are
 * now also stop words behind a glued conjunction (ومتى، فكم) along with وقتيش، قداش and شقد, which
 * changes the analyzed words of passages and the hashed vectors made from them.
 * 4: the manifest lists the size and SHA-256 of every file, checked before any file is read.
 * 5: an index small enough for exact search keeps its vectors in vectors.f32, laid out for it, instead
 * of a graph.
 * 6: vectors.f32 starts with a header, and holds only the non-zero values of sparse (hashing) vectors.
 * 7: the records are documents.json and records.bin (sentences and passages in columns) instead of
 * store.json.
 */
export const INDEX_FORMAT_VERSION = 7;
/** The file that describes an index; written last, so that a folder with one holds a complete index. */
export const MANIFEST_FILE = "manifest.json";

const MANIFEST_SCHEMA = z.object({
  formatVersion: z.number().int(),
  embeddings: z.object({
    provider: z.enum(["hashing", "openai"]),
    model: z.string(),
    dimensions: z.number().int().positive(),
  }),
  corpusHash: z.string(),
  builtAt: z.string(),
  counts: z.object({
    documents: z.number().int().nonnegative(),
    sentences: z.number().int().nonnegative(),
    passages: z.number().int().nonnegative(),
  }),
  /**
   * The size and SHA-256 of every other file of the index, written when it is saved: a damaged file is
   * found before hnswlib reads a byte of it (a flipped byte in a vector file crashes the process).
   * Absent from the manifest of an index not yet saved, and from those of older formats.
   */
  files: z
    .record(
      z.string(),
      z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    )
    .optional(),
});

/** What an index was built from and with: checked before the index is used. */
export type IndexManifest = z.infer<typeof MANIFEST_SCHEMA>;

/** Parses a manifest file's text; throws with the reason when it is not a valid manifest. */
export function parseManifest(text: string): IndexManifest {
  return MANIFEST_SCHEMA.parse(JSON.parse(text));
}

/** Why an index with this manifest cannot be read by this version of Sanad, or undefined when it can. */
export function formatProblem(manifest: IndexManifest): string | undefined {
  return manifest.formatVersion === INDEX_FORMAT_VERSION
    ? undefined
    : `index format ${manifest.formatVersion}, this version of Sanad reads format ${INDEX_FORMAT_VERSION}`;
}

/**
 * A fingerprint of a corpus's content: changes when an article is added, removed or edited, and not
 * when files are merely touched or renamed.
 */
export function corpusFingerprint(articles: readonly Article[]): string {
  const hash = createHash("sha256");
  for (const entry of articles.map((article) => `${article.meta.id}\t${article.contentHash}`).sort()) {
    hash.update(entry).update("\n");
  }
  return hash.digest("hex");
}
