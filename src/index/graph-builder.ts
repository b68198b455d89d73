import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import hnswlib from "hnswlib-node";
import { IndexBuildError } from "./errors.js";

// hnswlib-node is CommonJS: its named ESM exports fail at run time under node and tsx.
const { HierarchicalNSW } = hnswlib;
type HierarchicalNSWIndex = InstanceType<typeof HierarchicalNSW>;

/** How a graph is built: hnswlib's parameters. */
export interface GraphParameters {
  readonly dimensions: number;
  readonly m: number;
  readonly efConstruction: number;
  readonly seed: number;
}

/** What to do when a graph's worker fails: it writes to the system's temporary folder, and needs memory. */
const SHARD_HINT =
  "check the free memory and the space in the system's temporary folder (TMPDIR), then run npm run reindex again";

/** Batches sent and not yet in the graph, at most: enough to keep the worker busy, no more in memory. */
const BATCHES_IN_FLIGHT = 2;

/** What the worker answers (see hnsw-shard-worker.cjs). */
type WorkerMessage = { added: number } | { ok: true } | { ok: false; error: string };

/**
 * One graph built in a worker thread (hnswlib-node builds on one core) from vectors sent a batch at a
 * time, written to a file there and read back here. {@link add} waits while the worker is behind, so that
 * a large build never holds more than a few batches of vectors besides the graphs.
 */
export class GraphShardInWorker {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private failure: Error | undefined;
  private readonly written: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly folder: string,
    private readonly file: string,
  ) {
    this.written = new Promise<void>((resolve, reject) => {
      const failed = (error: Error): void => {
        this.failure ??= error;
        // A sender waiting for room hears of the failure at once.
        for (const wake of this.waiting.splice(0)) wake();
        reject(error);
      };
      worker.on("message", (message: WorkerMessage) => {
        if ("added" in message) {
          this.inFlight--;
          this.waiting.shift()?.();
        } else if (message.ok) resolve();
        else failed(new IndexBuildError(`building a vector graph failed: ${message.error}; ${SHARD_HINT}`));
      });
      worker.once("error", failed);
      worker.once("exit", (code) => {
        if (code !== 0) {
          failed(new IndexBuildError(`the vector graph builder exited with code ${code}; ${SHARD_HINT}`));
        }
      });
    });
    // Read when finished; until then a failure is held here, not reported as unhandled.
    this.written.catch(() => undefined);
  }

  /** Starts a worker for a graph of up to `capacity` vectors. */
  static async start(parameters: GraphParameters, capacity: number): Promise<GraphShardInWorker> {
    const folder = await mkdtemp(path.join(tmpdir(), "sanad-shard-"));
    const file = path.join(folder, "shard.hnsw");
    const worker = new Worker(new URL("./hnsw-shard-worker.cjs", import.meta.url), {
      workerData: { ...parameters, capacity, file },
    });
    return new GraphShardInWorker(worker, folder, file);
  }

  /** Sends vectors (laid end to end) and their labels; resolves once there is room for the next batch. */
  async add(vectors: Float32Array, labels: Float64Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.inFlight++;
    // Moved, not copied: the arrays are made for this batch by the caller (never a SharedArrayBuffer).
    this.worker.postMessage({ vectors, labels }, [
      vectors.buffer as ArrayBuffer,
      labels.buffer as ArrayBuffer,
    ]);
    while (this.inFlight >= BATCHES_IN_FLIGHT && !this.broken) {
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
    const broken = this.broken;
    if (broken) throw broken;
  }

  /** The worker's failure, read afresh (it comes while a sender waits). */
  private get broken(): Error | undefined {
    return this.failure;
  }

  /** Stops the worker and drops its file. */
  async abort(): Promise<void> {
    this.failure ??= new Error("the vector shard build was stopped");
    await this.worker.terminate();
    await rm(this.folder, { recursive: true, force: true });
  }

  /**
   * Has the graph written and reads it back; the worker and its file are gone afterwards. The worker goes
   * first: its copy of the graph is freed before this one is read, not held beside it.
   */
  async finish(efSearch: number, dimensions: number): Promise<HierarchicalNSWIndex> {
    try {
      if (!this.failure) this.worker.postMessage({ done: true });
      await this.written;
      await this.worker.terminate();
      const graph = new HierarchicalNSW("ip", dimensions);
      graph.readIndexSync(this.file);
      graph.setEf(efSearch);
      return graph;
    } finally {
      await this.worker.terminate();
      await rm(this.folder, { recursive: true, force: true });
    }
  }
}

/**
 * Graphs built from vectors given a batch at a time, dealt round-robin (the n-th vector to graph
 * n mod shards): one graph here, or one per worker thread when there are several. Nothing but the
 * graphs and a few batches is held, so a build's memory is its graphs', not its graphs' and a copy of
 * every vector besides.
 */
export class GraphsBuilder {
  private added = 0;

  private constructor(
    private readonly parameters: GraphParameters,
    private readonly efSearch: number,
    private readonly inMain: HierarchicalNSWIndex | undefined,
    private readonly workers: readonly GraphShardInWorker[],
  ) {}

  /** Starts building `shards` graphs for `count` vectors (one: here; more: in worker threads). */
  static async start(
    parameters: GraphParameters,
    count: number,
    shards: number,
    efSearch: number,
  ): Promise<GraphsBuilder> {
    if (shards <= 1) {
      const graph = new HierarchicalNSW("ip", parameters.dimensions);
      graph.initIndex(Math.max(16, count), parameters.m, parameters.efConstruction, parameters.seed);
      graph.setEf(efSearch);
      return new GraphsBuilder(parameters, efSearch, graph, []);
    }
    const capacity = Math.ceil(count / shards);
    const workers = await Promise.all(
      Array.from({ length: shards }, () => GraphShardInWorker.start(parameters, capacity)),
    );
    return new GraphsBuilder(parameters, efSearch, undefined, workers);
  }

  /** The number of graphs. */
  get shards(): number {
    return this.inMain ? 1 : this.workers.length;
  }

  /** The graph the vector added `position`-th goes to. */
  shardOf(position: number): number {
    return position % this.shards;
  }

  /** Adds vectors laid end to end with their labels, in order; waits while the workers are behind. */
  async add(vectors: Float32Array, labels: ArrayLike<number>): Promise<void> {
    const { dimensions } = this.parameters;
    const first = this.added;
    this.added += labels.length;
    if (this.inMain) {
      for (let i = 0; i < labels.length; i++) {
        this.inMain.addPoint(
          Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)),
          labels[i] ?? 0,
        );
      }
      return;
    }
    const shards = this.workers.length;
    await Promise.all(
      this.workers.map((worker, shard) => {
        const mine: number[] = [];
        for (let i = 0; i < labels.length; i++) if ((first + i) % shards === shard) mine.push(i);
        const own = new Float32Array(mine.length * dimensions);
        mine.forEach((i, j) => {
          own.set(vectors.subarray(i * dimensions, (i + 1) * dimensions), j * dimensions);
        });
        return worker.add(
          own,
          Float64Array.from(mine, (i) => labels[i] ?? 0),
        );
      }),
    );
  }

  /** The graphs, in shard order, once every vector is in. */
  async finish(): Promise<HierarchicalNSWIndex[]> {
    if (this.inMain) return [this.inMain];
    const settled = await Promise.allSettled(
      this.workers.map((worker) => worker.finish(this.efSearch, this.parameters.dimensions)),
    );
    const failed = settled.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    return settled.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  }

  /** Stops the workers and drops their files (a build that failed). */
  async abort(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.abort()));
  }
}
