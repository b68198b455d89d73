import { appendFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Update } from "grammy/types";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REMEMBERED_IDS, UpdateJournal } from "../../src/bot/update-journal.js";
import { memoryLogger } from "../support/memory-logger.js";

let dir: string;
let file: string;
const opened: UpdateJournal[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "sanad-journal-"));
  file = path.join(dir, "journal", "updates.jsonl");
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((journal) => journal.close().catch(() => undefined)));
  await rm(dir, { recursive: true, force: true });
});

/** Opens the journal as a process starting up would (the previous one may have died without closing it). */
async function openJournal(): Promise<UpdateJournal> {
  const journal = await UpdateJournal.open(file, memoryLogger().logger);
  opened.push(journal);
  return journal;
}

const question = (id: number, text = `سؤال ${id}`): Update => ({
  update_id: id,
  message: {
    message_id: id,
    date: 0,
    chat: { id: 1000 + id, type: "private", first_name: "قارئ" },
    from: { id: 1000 + id, is_bot: false, first_name: "قارئ" },
    text,
  },
});

describe("UpdateJournal", () => {
  it("keeps received updates across a crash until they are finished, oldest first", async () => {
    const before = await openJournal();
    expect(await before.receive([question(7), question(5), question(6)])).toHaveLength(3);
    await before.finish(6);
    // No close(): the process is killed here.
    const after = await openJournal();
    expect(after.pending().map(({ update_id }) => update_id)).toEqual([5, 7]);
    expect(after.pending()[0]?.message?.text).toBe("سؤال 5");
  });

  it("drops an update delivered again, before and after a restart, even once it is finished", async () => {
    const first = await openJournal();
    await first.receive([question(1), question(2)]);
    expect(await first.receive([question(2), question(3)])).toEqual([question(3)]);
    await first.finish(1);
    await first.finish(2);
    await first.finish(3);
    const second = await openJournal();
    expect(second.pending()).toEqual([]);
    expect(await second.receive([question(3)])).toEqual([]);
    expect((await second.receive([question(4)])).map(({ update_id }) => update_id)).toEqual([4]);
  });

  it("ignores a last line cut short by a crash, and says so", async () => {
    const journal = await openJournal();
    await journal.receive([question(1)]);
    await appendFile(file, '{"update":{"update_id":2,"mess');
    const { logger, records } = memoryLogger();
    const reopened = await UpdateJournal.open(file, logger);
    opened.push(reopened);
    expect(reopened.pending().map(({ update_id }) => update_id)).toEqual([1]);
    expect(records().some(({ msg }) => msg.includes("unreadable lines skipped"))).toBe(true);
  });

  it("rewrites itself with only what is unfinished, so that it does not grow without end", async () => {
    const journal = await openJournal();
    for (let id = 1; id <= 1_200; id++) {
      await journal.receive([question(id)]);
      if (id !== 600) await journal.finish(id);
    }
    const lines = (await readFile(file, "utf8")).split("\n").filter(Boolean);
    expect(lines.length).toBeLessThan(1_000);
    const reopened = await openJournal();
    expect(reopened.pending().map(({ update_id }) => update_id)).toEqual([600]);
    expect(await reopened.receive([question(1_200)])).toEqual([]);
  });

  it("finishing an update twice, or one it never received, writes nothing", async () => {
    const journal = await openJournal();
    await journal.receive([question(1)]);
    await journal.finish(1);
    const size = (await readFile(file, "utf8")).length;
    await journal.finish(1);
    await journal.finish(99);
    expect((await readFile(file, "utf8")).length).toBe(size);
  });

  it("takes an id lower than every one seen before (Telegram picks ids at random after a quiet week)", async () => {
    const first = await openJournal();
    await first.receive([question(900_000_000)]);
    await first.finish(900_000_000);
    const second = await openJournal();
    expect((await second.receive([question(123_456)])).map(({ update_id }) => update_id)).toEqual([123_456]);
    // ...and still recognizes the finished one when it comes again.
    expect(await second.receive([question(900_000_000)])).toEqual([]);
  });

  it("remembers finished ids across compactions, and forgets the oldest past REMEMBERED_IDS", async () => {
    const journal = await openJournal();
    const ids = Array.from({ length: REMEMBERED_IDS + 5 }, (_, i) => 1 + i * 2);
    for (let start = 0; start < ids.length; start += 500) {
      const batch = ids.slice(start, start + 500).map((id) => question(id));
      await journal.receive(batch);
      for (const { update_id } of batch) await journal.finish(update_id);
    }
    const lines = (await readFile(file, "utf8")).split("\n").filter(Boolean);
    expect(lines.length).toBeLessThan(1_200);
    const reopened = await openJournal();
    // The most recent are still recognized; the first five were forgotten.
    expect(await reopened.receive(ids.slice(-100).map((id) => question(id)))).toEqual([]);
    expect((await reopened.receive([question(ids[0] ?? 0)])).map(({ update_id }) => update_id)).toEqual([
      ids[0],
    ]);
  });

  it("an update delivered twice in one batch is taken once", async () => {
    const journal = await openJournal();
    expect(await journal.receive([question(8), question(8)])).toEqual([question(8)]);
  });

  it("whenIdle waits for every claimed update to be marked done on disk", async () => {
    const journal = await openJournal();
    await journal.receive([question(1), question(2)]);
    expect(journal.claim(1)).toBe(true);
    expect(journal.claim(2)).toBe(true);
    let idle = false;
    const waiting = journal.whenIdle().then(() => {
      idle = true;
    });
    await journal.finish(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(idle).toBe(false);
    await journal.finish(2);
    await waiting;
    await journal.close();
    opened.splice(opened.indexOf(journal), 1);
    const reopened = await openJournal();
    expect(reopened.pending()).toEqual([]);
  });
});
