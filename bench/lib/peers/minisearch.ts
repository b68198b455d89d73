import { stemmer } from "@orama/stemmers/arabic";
import MiniSearch from "minisearch";
import { normalizeArabic } from "../../../src/text/index.js";
import { RANKED, sentencesOf, timed, type PeerSystem } from "./system.js";

/**
 * Punctuation («؟», «،», «»»). MiniSearch's default tokenizer already splits words at it (22.6 becomes 22
 * and 6); the term function strips it as well, so that it stands on its own behind any tokenizer.
 */
const PUNCTUATION = /\p{P}/gu;

/**
 * MiniSearch's term processing for Arabic: Sanad's normalizer (alef forms, ta marbuta, harakat, digits),
 * punctuation stripped, then the Snowball Arabic stemmer of @orama/stemmers. The same function for
 * indexing and searching (MiniSearch's default).
 */
export function arabicTerm(term: string): string | null {
  const word = normalizeArabic(term).replace(PUNCTUATION, "");
  return word === "" ? null : stemmer(word);
}

/** MiniSearch 7 (BM25+, OR of the question's terms, no fuzzy or prefix matching: its defaults). */
export const miniSearch: PeerSystem = {
  name: "minisearch",
  setup:
    "MiniSearch, processTerm: Sanad's normalizer, punctuation stripped, Snowball Arabic stemmer (@orama/stemmers)",
  build(articles) {
    const sentences = sentencesOf(articles);
    const index = new MiniSearch<{ id: number; text: string }>({ fields: ["text"], processTerm: arabicTerm });
    index.addAll(sentences.map((sentence, id) => ({ id, text: sentence.text })));
    const idOf = (position: number): string | undefined => sentences[position]?.id;
    return Promise.resolve({
      sentences: sentences.length,
      async search(question) {
        const { value: results, ms } = await timed(() => index.search(question));
        // MiniSearch types result ids as any: they are the positions given to addAll.
        const ranked = results.slice(0, RANKED).flatMap((result) => idOf(result.id as number) ?? []);
        return { ranked, top: ranked[0], ms };
      },
    });
  },
};
