/**
 * The index's errors are problems an operator can fix: they extend OperatorError (so that the command-line
 * programs print their one line), and keep their own names, fields and messages.
 */
import { describe, expect, it } from "vitest";

import { OperatorError } from "../../src/errors/index.js";
import { IndexBuildError, IndexLoadError, IndexMemoryError, REINDEX_HINT } from "../../src/index/index.js";

const MB = 1024 * 1024;

describe("index errors", () => {
  it("IndexLoadError: an OperatorError naming the folder, the problem and the hint", () => {
    const cause = new Error("ENOENT");
    const error = new IndexLoadError("data/index", "no index found", { cause });
    expect(error).toBeInstanceOf(OperatorError);
    expect(error).toBeInstanceOf(IndexLoadError);
    expect(error.name).toBe("IndexLoadError");
    expect(error.dir).toBe("data/index");
    expect(error.problem).toBe("no index found");
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(`index at data/index: no index found; ${REINDEX_HINT}`);
  });

  it("IndexLoadError: the exact repair command when one is given", () => {
    const error = new IndexLoadError("x", "broken", { reindexCommand: "npm run reindex -- --index x" });
    expect(error.message).toBe("index at x: broken; run npm run reindex -- --index x");
  });

  it("IndexBuildError: an OperatorError with the message as given", () => {
    const error = new IndexBuildError("embedding passages failed: timeout");
    expect(error).toBeInstanceOf(OperatorError);
    expect(error.name).toBe("IndexBuildError");
    expect(error.message).toBe("embedding passages failed: timeout");
  });

  it("IndexMemoryError: an OperatorError with the sizes and what to change", () => {
    const error = new IndexMemoryError(300 * MB, 256 * MB, { articles: 10, sentences: 200, passages: 80 });
    expect(error).toBeInstanceOf(OperatorError);
    expect(error.name).toBe("IndexMemoryError");
    expect(error.neededBytes).toBe(300 * MB);
    expect(error.limitBytes).toBe(256 * MB);
    expect(error.message).toBe(
      "the index of 10 articles (200 sentences, 80 passages) would need about 300 MB of memory when " +
        "serving, more than MAX_INDEX_MEMORY_MB=256: raise MAX_INDEX_MEMORY_MB (in .env) if the machine " +
        "has the memory, lower HASHING_DIMENSIONS, or serve part of the corpus (--corpus DIR)",
    );
  });
});
