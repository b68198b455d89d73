import { InlineKeyboard } from "grammy";
import { EXAMPLE_QUESTIONS } from "./messages.js";

/** Callback data of an example-question button: `ask:<index in EXAMPLE_QUESTIONS>`. */
export const EXAMPLE_CALLBACK = /^ask:(\d+)$/;

/** The example questions as buttons that ask them, one per row (and no empty row after the last). */
export function exampleKeyboard(): InlineKeyboard {
  return InlineKeyboard.from(
    EXAMPLE_QUESTIONS.map((question, i) => [InlineKeyboard.text(question, `ask:${i}`)]),
  );
}
