import { describe, expect, it } from "vitest";
import { passRetires, REKEY_GRACE_MS } from "../../../workers/rights/rekey.ts";
import { NEWEST_TTL_MS } from "../../../workers/services/data-keys.ts";

describe("when a finished re-encryption pass may retire old keys", () => {
  const rotatedAt = 1_000_000;

  it("needs a clean pass that started after the grace", () => {
    expect(passRetires({ passClean: true, passStartedAt: rotatedAt + REKEY_GRACE_MS, rotatedAt })).toBe(true);
  });

  it("not when the pass started while isolates could still seal with the old version", () => {
    expect(passRetires({ passClean: true, passStartedAt: rotatedAt + REKEY_GRACE_MS - 1, rotatedAt })).toBe(false);
    expect(passRetires({ passClean: true, passStartedAt: rotatedAt, rotatedAt })).toBe(false);
  });

  it("not when the pass met an object it could not move, or never started", () => {
    expect(passRetires({ passClean: false, passStartedAt: rotatedAt + 2 * REKEY_GRACE_MS, rotatedAt })).toBe(false);
    expect(passRetires({ passClean: true, passStartedAt: null, rotatedAt })).toBe(false);
  });

  it("the grace outlasts the newest-version cache", () => {
    expect(REKEY_GRACE_MS).toBeGreaterThan(NEWEST_TTL_MS);
  });
});
