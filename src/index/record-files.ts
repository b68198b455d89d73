import { passageId, type PassageRecord } from "./passages.js";
import { sentenceId, type DocumentRecord, type SentenceRecord } from "./records.js";

/**
 * The sentences and passages of an index, in columns: written and read back at memory speed, where the
 * same records as JSON took a second each way at 10,000 articles (300,000 sentences, 110 MB), most of
 * an incremental reindex. What a document's place determines is not stored: a sentence's document,
 * index and id follow from the documents' sentence counts, a passage's document and id from its first
 * sentence.
 *
 * Layout, little-endian: eight uint32 (magic, sentences S, passages P, passage positions Q, distinct
 * headings H, text length T in UTF-16 units, two zeros); then uint32 columns: the end of each sentence's
 * text [S], its block [S], its heading (0 for none, else 1 + heading number) [S], its kind (0 body,
 * 1 meta) [S], the end of each heading's text [H] (after the sentences'), each passage's label [P] and
 * sentence count [P], the passages' sentence positions [Q]; then the texts, UTF-16LE [T].
 */
export const RECORDS_FILE = "records.bin";

/** "SNR1": what the file starts with. */
const MAGIC = 0x31524e53;
const HEADER_WORDS = 8;
/** Text decoded per string, at most (in UTF-16 units): sentences are slices of these. */
const TEXT_CHUNK = 1 << 20;

/** The sentences and passages of an index. */
export interface SentencesAndPassages {
  readonly sentences: readonly SentenceRecord[];
  readonly passages: readonly PassageRecord[];
}

/**
 * Encodes the sentences and passages of `documents`. Throws when a record is not where its document's
 * place puts it, or a passage's id is not its first sentence's (the file would read back other records).
 */
export function encodeRecords(
  documents: readonly DocumentRecord[],
  { sentences, passages }: SentencesAndPassages,
): Buffer {
  checkDerivable(documents, sentences, passages);
  const headingNumber = new Map<string, number>();
  for (const sentence of sentences) {
    if (sentence.heading !== undefined && !headingNumber.has(sentence.heading)) {
      headingNumber.set(sentence.heading, headingNumber.size);
    }
  }
  const headings = [...headingNumber.keys()];
  const positions = passages.reduce((sum, passage) => sum + passage.sentences.length, 0);
  const words = HEADER_WORDS + 4 * sentences.length + headings.length + 2 * passages.length + positions;
  const text = sentences.map((sentence) => sentence.text).join("") + headings.join("");
  const bytes = Buffer.alloc(words * 4 + text.length * 2);
  const column = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  column.set([MAGIC, sentences.length, passages.length, positions, headings.length, text.length, 0, 0]);
  let at = HEADER_WORDS;
  let end = 0;
  const S = sentences.length;
  sentences.forEach((sentence, i) => {
    end += sentence.text.length;
    column[at + i] = end;
    column[at + S + i] = sentence.block;
    column[at + 2 * S + i] =
      sentence.heading === undefined ? 0 : 1 + (headingNumber.get(sentence.heading) ?? 0);
    column[at + 3 * S + i] = sentence.kind === "meta" ? 1 : 0;
  });
  at += 4 * S;
  for (const heading of headings) {
    end += heading.length;
    column[at++] = end;
  }
  passages.forEach((passage, i) => {
    column[at + i] = passage.label;
    column[at + passages.length + i] = passage.sentences.length;
  });
  at += 2 * passages.length;
  for (const passage of passages) for (const position of passage.sentences) column[at++] = position;
  bytes.write(text, words * 4, "utf16le");
  return bytes;
}

/**
 * Reads what {@link encodeRecords} wrote for `documents`; throws, saying what is wrong (the caller names
 * the file), when it does not fit.
 */
export function decodeRecords(file: Uint8Array, documents: readonly DocumentRecord[]): SentencesAndPassages {
  // An aligned copy when needed: a Buffer's offset into Node's pool need not be a multiple of 4.
  const bytes = file.byteOffset % 4 === 0 ? file : new Uint8Array(file);
  if (bytes.byteLength < HEADER_WORDS * 4) throw new Error("shorter than its header");
  const header = new Uint32Array(bytes.buffer, bytes.byteOffset, HEADER_WORDS);
  const [magic = 0, S = 0, P = 0, Q = 0, H = 0, T = 0] = header;
  if (magic !== MAGIC) throw new Error("not a records file");
  const words = HEADER_WORDS + 4 * S + H + 2 * P + Q;
  if (bytes.byteLength !== words * 4 + T * 2) {
    throw new Error(`${bytes.byteLength} bytes, its header says ${words * 4 + T * 2}`);
  }
  const column = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  const texts = new TextSlices(Buffer.from(bytes.buffer, bytes.byteOffset + words * 4, T * 2));
  const headingAt = HEADER_WORDS + 4 * S;
  // Headings' texts follow the sentences'.
  let start = S > 0 ? (column[HEADER_WORDS + S - 1] ?? 0) : 0;
  const headings: string[] = [];
  for (let h = 0; h < H; h++) {
    const end = column[headingAt + h] ?? 0;
    headings.push(texts.slice(start, end, `heading ${h}`));
    start = end;
  }
  if (start !== T) throw new Error(`its texts end at ${start}, not ${T}`);

  const sentences: SentenceRecord[] = [];
  let sentence = 0;
  start = 0;
  for (const { id: doc, sentenceCount } of documents) {
    for (let index = 0; index < sentenceCount; index++, sentence++) {
      if (sentence >= S) throw new Error(`${S} sentences, its documents have more`);
      const at = HEADER_WORDS + sentence;
      const end = column[at] ?? 0;
      const text = texts.slice(start, end, `sentence ${sentence}`);
      start = end;
      const kind = column[at + 3 * S];
      const heading = column[at + 2 * S] ?? 0;
      if ((kind !== 0 && kind !== 1) || heading > H) throw new Error(`sentence ${sentence} is malformed`);
      sentences.push({
        id: sentenceId(doc, index),
        doc,
        index,
        text,
        kind: kind === 1 ? "meta" : "body",
        block: column[at + S] ?? 0,
        ...(heading > 0 ? { heading: headings[heading - 1] ?? "" } : {}),
      });
    }
  }
  if (sentence !== S) throw new Error(`its documents have ${sentence} sentences, not ${S}`);

  const passages: PassageRecord[] = [];
  let position = HEADER_WORDS + 4 * S + H + 2 * P;
  for (let p = 0; p < P; p++) {
    const count = column[HEADER_WORDS + 4 * S + H + P + p] ?? 0;
    const own = Array.from(column.subarray(position, position + count));
    position += count;
    const first = sentences[own[0] ?? S];
    if (!first || own.length < count || own.some((at) => sentences[at]?.doc !== first.doc)) {
      throw new Error(`passage ${p} is malformed`);
    }
    const label = column[HEADER_WORDS + 4 * S + H + p] ?? 0;
    passages.push({ id: passageId(first), doc: first.doc, sentences: own, label });
  }
  if (position !== words) throw new Error(`its passages have other than ${Q} sentences`);
  return { sentences, passages };
}

/** The texts of the file, decoded a chunk at a time and cut into strings. */
class TextSlices {
  private chunk = "";
  private chunkStart = 0;

  constructor(private readonly bytes: Buffer) {}

  /** The text from unit `start` to `end`; `what` names it in an error. */
  slice(start: number, end: number, what: string): string {
    if (end < start || end * 2 > this.bytes.length) throw new Error(`${what} is malformed`);
    if (start < this.chunkStart || end > this.chunkStart + this.chunk.length) {
      this.chunkStart = start;
      const chunkEnd = Math.min(this.bytes.length / 2, Math.max(end, start + TEXT_CHUNK));
      this.chunk = this.bytes.toString("utf16le", start * 2, chunkEnd * 2);
    }
    return this.chunk.slice(start - this.chunkStart, end - this.chunkStart);
  }
}

/** Throws unless every record is what the file can give back from its place alone. */
function checkDerivable(
  documents: readonly DocumentRecord[],
  sentences: readonly SentenceRecord[],
  passages: readonly PassageRecord[],
): void {
  let position = 0;
  for (const { id, sentenceCount } of documents) {
    for (let index = 0; index < sentenceCount; index++, position++) {
      const sentence = sentences[position];
      if (sentence?.doc !== id || sentence.index !== index || sentence.id !== sentenceId(id, index)) {
        throw new Error(`sentence ${position} is not sentence ${index} of ${id}`);
      }
    }
  }
  if (position !== sentences.length) {
    throw new Error(`the documents have ${position} sentences, not ${sentences.length}`);
  }
  passages.forEach((passage, p) => {
    const first = sentences[passage.sentences[0] ?? sentences.length];
    if (!first || passage.doc !== first.doc || passage.id !== passageId(first)) {
      throw new Error(`passage ${p} (${passage.id}) is not named after its first sentence`);
    }
  });
}
