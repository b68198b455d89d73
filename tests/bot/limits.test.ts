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
});
