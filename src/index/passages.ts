import type { SentenceRecord } from "./records.js";

/**
 * A passage, the unit the vector index and the passage-level lexical index hold: a paragraph, cut into
 * runs of at most {@link MAX_PASSAGE_SENTENCES} sentences, or one metadata line. Paragraphs beat single
 * sentences and sentence windows as the unit: see "Passage unit" in README for the measured numbers.
 */
export interface PassageGroup {
  /** `${doc}@${first sentence index}`. */
  readonly id: string;
  readonly doc: string;
  /** Positions of its sentences in the index's sentence list, in reading order. */
  readonly sentences: readonly number[];
}

/** A passage as the index holds it: with the label of its vector in the vector store. */
export interface PassageRecord extends PassageGroup {
  readonly label: number;
}

/**
 * Longest run of sentences in one passage: a longer paragraph would dilute the passage's match. Ten
 * loses nothing against whole paragraphs on ARCD and TyDi QA (0.1 point), six lost 0.5, three 2–3.
 */
export const MAX_PASSAGE_SENTENCES = 10;

/** The id of a passage, named after its first sentence: `${doc}@${index}`. */
export function passageId(first: Pick<SentenceRecord, "doc" | "index">): string {
  return `${first.doc}@${first.index}`;
}

/**
 * Groups sentences (the whole index's list, in order) into passages: consecutive body sentences of the
 * same paragraph, split evenly when longer than the maximum; each metadata line alone.
 */
export function groupPassages(sentences: readonly SentenceRecord[]): PassageGroup[] {
  const passages: PassageGroup[] = [];
  let run: number[] = [];
  const flush = (): void => {
    // Parts whose sizes differ by at most one: 13 sentences → 5, 4, 4 rather than 6, 6, 1.
    const parts = Math.ceil(run.length / MAX_PASSAGE_SENTENCES);
    let start = 0;
    for (let part = 0; part < parts; part++) {
      const size = Math.floor(run.length / parts) + (part < run.length % parts ? 1 : 0);
      const positions = run.slice(start, start + size);
      start += size;
      const first = sentences[positions[0] ?? 0];
      if (first) passages.push({ id: passageId(first), doc: first.doc, sentences: positions });
    }
    run = [];
  };
  sentences.forEach((sentence, position) => {
    const previous = run.length > 0 ? sentences[run[run.length - 1] ?? 0] : undefined;
    const sameParagraph =
      previous !== undefined && previous.doc === sentence.doc && previous.block === sentence.block;
    if (!sameParagraph || sentence.kind === "meta") flush();
    run.push(position);
    if (sentence.kind === "meta") flush();
  });
  flush();
  return passages;
}

/**
 * The text a passage is matched by: the article's title and the section heading as context, then its
 * sentences. The title matters: questions name the subject that later paragraphs only refer to.
 */
export function passageText(title: string, passageSentences: readonly SentenceRecord[]): string {
  const heading = passageSentences[0]?.heading;
  return [title, heading, ...passageSentences.map((sentence) => sentence.text)]
    .filter((part): part is string => Boolean(part))
    .join("\n");
}
