import { describe, expect, it } from "vitest";

import { readSmallTalk, SMALL_TALK, type SmallTalkKind } from "../../src/answer/small-talk.js";
import { mulberry32 } from "../support/prng.js";

describe("readSmallTalk", () => {
  it.each<[string, string, SmallTalkKind]>([
    ["a greeting", "مرحبا", "greeting"],
    ["a greeting with tanween and an exclamation mark", "مرحباً!", "greeting"],
    ["a greeting spelt with hamza or without", "اهلا", "greeting"],
    ["a greeting of two words", "السلام عليكم", "greeting"],
    ["the long form of the salutation", "السلام عليكم ورحمة الله وبركاته", "greeting"],
    ["a greeting of the morning", "صباح الخير", "greeting"],
    ["a greeting with harakat and tatweel", "مَرْحَبـــاً", "greeting"],
    ["a greeting and a vocative", "أهلاً يا سند 👋", "greeting"],
    ["two greetings", "مرحبا، كيف حالك؟", "greeting"],
    ["a Latin greeting in capitals", "Hello!", "greeting"],
    ["a Latin greeting and a question of manners", "hi, how are you?", "greeting"],
    ["thanks", "شكراً", "thanks"],
    ["thanks with an intensifier", "شكرا جزيلا", "thanks"],
    ["thanks with tails", "شكراً جزيلاً لك", "thanks"],
    ["thanks in the dialects", "مشكور", "thanks"],
    ["a Levantine wish of strength", "يعطيك العافية", "thanks"],
    ["thanks for something said before", "شكراً على ذلك", "thanks"],
    ["thanks for the information", "شكرا ع المعلومات 🙏", "thanks"],
    ["Latin thanks", "Thank you so much", "thanks"],
    ["thanks after a greeting, with a glued conjunction", "مرحبا وشكرا", "thanks"],
  ])("reads %s as small talk alone", (_rule, text, kind) => {
    expect(readSmallTalk(text)).toEqual({ kind, rest: "" });
  });

  it.each<[string, string, SmallTalkKind, string]>([
    ["a greeting before a question", "مرحبا، متى تعقد القمة؟", "greeting", "متى تعقد القمة؟"],
    [
      "a greeting and a vocative before a question",
      "أهلاً يا سند كم عدد الطلاب؟",
      "greeting",
      "كم عدد الطلاب؟",
    ],
    ["the salutation before a question", "السلام عليكم، من يرافق بوتين؟", "greeting", "من يرافق بوتين؟"],
    ["thanks before a follow-up", "شكراً، وكم عددهم؟", "thanks", "وكم عددهم؟"],
    [
      "thanks for something, up to the comma",
      "شكرا على المعلومات، ومتى تعقد القمة؟",
      "thanks",
      "ومتى تعقد القمة؟",
    ],
    [
      "thanks for something, up to a question word",
      "شكرا على المعلومات متى تعقد القمة",
      "thanks",
      "متى تعقد القمة",
    ],
    [
      "a Latin greeting before an English question",
      "Hi! How many students?",
      "greeting",
      "How many students?",
    ],
  ])("reads %s, and gives the rest as written", (_rule, text, kind, rest) => {
    expect(readSmallTalk(text)).toEqual({ kind, rest });
  });

  it.each<[string, string]>([
    ["a question", "متى تعقد القمة؟"],
    ["a question that mentions a greeting", "ما معنى مرحبا؟"],
    [
      "a question that opens with a word spelt like a greeting's first word",
      "السلام في أفغانستان متى يتحقق؟",
    ],
    ["a word that only begins like a greeting", "مرحباكم"],
    ["an English question", "How many students study in Russia?"],
    ["punctuation", "؟؟"],
    ["nothing", ""],
  ])("finds no small talk in %s", (_rule, text) => {
    expect(readSmallTalk(text)).toBeUndefined();
  });

  it("has each phrase once, and every phrase reads as small talk of its kind", () => {
    const phrases = SMALL_TALK.map(({ phrase }) => phrase);
    expect(new Set(phrases).size).toBe(phrases.length);
    for (const { phrase, kind } of SMALL_TALK) expect(readSmallTalk(phrase)).toEqual({ kind, rest: "" });
  });

  it("never throws, and gives a rest that ends the text, on 500 random strings", () => {
    const random = mulberry32(11);
    // Code points, one by one: a tanween or tatweel may land anywhere, as in text people type.
    const alphabet = Array.from("مرحباشكرًاهلسعيكمو يا،!؟ hiHELOthanks👋\u0640");
    for (let n = 0; n < 500; n++) {
      const text = Array.from(
        { length: Math.floor(random() * 24) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join("");
      const talk = readSmallTalk(text);
      if (talk) expect(text.trimEnd().endsWith(talk.rest)).toBe(true);
    }
  });
});
