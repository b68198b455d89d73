import { describe, expect, it } from "vitest";
import { countCharacters } from "../../src/text/index.js";

describe("countCharacters", () => {
  it.each([
    ["", 0],
    ["سؤال", 4],
    ["سؤال 😀", 6],
    ["😀😀😀", 3],
    ["𝐀", 1],
    ["مُحَمَّد", 8],
  ])("counts %j as %i characters, as a person types them (code points)", (text, count) => {
    expect(countCharacters(text)).toBe(count);
  });

  it("counts a 615-character question of text and emoji as 615, not its 1,000+ UTF-16 units", () => {
    const question = `${"سؤال ".repeat(23)}${"😀".repeat(500)}`;
    expect(question.length).toBeGreaterThan(1000);
    expect(countCharacters(question)).toBe(615);
  });
});
