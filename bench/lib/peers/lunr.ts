import lunr from "lunr";
import arabic from "lunr-languages/lunr.ar.js";
import stemmerSupport from "lunr-languages/lunr.stemmer.support.js";
import { RANKED, sentencesOf, timed, type PeerSystem } from "./system.js";

stemmerSupport(lunr);
arabic(lunr);

/** The Arabic plugin lunr-languages adds to lunr (its typings declare it on a global, not on the module). */
const lunrArabic = (lunr as unknown as { ar: lunr.Builder.Plugin }).ar;

/**
 * Punctuation, stripped from questions: lunr.ar trims it from indexed words but its search pipeline only
 * stems, so «هو؟» would never match «هو».
 */
const PUNCTUATION = /\p{P}/gu;

/** lunr 2 with lunr-languages' Arabic pipeline (trimmer, stop words, stemmer), BM25 defaults. */
export const lunrSearch: PeerSystem = {
  name: "lunr",
  setup:
    "lunr with lunr-languages' lunr.ar (trimmer, stop words, stemmer); questions stripped of punctuation and asked as their words (the query builder, not the query syntax)",
  build(articles) {
    const sentences = sentencesOf(articles);
    const index = lunr(function () {
      this.use(lunrArabic);
      this.ref("id");
      this.field("text");
      sentences.forEach((sentence, position) => {
        this.add({ id: String(position), text: sentence.text });
      });
    });
    const idOf = (ref: string): string | undefined => sentences[Number(ref)]?.id;
    return Promise.resolve({
      sentences: sentences.length,
      async search(question) {
        const { value: results, ms } = await timed(() => {
          const words = lunr.tokenizer(question.replace(PUNCTUATION, " ")).map(String);
          // The query builder, not index.search's query syntax, in which «:», «^», «~», «+», «-» and «*»
          // are operators: a question's own characters must never be read as those.
          return index.query((query) => {
            for (const word of words) query.term(word, {});
          });
        });
        const ranked = results.slice(0, RANKED).flatMap((result) => idOf(result.ref) ?? []);
        return { ranked, top: ranked[0], ms };
      },
    });
  },
};
