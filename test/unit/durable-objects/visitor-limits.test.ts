import { describe, expect, it } from "vitest";
import { socketsToClose, takeFromWindow, type Window } from "../../../durable-objects/lib/visitor-limits.ts";

describe("takeFromWindow", () => {
  it("allows `limit` units per window, refuses the rest, and starts afresh after the period", () => {
    let w: Window | null = null;
    const taken: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      const r = takeFromWindow(w, 1000 + i, 3, 60_000);
      w = r.window;
      taken.push(r.allowed);
    }
    expect(taken).toEqual([true, true, true, false, false]);
    expect(w?.count).toBe(3);
    const next = takeFromWindow(w, 1000 + 60_000, 3, 60_000);
    expect(next).toEqual({ allowed: true, window: { startedAt: 61_000, count: 1 } });
  });

  it("keeps the window's start while it lasts", () => {
    const a = takeFromWindow(null, 5, 10, 100);
    const b = takeFromWindow(a.window, 90, 10, 100);
    expect(b.window).toEqual({ startedAt: 5, count: 2 });
  });
});

describe("socketsToClose", () => {
  it("closes the oldest so the newcomer fits under the cap", () => {
    expect(socketsToClose(["a", "b", "c", "d", "e"], 5)).toEqual(["a"]);
    expect(socketsToClose(["a", "b", "c", "d", "e", "f", "g"], 5)).toEqual(["a", "b", "c"]);
    expect(socketsToClose(["a", "b"], 5)).toEqual([]);
  });
});
