import { describe, expect, it } from "vitest";

import { parseMarkdownBody, parsePlainTextBody } from "../../src/corpus/body.js";
import type { ArticleBlock } from "../../src/corpus/index.js";

const heading = (text: string): ArticleBlock => ({ kind: "heading", text });
const paragraph = (text: string): ArticleBlock => ({ kind: "paragraph", text });
const trailer = (text: string): ArticleBlock => ({ kind: "trailer", text });

/** More than eight words, so a short line above it may be a heading. */
const LONG_LINE = "يواصل الرئيس الروسي برنامجه في دوشنبه عقب وصوله إلى العاصمة الطاجيكستانية.";

describe("parseMarkdownBody", () => {
  it.each<{ name: string; body: string; blocks: ArticleBlock[] }>([
    {
      name: "ATX headings of every level, with closing hashes",
      body: "# واحد\n\n## اثنان ##\n\n###### ستة\n\n## C#",
      blocks: [heading("واحد"), heading("اثنان"), heading("ستة"), heading("C#")],
    },
    {
      name: "a hash without a space is text, an empty heading is dropped",
      body: "#وسم\n\n##\n\nنص",
      blocks: [paragraph("#وسم"), paragraph("نص")],
    },
    {
      name: "paragraphs separated by blank lines keep their lines",
      body: "سطر أول\nسطر ثان\n\n\nفقرة ثانية",
      blocks: [paragraph("سطر أول\nسطر ثان"), paragraph("فقرة ثانية")],
    },
    {
      name: "a heading interrupts a paragraph",
      body: "نص\n## عنوان\nنص آخر",
      blocks: [paragraph("نص"), heading("عنوان"), paragraph("نص آخر")],
    },
    {
      name: "lines after the thematic break are trailer blocks, one per line",
      body: "نص المقال.\n\n---\n\nالصورة: تاس\nالمصدر: تاس",
      blocks: [paragraph("نص المقال."), trailer("الصورة: تاس"), trailer("المصدر: تاس")],
    },
    {
      name: "only the last break starts the trailer",
      body: "أ\n\n***\n\nب\n\n_ _ _\n\nالمصدر: تاس",
      blocks: [paragraph("أ"), paragraph("ب"), trailer("المصدر: تاس")],
    },
    {
      name: "CRLF line endings and trailing whitespace",
      body: "## عنوان  \r\n\r\nنص \t\r\nتتمة\r\n\r\n- - -\r\nالمصدر: تاس\r\n",
      blocks: [heading("عنوان"), paragraph("نص\nتتمة"), trailer("المصدر: تاس")],
    },
    {
      name: "a byte-order mark is dropped",
      body: "\uFEFFنص",
      blocks: [paragraph("نص")],
    },
    {
      name: "text is kept exactly, punctuation and all",
      body: 'قال "ما يقرب من نصف الحكومة"، إذ يضم الـ كريملِن  20 وزيراً.',
      blocks: [paragraph('قال "ما يقرب من نصف الحكومة"، إذ يضم الـ كريملِن  20 وزيراً.')],
    },
  ])("$name", ({ body, blocks }) => {
    expect(parseMarkdownBody(body)).toEqual(blocks);
  });
});

describe("parsePlainTextBody", () => {
  it.each<{ name: string; text: string; blocks: ArticleBlock[] }>([
    {
      name: "each non-empty line is a paragraph",
      text: `${LONG_LINE}\n\nسطر ثان.\n`,
      blocks: [paragraph(LONG_LINE), paragraph("سطر ثان.")],
    },
    {
      name: "a short line before a long paragraph is a heading",
      text: `${LONG_LINE}\nقمة روسيا - آسيا الوسطى\n${LONG_LINE}`,
      blocks: [paragraph(LONG_LINE), heading("قمة روسيا - آسيا الوسطى"), paragraph(LONG_LINE)],
    },
    {
      name: "a short line ending in punctuation is not a heading",
      text: `جدول الأعمال:\n${LONG_LINE}\nهل ينجح؟\n${LONG_LINE}`,
      blocks: [paragraph("جدول الأعمال:"), paragraph(LONG_LINE), paragraph("هل ينجح؟"), paragraph(LONG_LINE)],
    },
    {
      name: "a short line before a short line is not a heading",
      text: `الأجندة الثنائية\nنص قصير جدا.\n${LONG_LINE}`,
      blocks: [paragraph("الأجندة الثنائية"), paragraph("نص قصير جدا."), paragraph(LONG_LINE)],
    },
    {
      name: "the last line is never a heading",
      text: `${LONG_LINE}\nالأجندة الثنائية`,
      blocks: [paragraph(LONG_LINE), paragraph("الأجندة الثنائية")],
    },
    {
      name: "credit lines at the end are trailer blocks",
      text: `${LONG_LINE}\nالصورة: الموقع الرسمي\nمصدر الصورة : رويترز\nSource: TASS\nالمصدر: تاس`,
      blocks: [
        paragraph(LONG_LINE),
        trailer("الصورة: الموقع الرسمي"),
        trailer("مصدر الصورة : رويترز"),
        trailer("Source: TASS"),
        trailer("المصدر: تاس"),
      ],
    },
    {
      name: "a credit-like line followed by text is a paragraph",
      text: `${LONG_LINE}\nالمصدر: تاس\nانتهى.`,
      blocks: [paragraph(LONG_LINE), paragraph("المصدر: تاس"), paragraph("انتهى.")],
    },
    {
      name: "a short line just before the credits is not a heading",
      text: `${LONG_LINE}\nروسيا والعالم\nالمصدر: تاس`,
      blocks: [paragraph(LONG_LINE), paragraph("روسيا والعالم"), trailer("المصدر: تاس")],
    },
    {
      name: "CRLF, BOM and trailing whitespace",
      text: `\uFEFFالأجندة الثنائية \r\n${LONG_LINE}\t\r\n\r\nالمصدر: تاس  \r\n`,
      blocks: [heading("الأجندة الثنائية"), paragraph(LONG_LINE), trailer("المصدر: تاس")],
    },
  ])("$name", ({ text, blocks }) => {
    expect(parsePlainTextBody(text)).toEqual(blocks);
  });
});
