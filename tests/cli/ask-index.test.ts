/**
 * How `ask` finds its index: it builds a missing one, rebuilds a stale one, keeps another corpus's index
 * apart from the default one, and refuses an index built with other embedding settings.
 */
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARTICLE_ID,
  buildIndex,
  CLI_TIMEOUT,
  jsonLines,
  makeSandbox,
  runCli,
  singleJson,
  type AskJson,
  type Sandbox,
} from "./run-cli.js";

const SOURCE = "ما مصدر الخبر؟";

const sandboxes: Sandbox[] = [];

async function sandbox(): Promise<Sandbox> {
  const made = await makeSandbox();
  sandboxes.push(made);
  return made;
}

afterAll(async () => {
  await Promise.all(sandboxes.map((made) => made.cleanup()));
});

async function manifestText(indexDir: string): Promise<string> {
  return readFile(path.join(indexDir, "manifest.json"), "utf8");
}

// One sandbox whose index goes through a life: built by ask, kept while another corpus is asked about,
// rebuilt when the article changes. The tests run in order.
describe("npm run ask: its own index", () => {
  let box: Sandbox;

  beforeAll(async () => {
    box = await sandbox();
  });

  it(
    "builds the index itself when INDEX_DIR does not exist, logging to stderr only",
    async () => {
      // Info logs: the program says it builds the index; none of that may reach stdout.
      const result = await runCli("ask", ["--json", SOURCE], { env: { ...box.env, LOG_LEVEL: "info" } });

      expect(result.code).toBe(0);
      expect(result.stderr).toContain("building the index");
      expect(jsonLines(result.stdout)).toHaveLength(1);
      // Answered from the article's fields, which only the index it built could give.
      const answer: AskJson & { about?: { source?: string } } = singleJson(result);
      expect(answer.answer).toBe("مصدر الخبر تاس (TASS)، ونُشر في 9 أكتوبر/تشرين الأول 2025.");
      expect(answer.about?.source).toBe("تاس (TASS)");
      const manifest = JSON.parse(await manifestText(box.indexDir)) as { counts: { documents: number } };
      expect(manifest.counts.documents).toBe(1);
    },
    CLI_TIMEOUT,
  );

  it(
    "keeps the index of a --corpus folder apart from INDEX_DIR",
    async () => {
      const manifest = path.join(box.indexDir, "manifest.json");
      const before = await stat(manifest);

      // Another corpus: a copy of the article plus an article of its own.
      const other = await sandbox();
      const sentence = "افتتحت بلدية خوجند أول حديقة للنباتات الجبلية النادرة في شمال طاجيكستان.";
      await writeFile(
        path.join(other.corpusDir, "khujand-garden.md"),
        `---\nid: khujand-garden\ntitle: حديقة النباتات الجبلية في خوجند\n---\n\n${sentence}\n`,
      );
      const result = await runCli(
        "ask",
        ["--corpus", other.corpusDir, "--json", "ماذا افتتحت بلدية خوجند في شمال طاجيكستان؟"],
        { env: box.env },
      );

      expect(result.code).toBe(0);
      expect(singleJson(result).citations[0]).toMatchObject({ doc: "khujand-garden", text: sentence });
      expect((await stat(manifest)).mtimeMs).toBe(before.mtimeMs);
      const corpora = path.join(path.dirname(box.indexDir), "corpora");
      const folders = await readdir(corpora);
      expect(folders).toHaveLength(1);
      const own = JSON.parse(await manifestText(path.join(corpora, folders[0] ?? ""))) as {
        counts: { documents: number };
      };
      expect(own.counts.documents).toBe(2);
      // Nothing is written into the other sandbox's default index folder either.
      expect(await stat(other.indexDir).catch(() => undefined)).toBeUndefined();
    },
    CLI_TIMEOUT,
  );

  it(
    "rebuilds the index when the article changes, and cites the new sentence",
    async () => {
      const builtBefore = await manifestText(box.indexDir);
      const added = "وأعلن المرصد الفلكي في دوشنبه اكتشاف مذنب جديد أطلق عليه العلماء اسم زمردة البامير.";
      const article = await readFile(box.articlePath, "utf8");
      // The new paragraph ends the body: after the article's last "---" come only trailer lines.
      const trailer = article.lastIndexOf("\n---\n");
      expect(trailer).toBeGreaterThan(0);
      await writeFile(box.articlePath, `${article.slice(0, trailer)}\n${added}\n${article.slice(trailer)}`);

      const result = await runCli(
        "ask",
        ["--json", "ما اسم المذنب الجديد الذي اكتشفه المرصد الفلكي في دوشنبه؟"],
        { env: box.env },
      );

      expect(result.code).toBe(0);
      const answer = singleJson(result);
      expect(answer.refused).toBe(false);
      expect(answer.citations[0]).toMatchObject({ doc: ARTICLE_ID, text: added });
      expect(await manifestText(box.indexDir)).not.toBe(builtBefore);
    },
    CLI_TIMEOUT,
  );
});

describe.concurrent("npm run ask: index and configuration errors", () => {
  it(
    "refuses an index built with other hashing dimensions and says to run npm run reindex",
    async () => {
      const box = await sandbox();
      await buildIndex(box, { HASHING_DIMENSIONS: "512" });
      const result = await runCli("ask", ["--json", SOURCE], {
        env: { ...box.env, HASHING_DIMENSIONS: "1024" },
      });

      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^error: /);
      expect(result.stderr).toContain("npm run reindex");
      expect(result.stderr).toContain("512");
      expect(result.stderr).toContain("1024");
    },
    CLI_TIMEOUT,
  );

  it(
    "exits 1 for TOP_K=abc with one line naming TOP_K",
    async () => {
      const box = await sandbox();
      const result = await runCli("ask", [SOURCE], { env: { ...box.env, TOP_K: "abc" } });

      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^error: .*TOP_K/);
      // The configuration is checked before anything is built.
      expect(await stat(box.indexDir).catch(() => undefined)).toBeUndefined();
    },
    CLI_TIMEOUT,
  );
});
