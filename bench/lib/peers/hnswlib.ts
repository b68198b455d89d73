import hnswlib from "hnswlib-node";
import { DEFAULT_HASHING_DIMENSIONS } from "../../../src/config/index.js";
import { HashingEmbeddings } from "../../../src/index/index.js";
import { RANKED, sentencesOf, timed, type PeerSystem } from "./system.js";

const { HierarchicalNSW } = hnswlib;

/**
 * LangChain's HNSWLib vector store as @langchain/community 1.1.29 builds and searches it, over Sanad's
 * hashing embeddings (their query weights counted over the sentences indexed). The store is a thin layer
 * over hnswlib-node, and its steps are repeated here exactly rather than installed: @langchain/community
 * brings 125 packages, some for Node 22 only, and peers that clash with this project's (NOTES.md).
 * `HNSWLib.fromTexts` → `addVectors`: a `cosine` graph, `initIndex(count)` with hnswlib's defaults
 * (M 16, efConstruction 200), `addPoint` one vector at a time with labels 0…n−1; `similaritySearch` →
 * `searchKnn(query, k)` with the search breadth never set (hnswlib's 10).
 */
export const langchainHnswlib: PeerSystem = {
  name: "hnswlib",
  setup: `LangChain's HNSWLib store (@langchain/community 1.1.29) with its defaults, its steps repeated over hnswlib-node: cosine space, M 16, efConstruction 200, search breadth 10; on Sanad's HashingEmbeddings (${DEFAULT_HASHING_DIMENSIONS} dimensions, fitted on the sentences); ${RANKED} sentences per question`,
  async build(articles) {
    const sentences = sentencesOf(articles);
    const texts = sentences.map((sentence) => sentence.text);
    const embeddings = HashingEmbeddings.fit(texts, { dimensions: DEFAULT_HASHING_DIMENSIONS });
    const vectors = await embeddings.embedDocuments(texts);
    const graph = new HierarchicalNSW("cosine", DEFAULT_HASHING_DIMENSIONS);
    graph.initIndex(vectors.length);
    vectors.forEach((vector, label) => {
      graph.addPoint(vector, label);
    });
    const count = graph.getCurrentCount();
    return {
      sentences: sentences.length,
      async search(question) {
        const { value: labels, ms } = await timed(async () => {
          const query = await embeddings.embedQuery(question);
          return graph.searchKnn(query, Math.min(RANKED, count)).neighbors;
        });
        const ranked = labels.flatMap((label) => sentences[label]?.id ?? []);
        return { ranked, top: ranked[0], ms };
      },
    };
  },
};
