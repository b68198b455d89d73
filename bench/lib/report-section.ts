/**
 * The report with `section` in place of the section under the same heading (the section's first line,
 * a "## " heading), which runs up to the next "## " heading; appended when the report has none. Lets
 * one part of bench/results.md be measured again alone (`npm run bench -- --replicas`,
 * `npm run bench:peers`) while the others stay as they were measured.
 */
export function withSection(report: string, section: string): string {
  const heading = section.split("\n", 1)[0] ?? "";
  const body = section.trimEnd();
  const start = sectionStart(report, heading);
  if (start === undefined) {
    const before = report.trimEnd();
    return before === "" ? `${body}\n` : `${before}\n\n${body}\n`;
  }
  const end = report.indexOf("\n## ", start);
  return `${report.slice(0, start)}${body}\n${end < 0 ? "" : report.slice(end)}`;
}

/** Where the line `heading` begins in the report, if it has that line. */
function sectionStart(report: string, heading: string): number | undefined {
  if (report.startsWith(`${heading}\n`)) return 0;
  const at = report.indexOf(`\n${heading}\n`);
  return at < 0 ? undefined : at + 1;
}
