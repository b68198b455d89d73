/**
 * The real `npm run -s ask` on an index whose vector graph was damaged after it was saved: it stops with
 * one line naming the file and the command that rebuilds it, and exit code 1, where hnswlib reading the
 * file would have ended the process with a segmentation fault at the first question.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  baseEnv,
  CLI_TIMEOUT,
  makeSandbox,
  REPO_ROOT,
  runCli,
  type CliResult,
  type Sandbox,
} from "../cli/run-cli.js";
import { overwriteBytes } from "./folder-edits.js";

const QUESTION = "ما مصدر الخبر؟";
const GRAPH = "vectors.f32";

/** Runs `npm run -s ask -- …args` from the repository root, in the minimal environment of the CLI tests. */
function npmAsk(args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "ask", "--", ...args], {
      cwd: REPO_ROOT,
      env: baseEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT - 5_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe("npm run ask on an index with a damaged vector graph", () => {
  let box: Sandbox;
  let folders: string[];

  beforeAll(async () => {
    box = await makeSandbox();
    folders = ["--corpus", box.corpusDir, "--index", box.indexDir];
  });

  afterAll(async () => {
    await box.cleanup();
  });

  it(
    "exits with code 1, naming the file and the command that rebuilds it, and answers again once rebuilt",
    async () => {
      const built = await npmAsk([...folders, "--json", QUESTION]);
      expect(built.code, built.stderr).toBe(0);
      const manifest = JSON.parse(await readFile(path.join(box.indexDir, "manifest.json"), "utf8")) as {
        files?: Record<string, unknown>;
      };
      expect(Object.keys(manifest.files ?? {})).toContain(GRAPH);

      await overwriteBytes(path.join(box.indexDir, GRAPH), 96, 2);
      const damaged = await npmAsk([...folders, QUESTION]);
      // Through npm a segmentation fault shows as exit code 139, a signal as `signal`.
      expect({ code: damaged.code, signal: damaged.signal }).toEqual({ code: 1, signal: null });
      expect(damaged.stdout).toBe("");
      const output = `${damaged.stderr}${damaged.stdout}`;
      expect(output).toContain(
        `${GRAPH} does not hold the bytes that were written (checksum mismatch); ` +
          `run npm run reindex -- --corpus ${box.corpusDir} --index ${box.indexDir}`,
      );
      // An error the program expects: one message, no stack trace.
      expect(damaged.stderr).not.toMatch(/\n\s+at /);
      expect(damaged.stderr.trim().split("\n")).toHaveLength(1);

      // The command it names repairs the index.
      const reindexed = await runCli("reindex", folders);
      expect(reindexed.code, reindexed.stderr).toBe(0);
      const again = await npmAsk([...folders, "--json", QUESTION]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toBe(built.stdout);
    },
    CLI_TIMEOUT * 2,
  );
});
