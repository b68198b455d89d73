import { describe, expect, it } from "vitest";

import { validateFrontMatter } from "../../src/corpus/front-matter.js";
import { CorpusFileError, parseArticle } from "../../src/corpus/index.js";
import type { ArticleMeta } from "../../src/corpus/index.js";
import { errorOf } from "../support/errors.js";

const PATH = "corpus/article.md";
const BODY = "\n\nنص المقال.\n";

/** Builds a Markdown file from front-matter lines and a short body. */
function markdown(...frontMatter: string[]): string {
  return ["---", ...frontMatter, "---"].join("\n") + BODY;
}

describe("front matter: valid", () => {
  it.each<{ name: string; raw: string; meta: ArticleMeta }>([
    {
      name: "all fields",
      raw: markdown(
        "id: tass-2025-10-09-putin-dushanbe",
        "title: بوتين في دوشنبه",
        "source: تاس (TASS)",
        "published: 2025-10-09",
        "language: ar",
        "url: https://tass.ru/a",
      ),
      meta: {
        id: "tass-2025-10-09-putin-dushanbe",
        title: "بوتين في دوشنبه",
        source: "تاس (TASS)",
        published: "2025-10-09",
        language: "ar",
        url: "https://tass.ru/a",
      },
    },
    {
      name: "only id and title; language defaults to ar",
      raw: markdown("id: خبر_1.ar", 'title: "عنوان: مع نقطتين"'),
      meta: { id: "خبر_1.ar", title: "عنوان: مع نقطتين", language: "ar" },
    },
    {
      name: "CRLF and BOM",
      raw: "\uFEFF---\r\nid: a\r\ntitle: b\r\n---\r\n\r\nنص.\r\n",
      meta: { id: "a", title: "b", language: "ar" },
    },
  ])("$name", ({ raw, meta }) => {
    expect(parseArticle(PATH, raw).meta).toEqual(meta);
  });

  it("formats a YAML Date value as YYYY-MM-DD", () => {
    const meta = validateFrontMatter(PATH, { id: "a", title: "b", published: new Date("2025-10-09") });
    expect(meta.published).toBe("2025-10-09");
  });
});

describe("front matter: invalid", () => {
  it.each<{ name: string; raw: string; reason: RegExp }>([
    { name: "missing id", raw: markdown("title: b"), reason: /field "id" is missing/ },
    { name: "id that is not a slug", raw: markdown("id: a b", "title: b"), reason: /field "id" must start/ },
    { name: "id too long", raw: markdown(`id: ${"a".repeat(121)}`, "title: b"), reason: /field "id".*120/ },
    { name: "empty title", raw: markdown("id: a", 'title: ""'), reason: /field "title" must not be empty/ },
    { name: "blank title", raw: markdown("id: a", "title:"), reason: /field "title" has no value/ },
    {
      name: "impossible date",
      raw: markdown("id: a", "title: b", "published: 2025-13-40"),
      reason: /field "published" must be a real date written YYYY-MM-DD/,
    },
    {
      name: "rolled-over date",
      raw: markdown("id: a", "title: b", "published: 2025-02-30"),
      reason: /field "published"/,
    },
    {
      name: "unknown key",
      raw: markdown("id: a", "title: b", "titel: c"),
      reason:
        /unknown front matter field "titel" \(allowed fields: id, title, source, published, language, url\)/,
    },
    { name: "bad url", raw: markdown("id: a", "title: b", "url: ftp://x"), reason: /field "url"/ },
    {
      name: "unclosed front matter",
      raw: "---\nid: a\ntitle: b\n\nنص المقال.\n",
      reason: /front matter opened with "---" on line 1 is never closed/,
    },
    {
      name: "broken YAML",
      raw: markdown("id: a", "title: [b", "source: c"),
      reason: /invalid YAML in the front matter at line \d+: .+/,
    },
    { name: "duplicate YAML key", raw: markdown("id: a", "id: b", "title: c"), reason: /line 3: Map keys/ },
    { name: "empty front matter", raw: markdown(), reason: /front matter is empty/ },
    { name: "whitespace-only file", raw: " \n\t\n", reason: /^file is empty$/ },
    {
      name: "no paragraph after the front matter",
      raw: "---\nid: a\ntitle: b\n---\n\n## عنوان\n\n---\n\nالمصدر: تاس\n",
      reason: /^no article text after the front matter$/,
    },
    { name: "a list, not a mapping", raw: markdown("- a", "- b"), reason: /must be "key: value" lines/ },
  ])("$name", ({ raw, reason }) => {
    const error = errorOf(() => parseArticle(PATH, raw), CorpusFileError);
    expect(error.path).toBe(PATH);
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`${PATH}: ${error.reason}`);
  });
});
