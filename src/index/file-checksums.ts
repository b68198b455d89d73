import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

/** What a file of an index held when it was written: its size and the SHA-256 of its bytes. */
export interface FileChecksum {
  readonly bytes: number;
  readonly sha256: string;
}

/** The checksums of an index's files, by file name. */
export type FileChecksums = Readonly<Record<string, FileChecksum>>;

/** Files hashed at once: enough to keep a disk busy, few enough not to exhaust file handles. */
const PARALLEL_FILES = 4;

/** The SHA-256 of a file, read as a stream so that a file of gigabytes takes no more memory than a chunk. */
async function sha256Of(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * The checksum of every file in `dir` but `except` (the manifest that lists them). Those in `known` (files
 * linked from an index checked when it was loaded) are taken as known when their size agrees: hashing a
 * gigabyte of unchanged graphs again was most of an incremental reindex.
 */
export async function checksumFolder(
  dir: string,
  except: readonly string[],
  known: FileChecksums = {},
): Promise<FileChecksums> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile() && !except.includes(entry.name))
    .map((entry) => entry.name)
    .sort();
  const result: Record<string, FileChecksum> = {};
  await inBatches(names, async (name) => {
    const file = path.join(dir, name);
    const { size } = await stat(file);
    const already = known[name];
    result[name] = already?.bytes === size ? already : { bytes: size, sha256: await sha256Of(file) };
  });
  return Object.fromEntries(names.map((name) => [name, result[name] as FileChecksum]));
}

/**
 * The first file of `dir` that does not hold what `expected` says — missing, of another size, or with
 * other bytes — with what is wrong with it; undefined when every file is as written. Sizes are checked
 * first (a truncated file costs no hashing), then contents, but for files `sizeOnly` names: those (graphs
 * an update will not read) are hashed by the load that reads them.
 */
export async function findDamagedFile(
  dir: string,
  expected: FileChecksums,
  sizeOnly: (name: string) => boolean = () => false,
): Promise<{ readonly file: string; readonly problem: string } | undefined> {
  const names = Object.keys(expected).sort();
  for (const name of names) {
    const size = await stat(path.join(dir, name)).then(
      (stats) => stats.size,
      () => undefined,
    );
    if (size === undefined) return { file: name, problem: "is missing" };
    const want = expected[name]?.bytes;
    if (size !== want) return { file: name, problem: `has ${size} bytes, ${want ?? 0} were written` };
  }
  const damaged: string[] = [];
  await inBatches(
    names.filter((name) => !sizeOnly(name)),
    async (name) => {
      if ((await sha256Of(path.join(dir, name))) !== expected[name]?.sha256) damaged.push(name);
    },
  );
  const [first] = damaged.sort();
  return first === undefined
    ? undefined
    : { file: first, problem: "does not hold the bytes that were written (checksum mismatch)" };
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += PARALLEL_FILES) {
    await Promise.all(items.slice(i, i + PARALLEL_FILES).map(work));
  }
}
