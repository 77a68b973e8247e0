/** Outbound retry policy: backoff growth, full jitter with injected randomness, Retry-After floor, classification. */
import { describe, expect, it } from "vitest";
import { ChannelSendError } from "../../../workers/channels/common/errors.ts";
import { parseRetryAfter } from "../../../workers/channels/common/http.ts";
import { classifySendError, nextRetryDelayMs } from "../../../workers/channels/common/retry.ts";

describe("nextRetryDelayMs", () => {
  const exact = { baseMs: 500, maxMs: 30_000, jitter: "none" as const };

  it("doubles per attempt up to the cap", () => {
    expect([0, 1, 2, 3, 6, 7, 50, 5000].map((a) => nextRetryDelayMs(a, exact))).toEqual([
      500, 1000, 2000, 4000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  it("full jitter scales the ceiling by the injected random", () => {
    expect(nextRetryDelayMs(3, { ...exact, jitter: "full", random: () => 0.5 })).toBe(2000);
    expect(nextRetryDelayMs(3, { ...exact, jitter: "full", random: () => 0 })).toBe(0);
    expect(nextRetryDelayMs(10, { ...exact, jitter: "full", random: () => 0.999 })).toBe(29_970);
  });

  it("treats Retry-After as a floor, even above maxMs", () => {
    expect(nextRetryDelayMs(0, exact, 7000)).toBe(7000);
    expect(nextRetryDelayMs(0, exact, 60_000)).toBe(60_000);
    expect(nextRetryDelayMs(6, exact, 1000)).toBe(30_000);
    expect(nextRetryDelayMs(0, { ...exact, jitter: "full", random: () => 0 }, 1500)).toBe(1500);
  });

  it("survives nonsense attempts", () => {
    expect(nextRetryDelayMs(-3, exact)).toBe(500);
    expect(nextRetryDelayMs(Number.NaN, exact)).toBe(500);
  });
});

describe("classifySendError", () => {
  it("uses the decision carried by ChannelSendError", () => {
    expect(
      classifySendError(
        new ChannelSendError("x", { channel: "telegram", status: 429, retryable: true, retryAfterMs: 3000 }),
      ),
    ).toEqual({ retryable: true, retryAfterMs: 3000 });
    expect(
      classifySendError(new ChannelSendError("x", { channel: "telegram", status: 403, retryable: false })),
    ).toEqual({ retryable: false });
  });
  it("retries network failures (fetch TypeError) but not programming errors", () => {
    expect(classifySendError(new TypeError("fetch failed"))).toEqual({ retryable: true });
    expect(classifySendError(new RangeError("bad"))).toEqual({ retryable: false });
    expect(classifySendError("string thrown")).toEqual({ retryable: false });
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("120", 0)).toBe(120_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("Wed, 21 Oct 2015 07:27:30 GMT"))).toBe(30_000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
  });
});
