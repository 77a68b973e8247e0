import { describe, expect, it } from "vitest";
import { decideAttempt, PAIR_POLICY, IP_POLICY } from "../../../workers/lib/login-throttle.ts";
import { clientAddress } from "../../../workers/lib/client-address.ts";

describe("decideAttempt", () => {
  const now = 1_000_000;
  it("allows while every key is within its limit", () => {
    const d = decideAttempt(
      [
        { key: "pair:a|1", policy: PAIR_POLICY, count: 5, windowStart: now },
        { key: "ip:1", policy: IP_POLICY, count: 30, windowStart: now },
      ],
      now,
    );
    expect(d).toEqual({ allowed: true, retryAfterSeconds: 0, justLocked: [] });
  });

  it("refuses once one key is over, with the time left in that key's window", () => {
    const d = decideAttempt(
      [
        { key: "pair:a|1", policy: PAIR_POLICY, count: 6, windowStart: now - 60_000 },
        { key: "ip:1", policy: IP_POLICY, count: 7, windowStart: now },
      ],
      now,
    );
    expect(d.allowed).toBe(false);
    expect(d.retryAfterSeconds).toBe(14 * 60);
    expect(d.justLocked).toEqual(["pair:a|1"]);
  });

  it("reports a key as just locked only on the first attempt over the limit", () => {
    const d = decideAttempt([{ key: "pair:a|1", policy: PAIR_POLICY, count: 9, windowStart: now }], now);
    expect(d.allowed).toBe(false);
    expect(d.justLocked).toEqual([]);
  });
});

describe("clientAddress", () => {
  it("trusts CF-Connecting-IP only", () => {
    expect(clientAddress(new Headers({ "cf-connecting-ip": "203.0.113.5", "x-forwarded-for": "1.2.3.4" }))).toBe(
      "203.0.113.5",
    );
    expect(clientAddress(new Headers({ "x-forwarded-for": "1.2.3.4", "x-real-ip": "5.6.7.8" }))).toBe("local");
  });
});
