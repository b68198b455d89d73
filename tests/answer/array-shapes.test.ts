import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PROBE = path.join(REPO_ROOT, "tests", "support", "array-shapes-probe.ts");

describe("the arrays every answer's loops read", () => {
  it("keep one hidden class once the code making them is optimized (no deoptimization when it is)", async () => {
    // V8's map comparison needs --allow-natives-syntax, so the probe runs in a node process of its own.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--allow-natives-syntax", "--import", "tsx", PROBE],
      { cwd: REPO_ROOT, timeout: 120_000 },
    );
    const shapes = JSON.parse(stdout) as Record<string, number>;
    expect(shapes).toEqual({ terms: 1, alternatives: 1, hits: 1, sentences: 1 });
  }, 150_000);
});
