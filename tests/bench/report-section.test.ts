import { describe, expect, it } from "vitest";
import { withSection } from "../../bench/lib/report-section.js";

const REPORT = "# Results\n\nMachine: x.\n\n## Build\n\nold build\n\n## Replicas\n\nold replicas\n";

describe("withSection (one part of bench/results.md measured again)", () => {
  it("replaces a section in the middle, keeping those around it", () => {
    expect(withSection(REPORT, "## Build\n\nnew build\n")).toBe(
      "# Results\n\nMachine: x.\n\n## Build\n\nnew build\n\n## Replicas\n\nold replicas\n",
    );
  });

  it("replaces the last section", () => {
    expect(withSection(REPORT, "## Replicas\n\nnew\n\n### Detail\n\nmore")).toBe(
      "# Results\n\nMachine: x.\n\n## Build\n\nold build\n\n## Replicas\n\nnew\n\n### Detail\n\nmore\n",
    );
  });

  it("keeps a section's ### headings inside it and replaces them with it", () => {
    const report = withSection(REPORT, "## Build\n\nA\n\n### Sub\n\nB\n");
    expect(withSection(report, "## Build\n\nC\n")).toBe(withSection(REPORT, "## Build\n\nC\n"));
  });

  it("appends a section the report does not have, after a blank line", () => {
    expect(withSection(REPORT, "## Peers\n\ntable\n")).toBe(`${REPORT}\n## Peers\n\ntable\n`);
  });

  it("does not take a heading that only begins the same way for the section's own", () => {
    expect(withSection(REPORT, "## Rep\n\nx\n")).toBe(`${REPORT}\n## Rep\n\nx\n`);
  });

  it("makes a report of a section alone when there is none yet", () => {
    expect(withSection("", "## Peers\n\ntable")).toBe("## Peers\n\ntable\n");
  });
});
