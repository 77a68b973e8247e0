import { describe, expect, it } from "vitest";
import { createStore } from "../../../../dashboard/src/lib/store.ts";

describe("dashboard createStore", () => {
  it("set and update notify every subscriber with the new value", () => {
    const store = createStore({ n: 1 });
    const seen: number[] = [];
    store.subscribe((v) => seen.push(v.n));
    store.set({ n: 2 });
    store.update((prev) => ({ n: prev.n * 10 }));
    expect(store.get()).toEqual({ n: 20 });
    expect(seen).toEqual([2, 20]);
  });

  it("an unsubscribed listener hears nothing more, others still do", () => {
    const store = createStore(0);
    const a: number[] = [];
    const b: number[] = [];
    const offA = store.subscribe((v) => a.push(v));
    store.subscribe((v) => b.push(v));
    store.set(1);
    offA();
    store.set(2);
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });
});
