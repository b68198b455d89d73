/**
 * One build in a process of its own, so that its memory is its own and no other system's freed pages are
 * reused by it: started by bench/peers.ts as `build-child.ts SYSTEM SET`, prints one line of JSON.
 */
import { loadPeerSet, peerSet } from "./datasets.js";
import { settledMemory, type BuildMeasurement } from "./memory.js";
import { REPOSITORY } from "./repository.js";
import { peerSystem } from "./systems.js";
import { timed } from "./system.js";

const ROOT = REPOSITORY;

async function main(): Promise<void> {
  const [systemName = "", setKey = ""] = process.argv.slice(2);
  const system = peerSystem(systemName);
  const set = peerSet(setKey);
  const evalSet = await loadPeerSet(ROOT, set);
  const first = evalSet.questions[0]?.question ?? "";
  const before = settledMemory();
  const { value: searcher, ms } = await timed(() => system.build(evalSet.articles));
  // One question, untimed, so that whatever a system builds on first use counts as its index.
  await searcher.search(first);
  const after = settledMemory();
  const measurement: BuildMeasurement = {
    system: system.name,
    set: set.key,
    ms,
    heapBytes: after.heapBytes - before.heapBytes,
    rssBytes: after.rssBytes - before.rssBytes,
    sentences: searcher.sentences,
  };
  console.log(JSON.stringify(measurement));
}

await main();
