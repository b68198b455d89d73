import { describe, expect, it } from "vitest";
import { QuestionLimits } from "../../src/bot/index.js";

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("QuestionLimits", () => {
  it("admits up to the limit per window, then refuses until the window slides", () => {
    const time = clock();
    const limits = new QuestionLimits({ perWindow: 2, windowMs: 60_000, concurrent: 4, now: time.now });
    expect([limits.admit(1), limits.admit(1), limits.admit(1)]).toEqual(["ok", "ok", "rate-limited"]);
    expect(limits.admit(2)).toBe("ok");
    time.advance(60_001);
    expect(limits.admit(1)).toBe("ok");
  });

  it("gives the rate-limit notice once per window", () => {
    const time = clock();
    const limits = new QuestionLimits({ perWindow: 1, windowMs: 1000, concurrent: 1, now: time.now });
    expect([limits.shouldNotice(7), limits.shouldNotice(7)]).toEqual([true, false]);
    time.advance(1001);
    expect(limits.shouldNotice(7)).toBe(true);
  });

  it("keeps one question in flight per user", async () => {
    const limits = new QuestionLimits({ perWindow: 10, concurrent: 4 });
    let release: () => void = () => undefined;
    const running = limits.run(1, () => new Promise<void>((resolve) => (release = resolve)));
    expect(limits.admit(1)).toBe("busy");
    expect(limits.admit(2)).toBe("ok");
    release();
    await running;
    expect(limits.admit(1)).toBe("ok");
  });

  it("runs at most `concurrent` answers at once, and the rest in turn", async () => {
    const limits = new QuestionLimits({ perWindow: 10, concurrent: 2 });
    let active = 0;
    let peak = 0;
    const work = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 10));
      active--;
    };
    await Promise.all([1, 2, 3, 4, 5].map((user) => limits.run(user, work)));
    expect(peak).toBe(2);
  });

  it("frees the user and the slot when the work fails", async () => {
    const limits = new QuestionLimits({ perWindow: 10, concurrent: 1 });
    await expect(limits.run(1, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limits.admit(1)).toBe("ok");
    await expect(limits.run(2, () => Promise.resolve(5))).resolves.toBe(5);
  });

  it("admits replies up to the limit per window, then refuses them until the window slides", () => {
    const time = clock();
    const limits = new QuestionLimits({ perWindow: 3, windowMs: 60_000, concurrent: 4, now: time.now });
    expect([1, 2, 3, 4, 5].map(() => limits.admitReply(1))).toEqual([true, true, true, false, false]);
    time.advance(59_999);
    expect(limits.admitReply(1)).toBe(false);
    time.advance(2);
    expect(limits.admitReply(1)).toBe(true);
  });

  it("slides reply by reply: each refused reply leaves the budget as it was", () => {
    const time = clock();
    const limits = new QuestionLimits({ perWindow: 2, windowMs: 1000, concurrent: 1, now: time.now });
    expect(limits.admitReply(1)).toBe(true);
    time.advance(600);
    expect(limits.admitReply(1)).toBe(true);
    // A flood of refused replies does not push the window forward.
    for (let i = 0; i < 20; i++) expect(limits.admitReply(1)).toBe(false);
    time.advance(401);
    // The first reply has left the window; the second has not.
    expect([limits.admitReply(1), limits.admitReply(1)]).toEqual([true, false]);
  });

  it("counts replies and questions against one budget, per user", () => {
    const time = clock();
    const limits = new QuestionLimits({ perWindow: 3, windowMs: 60_000, concurrent: 4, now: time.now });
    expect([limits.admit(1), limits.admit(1)]).toEqual(["ok", "ok"]);
    expect(limits.admitReply(1)).toBe(true);
    // The budget is spent: neither another reply nor a question.
    expect(limits.admitReply(1)).toBe(false);
    expect(limits.admit(1)).toBe("rate-limited");
    // Another user's budget is untouched.
    expect(limits.admitReply(2)).toBe(true);
    expect(limits.admit(2)).toBe("ok");
    time.advance(60_000);
    expect(limits.admitReply(1)).toBe(true);
    expect(limits.admit(1)).toBe("ok");
  });

  it("spends the budget on replies first: a question after them is rate-limited, with one notice", () => {
    const time = clock();
    const limits = new QuestionLimits({ perWindow: 2, windowMs: 60_000, concurrent: 4, now: time.now });
    expect([limits.admitReply(9), limits.admitReply(9)]).toEqual([true, true]);
    expect(limits.admit(9)).toBe("rate-limited");
    expect([limits.shouldNotice(9), limits.shouldNotice(9)]).toEqual([true, false]);
  });

  it("admits a reply while the user's question is being answered (a reply is not a second question)", async () => {
    const limits = new QuestionLimits({ perWindow: 10, concurrent: 4 });
    let release: () => void = () => undefined;
    const running = limits.run(5, () => new Promise<void>((resolve) => (release = resolve)));
    expect(limits.admit(5)).toBe("busy");
    expect(limits.admitReply(5)).toBe(true);
    release();
    await running;
  });
});
