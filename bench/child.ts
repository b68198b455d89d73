/**
 * One measurement in a process of its own, so that its peak memory and its heap are its own: started by
 * bench/run.ts, prints one line of JSON with what it measured.
 *
 *   build  CORPUS INDEX DIMENSIONS   full build (load the corpus, analyze, embed, graphs, save)
 *   update CORPUS INDEX DIMENSIONS   incremental reindex of an existing index
 *   split  CORPUS                    baseline: load the corpus and split it into sentences only
 *   serve  INDEX DIMENSIONS QUESTIONS ROUNDS EF,EF,…  serving: load, latency, RSS, recall against exact search
 */
import { readFile } from "node:fs/promises";
import hnswlib from "hnswlib-node";
import { ExtractiveAnswerer } from "../src/answer/index.js";
import { DEFAULT_HASHING_DIMENSIONS, DEFAULT_TOP_K, type EmbeddingsConfig } from "../src/config/index.js";
import { loadCorpus } from "../src/corpus/index.js";
import { openIndex, SanadIndex, sentencesOfArticle } from "../src/index/index.js";
import { silentLogger } from "../src/log/index.js";
import { HybridRetriever } from "../src/retrieval/index.js";
import { analyzeForIndex } from "../src/text/index.js";
import { summarize, type Summary } from "./lib/stats.js";

const { BruteforceSearch } = hnswlib;

const MB = 1024 * 1024;

function hashing(dimensions: string | undefined): EmbeddingsConfig {
  return { provider: "hashing", dimensions: Number(dimensions ?? DEFAULT_HASHING_DIMENSIONS) };
}

/** Peak resident memory of this process so far (worker threads included), in MB. */
function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}

async function build(corpusDir: string, indexDir: string, dimensions: string, mode: "full" | "incremental") {
  const started = performance.now();
  const { index, update } = await openIndex({
    corpusDir,
    indexDir,
    embeddings: hashing(dimensions),
    logger: silentLogger(),
    rebuild: mode,
  });
  const ms = performance.now() - started;
  return {
    ms,
    documents: index.documents.length,
    sentences: index.sentences.length,
    passages: index.passages.length,
    shards: index.vectorStore.shardCount,
    update,
    peakRssMb: peakRssMb(),
  };
}

async function split(corpusDir: string) {
  const started = performance.now();
  const { articles } = await loadCorpus(corpusDir);
  const sentences = articles.flatMap(sentencesOfArticle).length;
  return { ms: performance.now() - started, sentences, peakRssMb: peakRssMb() };
}

async function timed<T>(run: () => Promise<T> | T): Promise<[number, T]> {
  const started = performance.now();
  const result = await run();
  return [performance.now() - started, result];
}

async function serve(
  indexDir: string,
  dimensions: string,
  questionsFile: string,
  rounds: number,
  efs: number[],
) {
  const questions = JSON.parse(await readFile(questionsFile, "utf8")) as string[];
  const [loadMs, index] = await timed(() => SanadIndex.load(indexDir, hashing(dimensions)));
  const retriever = new HybridRetriever({ index });
  // The steady state a running bot reaches within a second: exact search ready where it applies.
  await retriever.ready();
  const answerer = new ExtractiveAnswerer({ retriever, topK: DEFAULT_TOP_K });
  for (const question of questions.slice(0, 20)) await answerer.answer(question); // warm-up

  // Each round: every question through retrieval, the whole extractive pipeline, and bare BM25, alternated.
  const retrieval: number[][] = [];
  const answer: number[][] = [];
  const bm25: number[][] = [];
  for (let round = 0; round < rounds; round++) {
    const r: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    for (const question of questions) {
      r.push((await timed(() => retriever.retrieve(question)))[0]);
      a.push((await timed(() => answerer.answer(question)))[0]);
      b.push((await timed(() => retriever.lexical.search(analyzeForIndex(question), 10)))[0]);
    }
    retrieval.push(r);
    answer.push(a);
    bm25.push(b);
  }
  const servingRssMb = process.memoryUsage().rss / MB;
  const heapMb = process.memoryUsage().heapUsed / MB;

  // Approximate (hnsw) against exact search over the same vectors, at several search breadths.
  const store = index.vectorStore;
  const exact = new BruteforceSearch("ip", store.dimensions);
  exact.initIndex(index.passages.length);
  for (const passage of index.passages) exact.addPoint(store.vectorOf(passage.label), passage.label);
  const queries = await Promise.all(questions.map((question) => index.embeddings.embedQuery(question)));
  const exactLatency: number[] = [];
  const truth: Set<string>[] = [];
  for (const query of queries) {
    const [ms, result] = await timed(() => exact.searchKnn(query, 10));
    exactLatency.push(ms);
    truth.push(new Set(result.neighbors.map((label) => store.passageIdOf(label) ?? "")));
  }
  const defaultEf = efs[0] ?? 400;
  const breadths: { ef: number; recall: number; latency: Summary }[] = [];
  for (const ef of efs) {
    store.setEfSearch(ef);
    const latency: number[] = [];
    let found = 0;
    for (const [i, query] of queries.entries()) {
      const [ms, hits] = await timed(() => store.similaritySearchVectorWithScore(query, 10));
      latency.push(ms);
      found += hits.filter(([document]) => truth[i]?.has(document.metadata.passageId)).length;
    }
    breadths.push({ ef, recall: found / (queries.length * 10), latency: summarize(latency) });
  }
  store.setEfSearch(defaultEf);

  // The answers as served against those of the same pipeline over exact vector search (the graphs'
  // vectors copied for it, whatever the size): what the graphs' approximation changes for a reader.
  const answersNow = await answerKeys(answerer, questions);
  const shards = store.shardCount;
  const graphsServed = shards > 0;
  store.prepareExactSearch(Number.POSITIVE_INFINITY);
  const answersExact = await answerKeys(answerer, questions);
  const agreement = {
    graphsServed,
    sameFirstCitation: share(questions, (i) => answersNow[i]?.first === answersExact[i]?.first),
    sameCitations: share(questions, (i) => answersNow[i]?.all === answersExact[i]?.all),
  };
  return {
    loadMs,
    documents: index.documents.length,
    sentences: index.sentences.length,
    passages: index.passages.length,
    textCharacters: index.sentences.reduce((sum, sentence) => sum + sentence.text.length, 0),
    shards,
    questions: questions.length,
    rounds: {
      retrieval: retrieval.map(summarize),
      answer: answer.map(summarize),
      bm25: bm25.map(summarize),
    },
    servingRssMb,
    heapMb,
    exact: summarize(exactLatency),
    breadths,
    agreement,
  };
}

/** Each answer's first citation and all of them, as sentence ids ("refused" for a refusal). */
async function answerKeys(answerer: ExtractiveAnswerer, questions: readonly string[]) {
  const keys: { first: string; all: string }[] = [];
  for (const question of questions) {
    const { refused, citations } = await answerer.answer(question);
    const ids = citations.map(({ doc, sentence }) => `${doc}#${sentence}`);
    keys.push(refused ? { first: "refused", all: "refused" } : { first: ids[0] ?? "", all: ids.join(" ") });
  }
  return keys;
}

/** The share of the questions for which `same` holds. */
function share(questions: readonly string[], same: (i: number) => boolean): number {
  return questions.filter((_, i) => same(i)).length / Math.max(1, questions.length);
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  let result: unknown;
  if (command === "build")
    result = await build(args[0] ?? "", args[1] ?? "", args[2] ?? String(DEFAULT_HASHING_DIMENSIONS), "full");
  else if (command === "update")
    result = await build(
      args[0] ?? "",
      args[1] ?? "",
      args[2] ?? String(DEFAULT_HASHING_DIMENSIONS),
      "incremental",
    );
  else if (command === "split") result = await split(args[0] ?? "");
  else if (command === "serve") {
    result = await serve(
      args[0] ?? "",
      args[1] ?? String(DEFAULT_HASHING_DIMENSIONS),
      args[2] ?? "",
      Number(args[3] ?? 3),
      (args[4] ?? "400").split(",").map(Number),
    );
  } else throw new Error(`unknown bench step ${command ?? "(none)"}`);
  console.log(JSON.stringify(result));
}

await main();
