import { articleRecord, type ArticleRecord, type EvidenceSentence } from "../retrieval/index.js";
import { isNumberToken, normalizeArabic, tokenize } from "../text/index.js";
import type { Citation } from "./types.js";

/** A sentence as the model saw it in the context, with its number there and the article it comes from. */
export interface NumberedSentence {
  readonly n: number;
  readonly sentence: EvidenceSentence;
  readonly article: ArticleRecord;
}

/**
 * The citation numbered `n` of a sentence of the evidence. It names the article by its record alone:
 * the evidence's article also carries its metadata lines, which a citation does not repeat.
 */
export function citationOf(n: number, sentence: EvidenceSentence, article: ArticleRecord): Citation {
  return {
    n,
    doc: sentence.doc,
    sentence: sentence.index,
    text: sentence.text,
    article: articleRecord(article),
  };
}

/** What can be wrong with a model's answer, found in plain code before anything is sent. */
export type CitationProblem =
  | { readonly kind: "empty" }
  | { readonly kind: "unknown-citation"; readonly n: number }
  | { readonly kind: "no-citation" }
  | { readonly kind: "unsupported-number"; readonly value: string }
  | { readonly kind: "refusal-with-citations" }
  | { readonly kind: "wrong-language" };

/** The outcome of checking an answer. `answer` is set when it can be sent (possibly with markers dropped). */
export interface CitationCheck {
  /** The model said the context does not answer (its text holds the fixed refusal, and no marker). */
  readonly refused: boolean;
  /** Problems that stop the answer from being sent as it is. */
  readonly problems: readonly CitationProblem[];
  /** Markers dropped because they point to no sentence of the context. */
  readonly dropped: readonly number[];
  /** The answer with its markers renumbered 1, 2 … in order of first use, and the cited sentences. */
  readonly answer?: { readonly text: string; readonly citations: readonly Citation[] };
}

/** `[1]`, `[١]`, `[1، 2]`, `[1,2]`, `[ 3 ]`: digits of any script, separated by commas. */
const MARKER =
  /\[\s*([0-9\u0660-\u0669\u06F0-\u06F9]+(?:\s*[,،]\s*[0-9\u0660-\u0669\u06F0-\u06F9]+)*)\s*\]/gu;
/** Share of an answer's letters that must be Arabic for it to count as written in Arabic. */
const MIN_ARABIC_SHARE = 0.6;

/** The citation markers of a text: where each stands and the numbers it holds. */
export function parseCitationMarkers(text: string): { start: number; end: number; numbers: number[] }[] {
  return [...text.matchAll(MARKER)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    numbers: (match[1] ?? "").split(/[,،]/).map((part) => Number(normalizeArabic(part.trim()))),
  }));
}

/**
 * Checks a model's answer against the sentences it was given: markers must point to a numbered sentence
 * (others are dropped), at least one must remain, every number in the text must appear in a cited
 * sentence, the text must be in Arabic, and a refusal must not cite. Markers are renumbered in order of
 * first use, so that citations come in answer order.
 */
export function checkCitations(
  raw: string,
  context: readonly NumberedSentence[],
  refusalMessage: string,
  maxCitations = Number.POSITIVE_INFINITY,
): CitationCheck {
  const text = raw.trim();
  if (text === "") return { refused: false, problems: [{ kind: "empty" }], dropped: [] };
  const markers = parseCitationMarkers(text);
  const byNumber = new Map(context.map((entry) => [entry.n, entry]));
  if (bare(text).includes(bare(refusalMessage))) {
    const problems: CitationProblem[] = markers.length > 0 ? [{ kind: "refusal-with-citations" }] : [];
    return { refused: problems.length === 0, problems, dropped: [] };
  }

  const dropped = [...new Set(markers.flatMap((marker) => marker.numbers.filter((n) => !byNumber.has(n))))];
  const order: number[] = [];
  for (const n of markers.flatMap((marker) => marker.numbers)) {
    if (byNumber.has(n) && !order.includes(n)) order.push(n);
  }
  const problems: CitationProblem[] = dropped.map((n) => ({ kind: "unknown-citation" as const, n }));
  const blocking: CitationProblem[] = [];
  if (order.length === 0) blocking.push({ kind: "no-citation" });

  const prose = stripMarkers(text, markers);
  const cited = order.flatMap((n) => byNumber.get(n) ?? []);
  const citedNumbers = new Set(cited.flatMap(({ sentence }) => numbersIn(sentence.text)));
  for (const value of new Set(numbersIn(prose))) {
    if (!citedNumbers.has(value)) blocking.push({ kind: "unsupported-number", value });
  }
  if (arabicShare(prose) < MIN_ARABIC_SHARE) blocking.push({ kind: "wrong-language" });
  if (blocking.length > 0) return { refused: false, problems: [...problems, ...blocking], dropped };

  // Beyond the citation limit (TOP_K), later sentences are not cited: their markers go, the text stays.
  const kept = order.slice(0, Math.max(1, maxCitations));
  const renumber = new Map(kept.map((n, i) => [n, i + 1]));
  const rewritten = rewriteMarkers(text, markers, renumber).trim();
  const citations: Citation[] = kept.flatMap((n, i) => {
    const entry = byNumber.get(n);
    return entry ? [citationOf(i + 1, entry.sentence, entry.article)] : [];
  });
  return { refused: false, problems, dropped, answer: { text: rewritten, citations } };
}

/** The problems as an instruction to the model for its one corrective attempt, in the prompt's language. */
export function describeProblems(problems: readonly CitationProblem[]): string {
  const lines = problems.map((problem) => {
    switch (problem.kind) {
      case "empty":
        return "الإجابة فارغة.";
      case "unknown-citation":
        return `الرقم [${problem.n}] لا يقابل أي جملة في السياق.`;
      case "no-citation":
        return "لا تسند الإجابة أي معلومة إلى رقم جملة من السياق.";
      case "unsupported-number":
        return `الرقم ${problem.value} لا يرد في الجمل المستشهد بها.`;
      case "refusal-with-citations":
        return "جملة الاعتذار تُكتب وحدها دون أرقام.";
      case "wrong-language":
        return "الإجابة ليست بالعربية الفصحى.";
    }
  });
  return `راجع إجابتك السابقة، ففيها ما يخالف القواعد:\n${lines.map((line) => `- ${line}`).join("\n")}\nأعد كتابة الإجابة كاملة وفق القواعد.`;
}

/** Text compared without marks, punctuation and spacing: a refusal without its full stop is still one. */
function bare(text: string): string {
  return normalizeArabic(text).replace(/[\p{P}\s]+/gu, "");
}

function stripMarkers(text: string, markers: readonly { start: number; end: number }[]): string {
  let result = "";
  let last = 0;
  for (const { start, end } of markers) {
    result += text.slice(last, start);
    last = end;
  }
  return result + text.slice(last);
}

function rewriteMarkers(
  text: string,
  markers: readonly { start: number; end: number; numbers: number[] }[],
  renumber: ReadonlyMap<number, number>,
): string {
  let result = "";
  let last = 0;
  for (const { start, end, numbers } of markers) {
    const kept = numbers.flatMap((n) => renumber.get(n) ?? []);
    // A marker whose every number was unknown goes, with the space before it.
    const before = text.slice(last, start);
    result += kept.length > 0 ? `${before}[${[...new Set(kept)].join("، ")}]` : before.replace(/\s+$/, "");
    last = end;
  }
  return result + text.slice(last);
}

/** The numbers of a text as comparable values: ASCII digits, no percent sign or thousands commas. */
function numbersIn(text: string): string[] {
  return tokenize(normalizeArabic(text))
    .filter(isNumberToken)
    .flatMap((token) => token.replace(/%/g, "").split("-"))
    .filter((value) => value !== "");
}

function arabicShare(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return 1;
  return letters.filter((letter) => /\p{Script=Arabic}/u.test(letter)).length / letters.length;
}
