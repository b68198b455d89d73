// Builds one shard of the vector index in a worker thread and writes it to a file. Plain CommonJS on
// purpose: a worker is started by Node itself, outside tsx or vitest, so it cannot be TypeScript.
// Input (workerData): { dimensions, m, efConstruction, seed, capacity, file }. Then messages:
// { vectors: Float32Array, labels: Float64Array } for each batch, answered { added: count } once its
// vectors are in the graph (the sender waits on these, so that batches do not pile up in memory), and
// { done: true }, answered { ok: true } once the file is written. Any failure: { ok: false, error }.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { HierarchicalNSW } = require("hnswlib-node");

const fail = (error) => {
  parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  parentPort.close();
};

try {
  const { dimensions, m, efConstruction, seed, capacity, file } = workerData;
  const graph = new HierarchicalNSW("ip", dimensions);
  graph.initIndex(Math.max(1, capacity), m, efConstruction, seed);
  parentPort.on("message", (message) => {
    try {
      if (message.done) {
        graph.writeIndexSync(file);
        parentPort.postMessage({ ok: true });
        parentPort.close();
        return;
      }
      const { vectors, labels } = message;
      for (let i = 0; i < labels.length; i++) {
        graph.addPoint(Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)), labels[i]);
      }
      parentPort.postMessage({ added: labels.length });
    } catch (error) {
      fail(error);
    }
  });
} catch (error) {
  fail(error);
}
