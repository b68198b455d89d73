/**
 * Checks of the file checksums an index manifest lists (index format 4), computed here apart from
 * `src/index/file-checksums.ts` so that the tests do not take its word for what a file holds.
 */
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

import { expect } from "vitest";

import { MANIFEST_FILE, type IndexManifest } from "../../src/index/manifest.js";

/** A manifest without its file checksums: what a build knows of itself before it is saved. */
export function withoutFiles(manifest: IndexManifest | undefined): IndexManifest | undefined {
  if (manifest === undefined) return undefined;
  const copy: IndexManifest = { ...manifest };
  delete copy.files;
  return copy;
}

/**
 * Fails the test unless `manifest` lists every file of the folder `dir` but manifest.json, each with its
 * size in bytes and the SHA-256 of its bytes as 64 lowercase hex digits.
 */
export async function expectChecksumsOf(dir: string, manifest: IndexManifest | undefined): Promise<void> {
  const files = manifest?.files;
  expect(files).toBeDefined();
  const names = (await readdir(dir)).filter((name) => name !== MANIFEST_FILE).sort();
  expect(names.length).toBeGreaterThan(0);
  expect(Object.keys(files ?? {}).sort()).toEqual(names);
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name));
    const listed = files?.[name];
    expect(listed?.sha256, name).toMatch(/^[0-9a-f]{64}$/);
    expect(listed, name).toEqual({
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
    });
  }
}

/**
 * What the load of the index in `dir` says of its file `file`, which was written with `written` bytes
 * and has been damaged since: missing, of another size, or of the same size with other bytes.
 */
export async function checksumRefusal(dir: string, file: string, written: number): Promise<string> {
  const size = await stat(path.join(dir, file)).then(
    (stats) => stats.size,
    () => undefined,
  );
  if (size === undefined) return `${file} is missing`;
  if (size !== written) return `${file} has ${size} bytes, ${written} were written`;
  return `${file} does not hold the bytes that were written (checksum mismatch)`;
}

/** The size `manifest` lists for `file`; fails the test when it lists none. */
export function writtenBytes(manifest: IndexManifest | undefined, file: string): number {
  const bytes = manifest?.files?.[file]?.bytes;
  expect(bytes, `${file} in the manifest`).toBeDefined();
  return bytes ?? -1;
}
