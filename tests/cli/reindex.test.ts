import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTICLE_FILE,
  ARTICLE_ID,
  CLI_TIMEOUT,
  makeSandbox,
  readArticle,
  runCli,
  type Sandbox,
} from "./run-cli.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await makeSandbox();
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

describe.concurrent("npm run reindex", () => {
  it(
    "builds the index of CORPUS_DIR into INDEX_DIR and prints a summary",
    async () => {
      const result = await runCli("reindex", [], { env: sandbox.env });

      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^documents: 1$/m);
      expect(result.stdout).toMatch(/^sentences: [1-9]\d*$/m);
      expect(result.stdout).toMatch(/^passages: [1-9]\d*$/m);
      expect(result.stdout).toMatch(/^seconds: \d+\.\d\d$/m);
      expect(result.stdout).toMatch(/^skipped files: 0$/m);
      expect(result.stdout).toContain(`index: ${sandbox.indexDir}`);
      const manifest = JSON.parse(await readFile(path.join(sandbox.indexDir, "manifest.json"), "utf8")) as {
        counts: { documents: number; sentences: number; passages: number };
      };
      expect(manifest.counts.documents).toBe(1);
      const sentences = /^sentences: (\d+)$/m.exec(result.stdout)?.[1];
      expect(manifest.counts.sentences).toBe(Number(sentences));
    },
    CLI_TIMEOUT,
  );

  it(
    "takes the folders from --corpus and --index over CORPUS_DIR and INDEX_DIR",
    async () => {
      const envIndex = path.join(sandbox.root, "flags", "env-index");
      const flagIndex = path.join(sandbox.root, "flags", "flag-index");
      const result = await runCli("reindex", ["--corpus", sandbox.corpusDir, "--index", flagIndex], {
        env: { CORPUS_DIR: path.join(sandbox.root, "no-such-corpus"), INDEX_DIR: envIndex },
      });

      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^documents: 1$/m);
      expect(await exists(path.join(flagIndex, "manifest.json"))).toBe(true);
      expect(await exists(envIndex)).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    "skips a broken file, indexes the good one, and names the broken one on stderr",
    async () => {
      const corpus = path.join(sandbox.root, "mixed-corpus");
      const index = path.join(sandbox.root, "mixed-index");
      await mkdir(corpus, { recursive: true });
      await writeFile(path.join(corpus, ARTICLE_FILE), await readArticle());
      await writeFile(
        path.join(corpus, "bad.md"),
        "---\nid: bad-article\ntitle: مقال بلا نهاية للترويسة\n\nهذا نص مقال لم تغلق ترويسته أبداً.\n",
      );
      const result = await runCli("reindex", [], { env: { CORPUS_DIR: corpus, INDEX_DIR: index } });

      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^documents: 1$/m);
      expect(result.stdout).toMatch(/^skipped files: 1$/m);
      expect(result.stderr).toContain("bad.md");
      expect(result.stderr).not.toContain(ARTICLE_FILE);
      const store = await readFile(path.join(index, "documents.json"), "utf8");
      expect(store).toContain(ARTICLE_ID);
      expect(store).not.toContain("bad-article");
    },
    CLI_TIMEOUT,
  );

  it(
    "fails with one line naming a missing corpus folder and how to choose another",
    async () => {
      const missing = path.join(sandbox.root, "missing-corpus");
      const result = await runCli("reindex", [], {
        env: { CORPUS_DIR: missing, INDEX_DIR: path.join(sandbox.root, "missing-index") },
      });

      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: /);
      expect(lines[0]).toContain(missing);
      expect(lines[0]).toContain("CORPUS_DIR");
      expect(lines[0]).toContain("--corpus");
      expect(await exists(path.join(sandbox.root, "missing-index"))).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects an unknown flag with exit 2 and the usage text",
    async () => {
      const result = await runCli("reindex", ["--bogus"], { env: sandbox.env });

      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: .*--bogus/);
      expect(result.stderr).toContain("usage: npm run reindex");
    },
    CLI_TIMEOUT,
  );
});
