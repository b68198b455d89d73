/** Changes that tests make to saved index folders, to damage an index or make it look older. */
import { appendFile, cp, mkdtemp, open, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { checksumFolder } from "../../src/index/file-checksums.js";
import { MANIFEST_FILE } from "../../src/index/manifest.js";

/** A copy of the folder `source`, named `index`, in a new folder under `parent`. */
export async function copyFolder(source: string, parent: string): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(parent, "copy-")), "index");
  await cp(source, dir, { recursive: true });
  return dir;
}

/** Rewrites the JSON file `file` with what `edit` makes of its content. */
export async function editJson(
  file: string,
  edit: (value: Record<string, unknown>) => unknown,
): Promise<void> {
  const value = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  await writeFile(file, JSON.stringify(edit(value)));
}

/** Keeps the first `bytes(size)` bytes of `file`. */
export async function cutFile(file: string, bytes: (size: number) => number): Promise<void> {
  const content = await readFile(file);
  await writeFile(file, content.subarray(0, bytes(content.length)));
}

/**
 * Writes `bytes` over the bytes of `file` from `offset` on, keeping its size: the damage a bad disk
 * sector or a stray write does, which no size check sees. Each written byte differs from the one it
 * replaces (it is the old byte with every bit flipped), so that the file's content does change.
 */
export async function overwriteBytes(file: string, offset: number, count: number): Promise<void> {
  const handle = await open(file, "r+");
  try {
    const old = Buffer.alloc(count);
    const { bytesRead } = await handle.read(old, 0, count, offset);
    if (bytesRead !== count) throw new Error(`${file} has fewer than ${offset + count} bytes`);
    await handle.write(
      old.map((byte) => byte ^ 0xff),
      0,
      count,
      offset,
    );
  } finally {
    await handle.close();
  }
}

/** Adds `bytes` bytes at the end of `file`. */
export function appendBytes(file: string, bytes: number): Promise<void> {
  return appendFile(file, Buffer.alloc(bytes, 0x20));
}

/**
 * Rewrites the file checksums in the manifest of the index in `dir` to what its files hold now, as a
 * manifest edited by hand or a folder mixed from two builds would have them: the checksum check then
 * passes, and a damaged file is left for the checks of its content to find.
 */
export async function resealManifest(dir: string): Promise<void> {
  const files = await checksumFolder(dir, [MANIFEST_FILE]);
  await editJson(path.join(dir, MANIFEST_FILE), (manifest) => ({ ...manifest, files }));
}
