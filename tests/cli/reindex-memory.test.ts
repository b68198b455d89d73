/**
 * `npm run reindex` refuses a corpus whose index would not fit MAX_INDEX_MEMORY_MB: one line on stderr
 * naming the variable, exit 1, and no index written. The sizes are checked here with the same estimate
 * the program uses, so that the test says why the corpus is too big.
 */
import { access, cp, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SyntheticCorpus } from "../../bench/lib/synthetic-corpus.js";
import { loadCorpus } from "../../src/corpus/index.js";
import { estimateServingBytes, SanadIndex, type IndexSize } from "../../src/index/index.js";
import { CLI_TIMEOUT, makeSandbox, REPO_ROOT, runCli, type Sandbox } from "./run-cli.js";

const MB = 1024 * 1024;
/** The default of HASHING_DIMENSIONS, which the program uses when it is not set. */
const DEFAULT_DIMENSIONS = 2048;
/** The smallest limit MAX_INDEX_MEMORY_MB takes. */
const LIMIT_MB = 256;
/** Synthetic articles added to the real one: enough that 65,536 dimensions need over LIMIT_MB, 2048 not. */
const EXTRA_ARTICLES = 120;

let sandbox: Sandbox;
let size: IndexSize;
let corpusDir: string;

beforeAll(async () => {
  sandbox = await makeSandbox();
  corpusDir = path.join(sandbox.root, "big-corpus");
  await mkdir(corpusDir);
  await cp(sandbox.corpusDir, corpusDir, { recursive: true });
  const synthetic = await SyntheticCorpus.fromRepository(REPO_ROOT);
  for (let n = 0; n < EXTRA_ARTICLES; n++) {
    const article = synthetic.article(n);
    await writeFile(path.join(corpusDir, article.fileName), article.text);
  }
  const { articles } = await loadCorpus(corpusDir);
  const index = await SanadIndex.build(articles, { provider: "hashing", dimensions: 256 });
  size = {
    sentences: index.sentences.length,
    passages: index.passages.length,
    textCharacters: index.sentences.reduce((sum, sentence) => sum + sentence.text.length, 0),
  };
});

afterAll(async () => {
  await sandbox.cleanup();
});

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function expectOneLineNaming(stderr: string, limitMb: number): void {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(`MAX_INDEX_MEMORY_MB=${limitMb}`);
  expect(lines[0]).toContain("HASHING_DIMENSIONS");
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe.concurrent("npm run reindex over MAX_INDEX_MEMORY_MB", () => {
  it(
    `fails with one line naming MAX_INDEX_MEMORY_MB and writes no index (MAX_INDEX_MEMORY_MB=${LIMIT_MB})`,
    async () => {
      expect(estimateServingBytes(size, 65_536)).toBeGreaterThan(LIMIT_MB * MB);
      const indexDir = path.join(sandbox.root, "index-65536");
      const result = await runCli("reindex", [], {
        env: {
          ...sandbox.env,
          CORPUS_DIR: corpusDir,
          INDEX_DIR: indexDir,
          MAX_INDEX_MEMORY_MB: String(LIMIT_MB),
          HASHING_DIMENSIONS: "65536",
        },
      });

      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expectOneLineNaming(result.stderr, LIMIT_MB);
      expect(await exists(indexDir)).toBe(false);
      // Nor a half-written one beside it.
      expect((await readdir(sandbox.root)).filter((name) => name.startsWith("index-65536"))).toEqual([]);
    },
    CLI_TIMEOUT,
  );

  it(
    "builds the same corpus within the same limit at the default dimensions",
    async () => {
      expect(estimateServingBytes(size, DEFAULT_DIMENSIONS)).toBeLessThan(LIMIT_MB * MB);
      const indexDir = path.join(sandbox.root, "index-default");
      const fits = await runCli("reindex", [], {
        env: {
          ...sandbox.env,
          CORPUS_DIR: corpusDir,
          INDEX_DIR: indexDir,
          MAX_INDEX_MEMORY_MB: String(LIMIT_MB),
        },
      });
      expect(fits.stderr).toBe("");
      expect(fits.code).toBe(0);
      expect(fits.stdout).toMatch(new RegExp(`^documents: ${EXTRA_ARTICLES + 1}$`, "m"));
      expect(await exists(path.join(indexDir, "manifest.json"))).toBe(true);
    },
    CLI_TIMEOUT,
  );
});
