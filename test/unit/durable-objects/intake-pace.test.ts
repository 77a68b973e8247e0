/** The intake drain's pacing rules: retry backoff and the alarm kept after a pass. */
import { describe, expect, it } from "vitest";
import { alarmAfterPass, BACKSTOP_MS, retryDelayMs } from "../../../durable-objects/intake/store.ts";

describe("alarmAfterPass", () => {
  const now = 1_700_000_000_000;

  it("clears the alarm when nothing is due any more", () => {
    expect(alarmAfterPass(null, now)).toBeNull();
  });

  it("keeps a later retry's own time", () => {
    expect(alarmAfterPass(now + 5_000, now)).toBe(now + 5_000);
  });

  it("only backs up events that are due already (the burst that brought them processes them)", () => {
    // An alarm at once would flush the next burst before its gather window.
    expect(alarmAfterPass(now - 10, now)).toBe(now + BACKSTOP_MS);
    expect(alarmAfterPass(now, now)).toBe(now + BACKSTOP_MS);
  });
});

describe("retryDelayMs", () => {
  it("doubles from 5 s and stops at 10 min", () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 600_000, 600_000]);
  });
});
