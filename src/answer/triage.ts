import { isArabicText } from "./language.js";
import { MESSAGES } from "./messages.js";
import { readSmallTalk } from "./small-talk.js";
import type { Answer, AnswerEvent, Answerer, ReplyKind } from "./types.js";
import { finalAnswer } from "./final-answer.js";

/**
 * Translates a question into one line of Arabic, or gives undefined when it cannot (the server failed,
 * or its reply was unusable). It does not throw; a rejection counts as undefined.
 */
export type QuestionTranslator = (question: string) => Promise<string | undefined>;

/** Options of {@link QuestionTriage}. */
export interface QuestionTriageFields {
  /** Answers the questions that pass. */
  answerer: Answerer;
  /**
   * Translates a question not in Arabic, so that it can be searched and answered in Arabic (a language
   * model). Without it, such a question gets the reply that questions are answered in Arabic.
   */
  translate?: QuestionTranslator;
}

/** The texts of the replies that are no answer. */
const REPLIES: Readonly<Record<ReplyKind, string>> = {
  greeting: MESSAGES.welcome,
  thanks: MESSAGES.thanks,
  "not-arabic": MESSAGES.notArabic,
};

/**
 * Looks at a message before it is answered: a greeting or thanks alone gets a short reply of its own (a
 * welcome with an example question; «عفواً …»), a question after a greeting is answered without the
 * greeting, and a question not in Arabic is translated into Arabic first (with a translator) or gets the
 * reply, in Arabic and English, that questions are answered in Arabic. It never says of such a message
 * that the articles do not answer it, since nothing was searched. The final answer always carries the
 * user's own message as its question.
 *
 * @example
 * const answerer = new QuestionTriage({ answerer: createAnswerer(index) });
 * (await answerer.answer("مرحباً")).kind === "greeting"
 */
export class QuestionTriage implements Answerer {
  private readonly answerer: Answerer;
  private readonly translate: QuestionTranslator | undefined;

  constructor(fields: QuestionTriageFields) {
    this.answerer = fields.answerer;
    this.translate = fields.translate;
  }

  answer(question: string, options: { readonly topK?: number } = {}): Promise<Answer> {
    return finalAnswer(this.stream(question, options));
  }

  /**
   * The reply, or the answer as a stream. An Arabic question is handed to the answerer at once, so that
   * it is answered by the answerer current when it was asked (see SwitchableAnswerer); a question to
   * translate reaches it once translated.
   */
  stream(question: string, options: { readonly topK?: number } = {}): AsyncGenerator<AnswerEvent> {
    const talk = readSmallTalk(question);
    if (talk?.rest === "") return only(reply(question, talk.kind));
    const asked = talk ? talk.rest : question;
    if (isArabicText(asked)) return asking(this.answerer.stream(asked, options), question);
    return this.translated(asked, question, options);
  }

  private async *translated(
    asked: string,
    question: string,
    options: { readonly topK?: number },
  ): AsyncGenerator<AnswerEvent> {
    const translated = await this.translate?.(asked).catch(() => undefined);
    if (translated === undefined) {
      yield { type: "final", answer: reply(question, "not-arabic") };
      return;
    }
    yield* asking(this.answerer.stream(translated, options), question);
  }
}

/** A stream of one final event, as the answerers give for an answer not written piece by piece. */
// eslint-disable-next-line @typescript-eslint/require-await -- nothing to wait for: the reply is ready
async function* only(answer: Answer): AsyncGenerator<AnswerEvent> {
  yield { type: "final", answer };
}

/** The events as they come, the final answer carrying the user's own question. */
async function* asking(events: AsyncGenerator<AnswerEvent>, question: string): AsyncGenerator<AnswerEvent> {
  for await (const event of events) {
    yield event.type === "final" ? { type: "final", answer: { ...event.answer, question } } : event;
  }
}

function reply(question: string, kind: ReplyKind): Answer {
  return {
    question,
    mode: "extractive",
    refused: false,
    confidence: "none",
    answer: REPLIES[kind],
    citations: [],
    kind,
  };
}
