import {
  isStopWord,
  normalizeArabic,
  questionForms,
  questionWordAsks,
  stemArabic,
  tokenForms,
  tokenize,
  tokenStates,
} from "../text/index.js";
import { parseCitationMarkers } from "./citations.js";
import { questionCues } from "./question-cues.js";

/** A word or a number of the text as written (vowel marks and all), where it stands. */
interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly date: boolean;
  readonly number: boolean;
  /** A unit a quantity is counted in (دولار، روبل، طن …), or a word a date goes on with (تشرين الأول). */
  readonly unit: boolean;
}

/** A number as a text writes it, in any digits: 1.5، 22.6%، 2025 - 2026 is three tokens. */
const NUMBER = String.raw`[\d\u0660-\u0669\u06F0-\u06F9]+(?:[.,٫٬:][\d\u0660-\u0669\u06F0-\u06F9]+)*[%٪]?`;
/** Letters and marks less the Latin script (one class, not a look-ahead per letter), or Latin letters. */
const WORD = String.raw`[[\p{L}\p{M}]--\p{Script=Latin}]+|\p{Script=Latin}+`;
const TOKEN = new RegExp(`${NUMBER}|${WORD}`, "gv");

/** What may stand between two tokens of one date or amount: spaces, a slash, a dash. */
const JOINER = /^[\s/\-–]*$/u;

// prettier-ignore
const UNITS: ReadonlySet<string> = new Set([
  "دولار", "دولارا", "الدولار", "دولارات", "امريكي", "يورو", "روبل", "روبلا", "درهم", "ريال", "جنيه", "دينار",
  "طن", "اطنان", "كيلومتر", "كم", "متر", "برميل", "بالمئه", "بالمائه", "في المئه",
].map(normalizeArabic));
/** Words that go on a month's name: تشرين الأول، كانون الثاني. */
const MONTH_ORDINALS: ReadonlySet<string> = new Set(["الأول", "الثاني"].map(normalizeArabic));

/** A run of tokens that states one date or one amount. */
interface Run {
  readonly tokens: readonly Token[];
  /** The token after it, if any. */
  readonly next: Token | undefined;
}

/**
 * The fact a question asks for, when its answer sentence holds exactly one: the date (متى …؟) or the
 * amount (كم …؟) that the question does not already state, as the sentence writes it, so that a reply
 * can set it in bold. Undefined when the question asks for something else, or the sentence offers none
 * or several (the reader then reads the sentence; a guess in bold would mislead).
 *
 * @example askedFact("كم طالباً طاجيكياً يدرس في روسيا؟", "ويلتحق أكثر من 35 ألف طالب …") === "35 ألف"
 */
export function askedFact(question: string, sentence: string): string | undefined {
  const cues = questionCues(question);
  if (cues.asksWhen === cues.asksHowMany) return undefined;
  const stated = questionForms(question);
  // Citation markers ([1]، [1، 3]) are no amounts: blanked, so that offsets stay those of the text.
  const text = withoutMarkers(sentence);
  const runs = runsOf(text, tokensOf(text));
  const wanted = runs.filter(({ tokens }) =>
    cues.asksWhen
      ? tokens.some((token) => token.date && isNew(token, stated))
      : tokens.some((token) => token.number && isNew(token, stated)) && !tokens.some((token) => token.date),
  );
  // Of several amounts, the one that counts what the question counts (كم شركة … → 300 شركة).
  const chosen = wanted.length > 1 && cues.asksHowMany ? wanted.filter(countsAsked(question)) : wanted;
  if (chosen.length !== 1) return undefined;
  const run = chosen[0]?.tokens ?? [];
  const first = run[0];
  const last = run[run.length - 1];
  return first && last ? sentence.slice(first.start, last.end) : undefined;
}

/** Whether the question does not state the token already. */
const isNew = (token: Token, stated: ReadonlySet<string>): boolean =>
  !stated.has(normalizeArabic(token.text));

/** Words between كم and what it counts: «كم عدد الطلاب»، «كم يبلغ عدد …». */
const BEFORE_COUNTED: ReadonlySet<string> = new Set(
  ["عدد", "بلغ", "يبلغ", "تبلغ", "بلغت", "كان", "كانت", "هو", "هي", "هم"].map(normalizeArabic),
);

/**
 * The word a how-many question counts: the first after its question word that is not a stop word or a
 * verb of amounting (كم شركةً …، كم عدد الطلاب … → شركه، الطلاب); undefined when there is none.
 */
function countedWord(question: string): string | undefined {
  const tokens = tokenize(normalizeArabic(question));
  const at = tokens.findIndex((token) => questionWordAsks(token) === "how-many");
  if (at < 0) return undefined;
  return tokens.slice(at + 1).find((token) => !BEFORE_COUNTED.has(token) && !isStopWord(token));
}

/**
 * Whether the word after a run is the word the question counts (by stem, the accusative's alif aside:
 * كم مقعداً … 1000 مقعد): which of several amounts is the one asked for.
 */
function countsAsked(question: string): (run: Run) => boolean {
  const counted = countedWord(question);
  if (counted === undefined) return () => false;
  const stems = new Set(stemsOf(counted));
  return ({ next }) =>
    next !== undefined && stemsOf(normalizeArabic(next.text)).some((stem) => stems.has(stem));
}

/** The stems of a token, with and without a glued clitic and the alif of the accusative (مقعداً). */
const stemsOf = (token: string): string[] =>
  tokenForms(token).flatMap((form) => {
    const bare = form.length > 3 && form.endsWith("ا") ? form.slice(0, -1) : form;
    return [stemArabic(form), stemArabic(bare)];
  });

function withoutMarkers(text: string): string {
  let result = text;
  for (const { start, end } of parseCitationMarkers(text)) {
    result = result.slice(0, start) + " ".repeat(end - start) + result.slice(end);
  }
  return result;
}

function tokensOf(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((match) => {
    const normalized = normalizeArabic(match[0]);
    // Normalized already: the states normalize it again, a pass that finds nothing to change.
    const states = tokenStates(normalized);
    return {
      text: match[0],
      start: match.index,
      end: match.index + match[0].length,
      date: states.date,
      number: states.number,
      unit: UNITS.has(normalized) || MONTH_ORDINALS.has(normalized),
    };
  });
}

/**
 * Runs of date and number tokens next to each other (مساء أمس الأربعاء 8 أكتوبر/تشرين الأول 2025،
 * 1.5 مليار دولار أمريكي): a unit or a month's ordinal joins the run before it, never starts one.
 */
function runsOf(text: string, tokens: readonly Token[]): Run[] {
  const runs: Token[][] = [];
  let current: Token[] = [];
  let previous: Token | undefined;
  for (const token of tokens) {
    const joined =
      previous !== undefined && current.length > 0 && JOINER.test(text.slice(previous.end, token.start));
    const counts = token.date || token.number;
    if (counts || (token.unit && joined)) {
      if (!joined && current.length > 0) {
        runs.push(current);
        current = [];
      }
      current.push(token);
    } else if (current.length > 0) {
      runs.push(current);
      current = [];
    }
    previous = token;
  }
  if (current.length > 0) runs.push(current);
  return runs.map((run) => {
    const last = run[run.length - 1];
    return { tokens: run, next: tokens.find((token) => last !== undefined && token.start >= last.end) };
  });
}
