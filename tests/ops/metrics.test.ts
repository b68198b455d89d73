import { describe, expect, it } from "vitest";
import type { Answer } from "../../src/answer/index.js";
import { MESSAGES } from "../../src/answer/messages.js";
import { outcomeOf, SanadMetrics } from "../../src/ops/index.js";

const answered: Answer = {
  question: "كم عدد الطلاب الطاجيك في روسيا؟",
  mode: "extractive",
  refused: false,
  confidence: "high",
  answer: "يلتحق أكثر من 35 ألف طالب طاجيكستاني بالمؤسسات الروسية [1].",
  citations: [],
};

/** A metric's value for some labels, read from the Prometheus text as a scraper reads it. */
function valueOf(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((row) => row.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

function metrics(state = { queued: 2, pending: 3, documents: 1, builtAt: new Date(Date.now() - 90_000) }) {
  return new SanadMetrics("llm", {
    queueDepth: () => state.queued,
    pendingUpdates: () => state.pending,
    index: () => ({ documents: state.documents, builtAt: state.builtAt.toISOString() }),
  });
}

describe("outcomeOf", () => {
  it.each([
    ["answered", answered],
    ["hedged", { ...answered, confidence: "low" as const }],
    ["refused", { ...answered, refused: true, confidence: "none" as const, answer: MESSAGES.refusal }],
    ["fallback", { ...answered, notice: MESSAGES.llmFallback }],
  ])("calls it %s", (outcome, answer) => {
    expect(outcomeOf(answer)).toBe(outcome);
  });
});

describe("SanadMetrics", () => {
  it("counts questions by mode and outcome, with their latency", async () => {
    const sanad = metrics();
    sanad.answered(answered, 0.004);
    sanad.answered({ ...answered, confidence: "low" }, 0.003);
    sanad.answered({ ...answered, mode: "llm" }, 1.2);
    sanad.failed();
    const { contentType, body } = await sanad.scrape();
    expect(contentType).toMatch(/^text\/plain/);
    expect(valueOf(body, "sanad_questions_total", '{mode="extractive",outcome="answered"}')).toBe(1);
    expect(valueOf(body, "sanad_questions_total", '{mode="extractive",outcome="hedged"}')).toBe(1);
    expect(valueOf(body, "sanad_questions_total", '{mode="llm",outcome="answered"}')).toBe(1);
    expect(valueOf(body, "sanad_questions_total", '{mode="llm",outcome="failed"}')).toBe(1);
    expect(valueOf(body, "sanad_answer_seconds_count", '{mode="extractive"}')).toBe(2);
    expect(valueOf(body, "sanad_answer_seconds_bucket", '{le="0.005",mode="extractive"}')).toBe(2);
    expect(valueOf(body, "sanad_answer_seconds_bucket", '{le="1",mode="llm"}')).toBe(0);
    expect(valueOf(body, "sanad_answer_seconds_bucket", '{le="2.5",mode="llm"}')).toBe(1);
  });

  it("observes retrievals and counts model and Telegram errors by kind", async () => {
    const sanad = metrics();
    sanad.retrieval(0.0015);
    sanad.modelError("unreachable");
    sanad.modelError("unreachable");
    sanad.modelError("unverified");
    sanad.telegramError("429");
    sanad.telegramError("network");
    const { body } = await sanad.scrape();
    expect(valueOf(body, "sanad_retrieval_seconds_count")).toBe(1);
    expect(valueOf(body, "sanad_retrieval_seconds_bucket", '{le="0.0025"}')).toBe(1);
    expect(valueOf(body, "sanad_model_errors_total", '{kind="unreachable"}')).toBe(2);
    expect(valueOf(body, "sanad_model_errors_total", '{kind="unverified"}')).toBe(1);
    expect(valueOf(body, "sanad_telegram_errors_total", '{kind="429"}')).toBe(1);
    expect(valueOf(body, "sanad_telegram_errors_total", '{kind="network"}')).toBe(1);
  });

  it("reads the queue, the pending updates and the index when scraped, not before", async () => {
    const state = { queued: 2, pending: 3, documents: 1, builtAt: new Date(Date.now() - 90_000) };
    const sanad = metrics(state);
    const first = (await sanad.scrape()).body;
    expect(valueOf(first, "sanad_answer_queue_depth")).toBe(2);
    expect(valueOf(first, "sanad_pending_updates")).toBe(3);
    expect(valueOf(first, "sanad_index_documents")).toBe(1);
    expect(valueOf(first, "sanad_index_age_seconds")).toBeGreaterThanOrEqual(90);
    expect(valueOf(first, "sanad_index_age_seconds")).toBeLessThan(120);
    Object.assign(state, { queued: 0, pending: 0, documents: 12, builtAt: new Date() });
    const second = (await sanad.scrape()).body;
    expect(valueOf(second, "sanad_answer_queue_depth")).toBe(0);
    expect(valueOf(second, "sanad_index_documents")).toBe(12);
    expect(valueOf(second, "sanad_index_age_seconds")).toBeLessThan(5);
    // Node's own process metrics come along.
    expect(second).toContain("process_resident_memory_bytes");
  });

  it("keeps two instances apart: each has a registry of its own", async () => {
    const a = metrics();
    const b = metrics();
    a.failed();
    expect(valueOf((await b.scrape()).body, "sanad_questions_total", '{mode="llm",outcome="failed"}')).toBe(
      undefined,
    );
  });
});
