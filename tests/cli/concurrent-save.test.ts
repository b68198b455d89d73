/**
 * Two `ask` (or `start`) processes that find no index both build one and save it into the same folder.
 * Started as processes, they collide only now and then (the window is between two renames), so this
 * test reproduces the collision reliably in one process: two indexes saved into the same folder at
 * once, ten times over, as two programs that finished building at the same moment would.
 *
 * Observed from the command line: run six `npm run -s ask -- "..."` at once on an empty INDEX_DIR and
 * some fail with "error: ENOTEMPTY: directory not empty, rename '.../index.tmp-XXXX' -> '.../index'".
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../src/corpus/index.js";
import { SanadIndex } from "../../src/index/index.js";
import { makeSandbox, type Sandbox } from "./run-cli.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await makeSandbox();
});

afterAll(async () => {
  await sandbox.cleanup();
});

describe("saving the index from two programs at once", () => {
  it("succeeds for both, into a missing folder or over an old index, and leaves one complete index", async () => {
    const { articles } = await loadCorpus(sandbox.corpusDir);
    const embeddings = { provider: "hashing", dimensions: 256 } as const;
    const first = await SanadIndex.build(articles, embeddings);
    const second = await SanadIndex.build(articles, embeddings);

    // Whether the two saves collide depends on how the file operations interleave: try a few times.
    const failures: string[] = [];
    for (let round = 0; round < 10; round++) {
      const dir = path.join(sandbox.root, `round-${round}`, "index");
      // First into a missing folder (two programs that found no index), then over the index just saved.
      for (const situation of ["missing", "existing"]) {
        const outcomes = await Promise.allSettled([first.save(dir), second.save(dir)]);
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") failures.push(`${situation}: ${String(outcome.reason)}`);
        }
      }
      await SanadIndex.load(dir, embeddings).catch((error: unknown) => {
        failures.push(`load after round ${round}: ${String(error)}`);
      });
    }
    expect(failures).toEqual([]);
  });
});
