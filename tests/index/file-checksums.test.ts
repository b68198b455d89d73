/**
 * The checksums of an index's files: what checksumFolder records of a folder, and how findDamagedFile
 * reports a file that no longer holds it (sizes first, then contents).
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { checksumFolder, findDamagedFile } from "../../src/index/file-checksums.js";
import { parseManifest } from "../../src/index/manifest.js";
import { appendBytes, overwriteBytes } from "./folder-edits.js";

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
const MISMATCH = "does not hold the bytes that were written (checksum mismatch)";

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "sanad-checksums-"));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A new folder holding `files` (name → text). */
async function folderWith(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = await mkdtemp(path.join(tmp, "dir-"));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const CONTENT = { "b.json": "[1, 2, 3]", "a.u32": "abcdefgh", "c.hnsw": "", "manifest.json": "{}" };

describe("checksumFolder", () => {
  it("lists each file but those excepted, by name in order, with its size and SHA-256", async () => {
    const dir = await folderWith(CONTENT);
    await mkdir(path.join(dir, "a-folder"));
    const sums = await checksumFolder(dir, ["manifest.json"]);
    expect(Object.keys(sums)).toEqual(["a.u32", "b.json", "c.hnsw"]);
    expect(sums).toEqual({
      "a.u32": { bytes: 8, sha256: sha256("abcdefgh") },
      "b.json": { bytes: 9, sha256: sha256("[1, 2, 3]") },
      "c.hnsw": { bytes: 0, sha256: sha256("") },
    });
  });

  it("gives what a manifest accepts", async () => {
    const dir = await folderWith(CONTENT);
    const files = await checksumFolder(dir, []);
    const manifest = {
      formatVersion: 4,
      embeddings: { provider: "hashing", model: "m", dimensions: 8 },
      corpusHash: "x",
      builtAt: "2025-10-10T00:00:00.000Z",
      counts: { documents: 0, sentences: 0, passages: 0 },
    };
    expect(parseManifest(JSON.stringify({ ...manifest, files })).files).toEqual(files);
    expect(parseManifest(JSON.stringify(manifest)).files).toBeUndefined();
    const notHex = { "a.u32": { bytes: 8, sha256: "A".repeat(64) } };
    expect(() => parseManifest(JSON.stringify({ ...manifest, files: notHex }))).toThrow();
  });
});

describe("findDamagedFile", () => {
  it("finds nothing in a folder as written, nor in one with a file it does not list", async () => {
    const dir = await folderWith(CONTENT);
    const sums = await checksumFolder(dir, ["manifest.json"]);
    expect(await findDamagedFile(dir, sums)).toBeUndefined();
    await writeFile(path.join(dir, "stray.txt"), "left by something else");
    expect(await findDamagedFile(dir, sums)).toBeUndefined();
  });

  it.each<[string, (dir: string) => Promise<void>, string, string]>([
    ["deleted", (dir) => unlink(path.join(dir, "b.json")), "b.json", "is missing"],
    [
      "one byte longer",
      (dir) => appendBytes(path.join(dir, "b.json"), 1),
      "b.json",
      "has 10 bytes, 9 were written",
    ],
    ["emptied", (dir) => writeFile(path.join(dir, "a.u32"), ""), "a.u32", "has 0 bytes, 8 were written"],
    [
      "of the same size with two bytes changed",
      (dir) => overwriteBytes(path.join(dir, "a.u32"), 3, 2),
      "a.u32",
      MISMATCH,
    ],
  ])("reports a file %s, by name", async (_name, damage, file, problem) => {
    const dir = await folderWith(CONTENT);
    const sums = await checksumFolder(dir, ["manifest.json"]);
    await damage(dir);
    expect(await findDamagedFile(dir, sums)).toEqual({ file, problem });
  });

  it("reports a file of another size before one with other bytes, and of those the first by name", async () => {
    const dir = await folderWith(CONTENT);
    const sums = await checksumFolder(dir, ["manifest.json"]);
    await overwriteBytes(path.join(dir, "a.u32"), 0, 1);
    await overwriteBytes(path.join(dir, "b.json"), 0, 1);
    expect(await findDamagedFile(dir, sums)).toEqual({ file: "a.u32", problem: MISMATCH });
    await appendBytes(path.join(dir, "c.hnsw"), 2);
    expect(await findDamagedFile(dir, sums)).toEqual({
      file: "c.hnsw",
      problem: "has 2 bytes, 0 were written",
    });
  });
});
