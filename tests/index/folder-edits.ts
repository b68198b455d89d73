/** Changes that tests make to saved index folders, to damage an index or make it look older. */
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

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
