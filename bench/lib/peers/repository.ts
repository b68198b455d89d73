import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The repository's folder: the nearest one above this file that holds package.json. The benchmark runs
 * from bench/ under tsx, or from dist/bench/ as `npm run build` writes it, one level deeper.
 */
export const REPOSITORY = repositoryAbove(import.meta.dirname);

function repositoryAbove(folder: string): string {
  let at = folder;
  while (!existsSync(path.join(at, "package.json"))) {
    const parent = path.dirname(at);
    if (parent === at)
      throw new Error(`no package.json in ${folder} or above it: run the benchmark from the repository`);
    at = parent;
  }
  return at;
}

/**
 * The script at `relative` (without its extension) from the folder of `file` (a module's
 * import.meta.filename), in the same form as it: a .ts file under tsx, the built .js otherwise.
 */
export function scriptBeside(file: string, relative: string): string {
  return path.join(path.dirname(file), `${relative}${path.extname(file)}`);
}
