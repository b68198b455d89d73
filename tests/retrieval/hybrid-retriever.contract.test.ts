import { SanadIndex } from "../../src/index/index.js";
import { HybridRetriever } from "../../src/retrieval/index.js";
import { SMALL_INDEX_CONFIG } from "../support/corpus.js";
import { describeRetrieverContract } from "./retriever-contract.js";

describeRetrieverContract("HybridRetriever", async (articles) => {
  const index = await SanadIndex.build(articles, SMALL_INDEX_CONFIG);
  return new HybridRetriever({ index });
});
