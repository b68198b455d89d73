import { createAnswerer } from "../../../src/answer/index.js";
import { DEFAULT_HASHING_DIMENSIONS, DEFAULT_TOP_K } from "../../../src/config/index.js";
import { SanadIndex } from "../../../src/index/index.js";
import { RANKED, timed, type PeerSystem } from "./system.js";

/**
 * Sanad as `npm run eval` runs it: its index built in memory from the set's articles (hashing embeddings,
 * default dimensions), the extractive answerer of `createAnswerer` with the default TOP_K. What is timed
 * is the whole answer (question in, cited answer out); the retrieval inside it is reported through the
 * answerer's observer, the hook the bot's metrics use. Hit@1 is the answer's first citation (a refusal is
 * a miss); hit@3 and MRR come from the ranking `npm run eval` reads, asked for again after the timed call.
 */
export const sanad: PeerSystem = {
  name: "sanad",
  setup: `SanadIndex.build (hashing, ${DEFAULT_HASHING_DIMENSIONS} dimensions) then the extractive answerer of createAnswerer (TOP_K ${DEFAULT_TOP_K}), as \`npm run eval\` runs it`,
  async build(articles) {
    const index = await SanadIndex.build(articles, {
      provider: "hashing",
      dimensions: DEFAULT_HASHING_DIMENSIONS,
    });
    /** Milliseconds of each retrieval since the current question was asked. */
    const retrievals: number[] = [];
    const answerer = createAnswerer(index, {
      topK: DEFAULT_TOP_K,
      observer: { retrieval: (seconds) => retrievals.push(seconds * 1000) },
    });
    return {
      sentences: index.sentences.length,
      async search(question) {
        retrievals.length = 0;
        const { value: answer, ms } = await timed(() => answerer.answer(question));
        // A question with no words to search is refused before any retrieval.
        const retrievalMs =
          retrievals.length === 0 ? undefined : retrievals.reduce((sum, each) => sum + each, 0);
        const first = answer.citations[0];
        const ranking = await answerer.rank(question);
        return {
          ranked: ranking.sentences.slice(0, RANKED).map(({ sentence }) => sentence.id),
          top: first ? `${first.doc}#${first.sentence}` : undefined,
          ms,
          refused: answer.refused,
          ...(retrievalMs === undefined ? {} : { retrievalMs }),
        };
      },
    };
  },
};
