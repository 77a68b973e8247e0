import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Coalescer, jittered, loadGather, throttleDelay } from "../../../workers/lib/coalesce.ts";

describe("Coalescer", () => {
  it("runs once per burst plus once for calls during the run", async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const c = new Coalescer(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    });
    const kept: Array<Promise<unknown>> = [];
    c.kick((p) => kept.push(p));
    for (let i = 0; i < 10; i++) c.kick((p) => kept.push(p));
    expect(kept).toHaveLength(1);
    release();
    await c.idle();
    expect(runs).toBe(2);
    c.kick((p) => kept.push(p));
    await c.idle();
    expect(runs).toBe(3);
  });

  it("gathers calls during the delay into one run", async () => {
    let runs = 0;
    const c = new Coalescer(async () => {
      runs++;
    }, 20);
    const started = [c.kick(() => undefined), c.kick(() => undefined), c.kick(() => undefined)];
    expect(started).toEqual([true, false, false]);
    await c.idle();
    expect(runs).toBe(1);
  });

  it("flush ends the delay at once", async () => {
    let runs = 0;
    const c = new Coalescer(async () => {
      runs++;
    }, 60_000);
    c.kick(() => undefined);
    await c.flush();
    expect(runs).toBe(1);
  });

  it("keeps working after a failed run", async () => {
    let n = 0;
    const c = new Coalescer(async () => {
      n++;
      if (n === 1) throw new Error("boom");
    });
    c.kick((p) => void p.catch(() => undefined));
    await c.idle();
    c.kick((p) => void p.catch(() => undefined));
    await c.idle();
    expect(n).toBe(2);
  });

  it("asks a delay function afresh for every burst", async () => {
    const delays = [30, 0];
    const asked: number[] = [];
    let runs = 0;
    const c = new Coalescer(
      async () => {
        runs++;
      },
      () => {
        const d = delays.shift() ?? 0;
        asked.push(d);
        return d;
      },
    );
    const kept: Array<Promise<unknown>> = [];
    c.kick((p) => kept.push(p));
    await c.idle();
    c.kick((p) => kept.push(p));
    await c.idle();
    expect(asked).toEqual([30, 0]);
    expect(runs).toBe(2);
    // A delayed burst keeps only the work alive (after the wait); an immediate one keeps the whole run.
    expect(kept).toHaveLength(2);
  });
});

describe("Coalescer with a delay, under a steady stream of calls", () => {
  it("runs once per window instead of back to back when calls keep arriving during runs", async () => {
    const starts: number[] = [];
    let release: () => void = () => undefined;
    const c = new Coalescer(async () => {
      starts.push(Date.now());
      await new Promise<void>((r) => (release = r));
    }, 40);
    const t0 = Date.now();
    c.kick(() => undefined);
    await new Promise((r) => setTimeout(r, 60)); // first run started after ~40 ms and is still running
    expect(starts).toHaveLength(1);
    c.kick(() => undefined); // arrives during the run
    release();
    await new Promise((r) => setTimeout(r, 10));
    // Not re-run at once: a new burst waits out its own window.
    expect(starts).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(starts).toHaveLength(2);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(35);
    release();
    await c.idle();
    expect((starts[0] ?? 0) - t0).toBeGreaterThanOrEqual(35);
  });

  it("flush runs the pending pass at once, also one asked for during the run", async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const c = new Coalescer(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    }, 60_000);
    c.kick(() => undefined);
    const flushed = c.flush();
    await new Promise((r) => setTimeout(r, 5));
    expect(runs).toBe(1);
    c.kick(() => undefined); // during the flushed run
    release();
    await flushed;
    expect(runs).toBe(2);
  });

  it("an undelayed job still goes round again at once", async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const c = new Coalescer(async () => {
      runs++;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    });
    c.kick(() => undefined);
    c.kick(() => undefined);
    release();
    await c.idle();
    expect(runs).toBe(2);
  });
});

describe("jittered", () => {
  it("spreads the window over ±fraction and stays inside it", () => {
    expect(jittered(10_000, 0.5, () => 0)).toBe(5_000);
    expect(jittered(10_000, 0.5, () => 0.5)).toBe(10_000);
    expect(jittered(10_000, 0.5, () => 0.999999)).toBe(15_000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (base, f, r) => {
          const d = jittered(base, f, () => r);
          return d >= Math.floor(base * (1 - f)) && d <= Math.ceil(base * (1 + f));
        },
      ),
    );
  });

  it("draws different windows for rooms that start together", () => {
    const windows = new Set(Array.from({ length: 200 }, () => jittered(10_000, 0.5)));
    expect(windows.size).toBeGreaterThan(150);
  });
});

describe("throttleDelay", () => {
  it("is zero after a quiet spell and the rest of the window otherwise", () => {
    expect(throttleDelay(0, 2000, 1_000_000)).toBe(0);
    expect(throttleDelay(10_000, 2000, 12_500)).toBe(0);
    expect(throttleDelay(10_000, 2000, 10_500)).toBe(1500);
    expect(throttleDelay(10_000, 2000, 10_000)).toBe(2000);
  });
});

describe("loadGather", () => {
  it("stays at the minimum when the last run found little, grows per item and stops at the cap", () => {
    expect(loadGather(0, 25, 2, 1_000)).toBe(25);
    expect(loadGather(3, 25, 2, 1_000)).toBe(31);
    expect(loadGather(200, 25, 2, 1_000)).toBe(425);
    expect(loadGather(5_000, 25, 2, 1_000)).toBe(1_000);
    expect(loadGather(-4, 25, 2, 1_000)).toBe(25);
  });
});
