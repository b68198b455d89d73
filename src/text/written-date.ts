/**
 * Months as Arabic news writes them: the name used in Egypt and the Gulf, then the Levantine one
 * («أكتوبر/تشرين الأول»), so that every reader recognizes the month whatever their country.
 */
// prettier-ignore
const MONTHS = [
  "يناير/كانون الثاني", "فبراير/شباط", "مارس/آذار", "أبريل/نيسان", "مايو/أيار", "يونيو/حزيران",
  "يوليو/تموز", "أغسطس/آب", "سبتمبر/أيلول", "أكتوبر/تشرين الأول", "نوفمبر/تشرين الثاني",
  "ديسمبر/كانون الأول",
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date of the form YYYY-MM-DD as an Arabic article writes it: «9 أكتوبر/تشرين الأول 2025». Written
 * in words, it reads the same in any direction: an ISO date among Arabic words is reordered by the bidi
 * algorithm (2025-10-09 shows as 09-10-2025 after an Arabic comma). Anything else is returned as it is.
 *
 * @example writtenDate("2025-10-09") === "9 أكتوبر/تشرين الأول 2025"
 */
export function writtenDate(iso: string): string {
  const match = ISO_DATE.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  const name = MONTHS[Number(month) - 1];
  if (name === undefined || Number(day) < 1 || Number(day) > 31) return iso;
  return `${Number(day)} ${name} ${year}`;
}
