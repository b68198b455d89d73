/** The heap and resident memory of this process, in bytes, after a full garbage collection. */
export interface MemoryReading {
  readonly heapBytes: number;
  readonly rssBytes: number;
}

/** Runs a full collection (the process must run with --expose-gc) and reads the memory left in use. */
export function settledMemory(): MemoryReading {
  collectGarbage();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapBytes: heapUsed, rssBytes: rss };
}

/** A full collection; throws when node was started without --expose-gc, as `npm run bench:peers` starts it. */
export function collectGarbage(): void {
  if (typeof globalThis.gc !== "function") {
    throw new Error(
      "run with node --expose-gc (npm run bench:peers does): memory is read after a full collection",
    );
  }
  // Twice: the first collection can leave objects with finalizers (weak references) for the second.
  globalThis.gc();
  globalThis.gc();
}

/** What one build measured, in a process of its own (bench/lib/peers/build-child.ts). */
export interface BuildMeasurement {
  readonly system: string;
  readonly set: string;
  readonly ms: number;
  /** Growth of the heap in use and of resident memory over the build, after a full collection. */
  readonly heapBytes: number;
  readonly rssBytes: number;
  /** Sentences indexed (read after the memory, which keeps the index alive until then). */
  readonly sentences: number;
}
