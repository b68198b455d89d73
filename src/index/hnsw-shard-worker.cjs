// Builds one shard of the vector index in a worker thread and writes it to a file. Plain CommonJS on
// purpose: a worker is started by Node itself, outside tsx or vitest, so it cannot be TypeScript.
// Input (workerData): { dimensions, m, efConstruction, seed, vectors: Float32Array, labels: Float64Array,
// file }. Output: a message { ok: true } once the file is written, or { ok: false, error }.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { HierarchicalNSW } = require("hnswlib-node");

try {
  const { dimensions, m, efConstruction, seed, vectors, labels, file } = workerData;
  const graph = new HierarchicalNSW("ip", dimensions);
  graph.initIndex(Math.max(1, labels.length), m, efConstruction, seed);
  for (let i = 0; i < labels.length; i++) {
    graph.addPoint(Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)), labels[i]);
  }
  graph.writeIndexSync(file);
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
