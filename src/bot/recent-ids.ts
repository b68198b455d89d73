/**
 * How many recent update ids are remembered to recognize a re-delivery. Telegram re-delivers only what
 * was not confirmed, a few updates at most; ids are not a high-water mark because Telegram picks the
 * next id at random after a week without updates, which may be lower than every id seen before.
 */
export const REMEMBERED_IDS = 10_000;

/** The most recent update ids, oldest forgotten first past {@link REMEMBERED_IDS}. */
export class RecentIds {
  /** Oldest first: a Set keeps insertion order. */
  private readonly ids = new Set<number>();

  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** Adds an id as the most recent, forgetting the oldest past the limit. */
  add(id: number): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size <= REMEMBERED_IDS) return;
    const oldest = this.ids.values().next();
    if (!oldest.done) this.ids.delete(oldest.value);
  }

  /** The ids, oldest first. */
  values(): IterableIterator<number> {
    return this.ids.values();
  }
}
