import { mkdir, open, readFile, rename, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Update } from "grammy/types";
import type { Logger } from "../log/index.js";
import { RecentIds } from "./recent-ids.js";

export { REMEMBERED_IDS } from "./recent-ids.js";

/**
 * One line of the journal: an update as received, or the id of one whose handling has ended (answered,
 * or failed and reported: either way it is not to be handled again).
 */
type JournalLine =
  | { readonly update: Update }
  | { readonly done: number }
  /** Ids finished before a compaction, kept so that a re-delivery of one is still recognized. */
  | { readonly seen: readonly number[] };

/** Past this many lines, the journal is rewritten with the unfinished updates alone. */
const COMPACT_AFTER_LINES = 1_000;

/**
 * The updates the bot has received and not yet finished, on disk: what makes a crash (kill -9, a power
 * cut) lose no question. Updates are appended and flushed to disk (fsync) *before* Telegram is told they
 * were received — the next getUpdates confirms them, or the webhook's 200 — and marked done when their
 * handling ends. On start-up the unfinished ones are handled first, and an update Telegram delivers again
 * (it was never confirmed) is recognized by its id and dropped.
 *
 * One guarantee is weaker, by choice: an answer delivered just before a crash, whose "done" line had not
 * reached the disk, is sent again after the restart. Flushing each "done" before the answer is sent would
 * lose the answer instead when the crash comes between the two; a repeated answer is the lesser harm.
 *
 * The journal is one JSON-lines file; a line cut short by a crash (the last one) is ignored. It is meant
 * for one process: two bots polling with one token are refused by Telegram anyway (409). Stopping waits
 * for every update being handled to be marked done (`whenIdle`) before the file is closed, so that a
 * clean stop leaves nothing to answer twice.
 */
export class UpdateJournal {
  private readonly unfinished = new Map<number, Update>();
  /** Unfinished updates being handled now: an update is handled once, whoever hands it over first. */
  private readonly claimed = new Set<number>();
  /** Updates claimed and not yet marked done on disk: what `whenIdle` waits for. */
  private handling = 0;
  private idleWaiters: (() => void)[] = [];
  private lines = 0;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    /** The most recent update ids journaled, oldest first (a Set keeps insertion order). */
    private readonly seen: RecentIds,
  ) {}

  /** Opens (or creates) the journal at `file`, reading what a previous run left unfinished. */
  static async open(file: string, logger: Logger): Promise<UpdateJournal> {
    await mkdir(path.dirname(file), { recursive: true });
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw error;
    });
    const unfinished = new Map<number, Update>();
    const seen = new RecentIds();
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      const entry = parseLine(line);
      if (!entry) {
        skipped++;
        continue;
      }
      if ("update" in entry) {
        unfinished.set(entry.update.update_id, entry.update);
        seen.add(entry.update.update_id);
      } else if ("done" in entry) {
        unfinished.delete(entry.done);
      } else {
        for (const id of entry.seen) seen.add(id);
      }
    }
    if (skipped > 0) logger.warn({ file, lines: skipped }, "update journal: unreadable lines skipped");
    const journal = new UpdateJournal(file, await open(file, "a"), seen);
    for (const [id, update] of unfinished) journal.unfinished.set(id, update);
    // Start from a file that holds only what is unfinished.
    await journal.compact();
    return journal;
  }

  /** How many updates are received and not finished. */
  get pendingCount(): number {
    return this.unfinished.size;
  }

  /** The updates a previous run received and did not finish, oldest first. */
  pending(): Update[] {
    return [...this.unfinished.values()].sort((a, b) => a.update_id - b.update_id);
  }

  /**
   * Records updates as received, on disk, and returns those not seen before (Telegram delivers an
   * unconfirmed update again after a restart). Resolves only once they are flushed to disk.
   */
  async receive(updates: readonly Update[]): Promise<Update[]> {
    const fresh: Update[] = [];
    for (const update of updates) {
      // Remembered as it is taken: a second copy in the same batch is then seen too.
      if (this.seen.has(update.update_id)) continue;
      fresh.push(update);
      this.unfinished.set(update.update_id, update);
      this.seen.add(update.update_id);
    }
    if (fresh.length === 0) return [];
    await this.append(
      fresh.map((update) => ({ update })),
      true,
    );
    return fresh;
  }

  /**
   * Whether to handle this update now: true once for each unfinished update, false for one already
   * being handled or finished (Telegram's re-delivery of an update the journal replayed or answered).
   */
  claim(updateId: number): boolean {
    if (!this.unfinished.has(updateId) || this.claimed.has(updateId)) return false;
    this.claimed.add(updateId);
    this.handling++;
    return true;
  }

  /** Marks an update's handling as ended. */
  async finish(updateId: number): Promise<void> {
    const wasClaimed = this.claimed.delete(updateId);
    try {
      if (!this.unfinished.delete(updateId)) return;
      await this.append([{ done: updateId }], false);
      if (this.lines > COMPACT_AFTER_LINES) await this.compact();
    } finally {
      if (wasClaimed) this.settle();
    }
  }

  /**
   * Resolves once no claimed update is still being handled and every "done" has been written: what a
   * clean stop waits for before `close()`, so that nothing it answered is answered again after a restart.
   */
  whenIdle(): Promise<void> {
    if (this.handling === 0) return this.writing.then(() => undefined);
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve)).then(() => this.whenIdle());
  }

  /** Waits for the writes in progress and closes the file. */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.handle.close();
  }

  private settle(): void {
    this.handling--;
    if (this.handling > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private append(entries: readonly JournalLine[], flush: boolean): Promise<void> {
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join("");
    const write = this.writing.then(async () => {
      await this.handle.appendFile(text, "utf8");
      if (flush) await this.handle.sync();
      this.lines += entries.length;
    });
    this.writing = write.catch(() => undefined);
    return write;
  }

  /** Rewrites the journal with the unfinished updates alone (a new file renamed into place). */
  private compact(): Promise<void> {
    const write = this.writing.then(async () => {
      const temporary = `${this.file}.tmp`;
      const lines = this.pending().map((update) => `${JSON.stringify({ update })}\n`);
      // Finished ids are kept (one line), so that a re-delivery is still recognized after a restart.
      const finished = [...this.seen.values()].filter((id) => !this.unfinished.has(id));
      const marker = finished.length > 0 ? [`${JSON.stringify({ seen: finished })}\n`] : [];
      const next = await open(temporary, "w");
      try {
        await next.writeFile([...marker, ...lines].join(""), "utf8");
        await next.sync();
      } finally {
        await next.close();
      }
      await rename(temporary, this.file);
      await this.handle.close();
      this.handle = await open(this.file, "a");
      this.lines = marker.length + lines.length;
    });
    this.writing = write.catch(() => undefined);
    return write;
  }
}

function parseLine(line: string): JournalLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<{ update: Partial<Update>; done: unknown; seen: unknown }>;
    if (typeof value.done === "number") return { done: value.done };
    if (Array.isArray(value.seen)) return { seen: value.seen.filter((id) => typeof id === "number") };
    if (value.update && typeof value.update.update_id === "number") return { update: value.update as Update };
  } catch {
    // A line cut short by a crash.
  }
  return undefined;
}
