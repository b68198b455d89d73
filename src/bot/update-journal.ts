import { mkdir, open, readFile, rename, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Update } from "grammy/types";
import type { Logger } from "../log/index.js";

/**
 * One line of the journal: an update as received, or the id of one whose handling has ended (answered,
 * or failed and reported: either way it is not to be handled again).
 */
type JournalLine = { readonly update: Update } | { readonly done: number };

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
 * for one process: two bots polling with one token are refused by Telegram anyway (409).
 */
export class UpdateJournal {
  private readonly unfinished = new Map<number, Update>();
  /** Unfinished updates being handled now: an update is handled once, whoever hands it over first. */
  private readonly claimed = new Set<number>();
  private lines = 0;
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    /** The highest update id ever journaled: anything at or below it was seen before. */
    private lastSeen: number,
  ) {}

  /** Opens (or creates) the journal at `file`, reading what a previous run left unfinished. */
  static async open(file: string, logger: Logger): Promise<UpdateJournal> {
    await mkdir(path.dirname(file), { recursive: true });
    const text = await readFile(file, "utf8").catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw error;
    });
    const unfinished = new Map<number, Update>();
    let lastSeen = -1;
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
        lastSeen = Math.max(lastSeen, entry.update.update_id);
      } else {
        unfinished.delete(entry.done);
      }
    }
    if (skipped > 0) logger.warn({ file, lines: skipped }, "update journal: unreadable lines skipped");
    const journal = new UpdateJournal(file, await open(file, "a"), lastSeen);
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
    const fresh = updates.filter((update) => update.update_id > this.lastSeen);
    if (fresh.length === 0) return [];
    for (const update of fresh) {
      this.unfinished.set(update.update_id, update);
      this.lastSeen = Math.max(this.lastSeen, update.update_id);
    }
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
    return true;
  }

  /** Marks an update's handling as ended. */
  async finish(updateId: number): Promise<void> {
    this.claimed.delete(updateId);
    if (!this.unfinished.delete(updateId)) return;
    await this.append([{ done: updateId }], false);
    if (this.lines > COMPACT_AFTER_LINES) await this.compact();
  }

  /** Waits for the writes in progress and closes the file. */
  async close(): Promise<void> {
    await this.writing.catch(() => undefined);
    await this.handle.close();
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
      // The highest id seen is kept even when finished, so that a re-delivery is still recognized.
      const marker = this.lastSeen >= 0 && !this.unfinished.has(this.lastSeen) ? this.lastSeenLines() : [];
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

  /** Lines that keep the highest id seen without keeping its update: a stub received, then done. */
  private lastSeenLines(): string[] {
    const stub = { update_id: this.lastSeen } as Update;
    return [`${JSON.stringify({ update: stub })}\n`, `${JSON.stringify({ done: this.lastSeen })}\n`];
  }
}

function parseLine(line: string): JournalLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<{ update: Partial<Update>; done: unknown }>;
    if (typeof value.done === "number") return { done: value.done };
    if (value.update && typeof value.update.update_id === "number") return { update: value.update as Update };
  } catch {
    // A line cut short by a crash.
  }
  return undefined;
}
