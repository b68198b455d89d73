import {
  EXAMPLE_QUESTION,
  parseCitationMarkers,
  type Answer,
  type ArticleRecord,
  type Citation,
} from "../answer/index.js";
import { withoutLeadingConnector, writtenDate } from "../text/index.js";

/** A piece of a paragraph: plain, or set in bold (the fact the question asks for). */
export interface Span {
  readonly text: string;
  readonly bold?: boolean;
}

/** A sentence quoted with the number the answer cites it by. */
export interface Quote {
  readonly n: number;
  readonly text: string;
}

/** An article the reply rests on, named once, with the sentences of it that the answer cites. */
export interface SourceBlock {
  /** Its source and date as an article writes them («تاس (TASS)، 9 أكتوبر/تشرين الأول 2025»); "" if unknown. */
  readonly source: string;
  /** Its title; "" when the answer already states it. */
  readonly title: string;
  /** The cited sentences that the answer does not already show in full, in order. */
  readonly quotes: readonly Quote[];
  /** The article a question about it was answered about: named by its title alone. */
  readonly about?: boolean;
}

/** A sentence close to the answer's in score but not cited by its text, with its article when another. */
export interface RelatedQuote extends Quote {
  /** Its article's source line and title, when it is not the article the answer comes from. */
  readonly source?: string;
}

/**
 * What a reply shows, in order, whatever it is shown on: the question (when it was not typed in the
 * chat), a notice, the answer's paragraphs, each cited article once with its quotes, the related
 * sentences. Renderers (Telegram, plain text) decide only how each part looks.
 */
export interface ReplyLayout {
  /** The question, shown first when the chat does not show it (a button, an inline result). */
  readonly question?: string;
  /** A notice before the answer (the written answer could not be checked). */
  readonly notice?: string;
  /** The answer, paragraph by paragraph; the asked fact in bold. Markers never wrap from their word. */
  readonly paragraphs: readonly (readonly Span[])[];
  readonly sources: readonly SourceBlock[];
  readonly related: readonly RelatedQuote[];
  /**
   * The answer says the articles do not answer and suggests nothing itself: the interface offers a way
   * forward (a refusal that already gives an example question, as the empty-question one does, gets none).
   */
  readonly offersWayForward: boolean;
}

/** U+00A0 NO-BREAK SPACE: keeps a marker on the line of the word it follows. */
const NBSP = "\u00A0";

/** Options of {@link layoutReply}. */
export interface LayoutOptions {
  /** Show the question first: it was asked by a button or deep link, or the reply is shared inline. */
  readonly showQuestion?: boolean;
}

/**
 * The layout of an answer: the answer once (a sentence shown as the answer is not quoted again), each
 * article named once with its source and written date, the other cited sentences under it, and the
 * sentences cited but not referred to by the answer's text as related ones.
 *
 * @example layoutReply(answer, { showQuestion: true }).sources[0].source === "تاس (TASS)، 9 أكتوبر/تشرين الأول 2025"
 */
export function layoutReply(answer: Answer, options: LayoutOptions = {}): ReplyLayout {
  const referred = new Set(parseCitationMarkers(answer.answer).flatMap(({ numbers }) => numbers));
  const cited = answer.citations.filter(({ n }) => referred.has(n));
  const related = answer.citations.filter(({ n }) => !referred.has(n));
  const sources = sourceBlocks(answer, cited);
  const named = new Set(cited.map(({ article }) => article.id));
  const question = options.showQuestion ? answer.question.trim() : "";
  return {
    ...(question === "" ? {} : { question }),
    ...(answer.notice === undefined ? {} : { notice: answer.notice }),
    paragraphs: answer.answer
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .map((line) => withFact(keepMarkersWithWords(line), answer.fact)),
    sources,
    related: related.map(({ n, text, article }) =>
      named.has(article.id) || (named.size === 0 && isOnlyArticle(answer, article))
        ? { n, text }
        : { n, text, source: sourceLine(article, article.title) },
    ),
    offersWayForward: answer.refused && !answer.answer.includes(EXAMPLE_QUESTION),
  };
}

/** One block per article the answer cites (or is about), in order of first citation. */
function sourceBlocks(answer: Answer, cited: readonly Citation[]): SourceBlock[] {
  if (answer.about) {
    const { about } = answer;
    // The answer states the source and date already; the title, unless it states that too.
    return answer.answer.includes(about.title)
      ? []
      : [{ source: "", title: about.title, quotes: [], about: true }];
  }
  const blocks = new Map<string, { source: string; title: string; quotes: Quote[] }>();
  for (const citation of cited) {
    const { article } = citation;
    let block = blocks.get(article.id);
    if (!block) {
      block = { source: sourceOf(article), title: article.title, quotes: [] };
      blocks.set(article.id, block);
    }
    if (!shownInAnswer(answer.answer, citation.text))
      block.quotes.push({ n: citation.n, text: citation.text });
  }
  // An answer that cites nothing by marker (a hedge's closest sentence is marked; a refusal cites
  // nothing) still names the article its related sentences come from.
  if (blocks.size === 0 && answer.citations[0]) {
    const { article } = answer.citations[0];
    blocks.set(article.id, { source: sourceOf(article), title: article.title, quotes: [] });
  }
  return [...blocks.values()];
}

/** Whether the only citations of the answer come from this one article. */
const isOnlyArticle = (answer: Answer, article: ArticleRecord): boolean =>
  answer.citations.every((citation) => citation.article.id === article.id);

/** The source and date of an article as a line: «تاس (TASS)، 9 أكتوبر/تشرين الأول 2025». */
export function sourceOf(article: ArticleRecord): string {
  const date = article.published === undefined ? undefined : writtenDate(article.published);
  return [article.source, date].filter((part) => part !== undefined && part !== "").join("، ");
}

/** The source line and the title, for a related sentence of another article. */
const sourceLine = (article: ArticleRecord, title: string): string =>
  [sourceOf(article), title].filter((part) => part !== "").join(" — ");

/**
 * Whether the answer shows this sentence in full already (an extractive answer is the sentence, read
 * without its leading connector, with its marker before the final stop).
 */
function shownInAnswer(answerText: string, sentence: string): boolean {
  const core = withoutLeadingConnector(sentence)
    .trim()
    .replace(/[.!?؟؛]$/u, "")
    .trim();
  return core.length > 0 && answerText.includes(core);
}

/** No line break before a marker or inside one: «… عام 2024 [1، 3].» never leaves «[1، 3].» alone. */
export function keepMarkersWithWords(text: string): string {
  let result = "";
  let from = 0;
  for (const marker of parseCitationMarkers(text)) {
    result += text.slice(from, marker.start).replace(/\s+$/u, NBSP);
    result += text.slice(marker.start, marker.end).replace(/\s+/gu, NBSP);
    from = marker.end;
  }
  return result + text.slice(from);
}

/**
 * The paragraph with the asked fact in bold where it stands as a whole: «20» of «20 وزيراً», not the
 * first two digits of «2025».
 */
function withFact(paragraph: string, fact: string | undefined): Span[] {
  if (fact === undefined || fact === "") return [{ text: paragraph }];
  const escaped = fact.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const at = paragraph.search(new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escaped}(?![\\p{M}\\p{N}])`, "u"));
  if (at < 0) return [{ text: paragraph }];
  return [
    { text: paragraph.slice(0, at) },
    { text: fact, bold: true },
    { text: paragraph.slice(at + fact.length) },
  ].filter(({ text }) => text !== "");
}
