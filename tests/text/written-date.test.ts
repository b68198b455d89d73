import { describe, expect, it } from "vitest";

import { writtenDate } from "../../src/text/index.js";

describe("writtenDate", () => {
  it("writes the corpus article's date as an Arabic article does", () => {
    expect(writtenDate("2025-10-09")).toBe("9 أكتوبر/تشرين الأول 2025");
  });

  it.each([
    ["01", "يناير/كانون الثاني"],
    ["02", "فبراير/شباط"],
    ["03", "مارس/آذار"],
    ["04", "أبريل/نيسان"],
    ["05", "مايو/أيار"],
    ["06", "يونيو/حزيران"],
    ["07", "يوليو/تموز"],
    ["08", "أغسطس/آب"],
    ["09", "سبتمبر/أيلول"],
    ["10", "أكتوبر/تشرين الأول"],
    ["11", "نوفمبر/تشرين الثاني"],
    ["12", "ديسمبر/كانون الأول"],
  ])("names month %s by both its names: %s", (month, name) => {
    expect(writtenDate(`2024-${month}-15`)).toBe(`15 ${name} 2024`);
  });

  it.each([
    ["2025-01-05", "5 يناير/كانون الثاني 2025"],
    ["2024-02-01", "1 فبراير/شباط 2024"],
    ["2024-12-31", "31 ديسمبر/كانون الأول 2024"],
    ["2025-01-24", "24 يناير/كانون الثاني 2025"],
  ])("writes the day of %s without a leading zero", (iso, written) => {
    expect(writtenDate(iso)).toBe(written);
  });

  it.each([
    "",
    "2025-10",
    "2025-10-9",
    "09-10-2025",
    "2025/10/09",
    "2025-10-09T12:00:00Z",
    " 2025-10-09",
    "٢٠٢٥-١٠-٠٩",
    "9 أكتوبر/تشرين الأول 2025",
    "أمس",
  ])("returns %j unchanged: it is no YYYY-MM-DD date", (text) => {
    expect(writtenDate(text)).toBe(text);
  });

  it.each(["2025-00-10", "2025-13-01", "2025-99-09"])(
    "returns %s unchanged: there is no such month",
    (iso) => {
      expect(writtenDate(iso)).toBe(iso);
    },
  );

  it.each(["2025-10-00", "2025-10-32"])("returns %s unchanged: there is no such day", (iso) => {
    expect(writtenDate(iso)).toBe(iso);
  });
});
