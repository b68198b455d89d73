import { describe, expect, it } from "vitest";
import { decodeStartQuestion, encodeStartQuestion, MAX_START_PAYLOAD } from "../../src/bot/start-payload.js";

describe("start payload", () => {
  it("carries a short Arabic question through a /start link", () => {
    const payload = encodeStartQuestion("متى القمة؟");
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(payload?.length).toBeLessThanOrEqual(MAX_START_PAYLOAD);
    expect(decodeStartQuestion(payload ?? "")).toBe("متى القمة؟");
  });

  it("does not encode a question too long for Telegram's 64 characters", () => {
    expect(encodeStartQuestion("كم عدد الطلاب الطاجيك الذين يدرسون في روسيا؟")).toBeUndefined();
  });

  it.each([[""], ["has space"], ["x".repeat(65)], ["//"]])("reads no question from %j", (payload) => {
    expect(decodeStartQuestion(payload)).toBeUndefined();
  });
});
