import { describe, expect, it } from "vitest";
import { Coalescer } from "../../../durable-objects/room/coalesce.ts";

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
});
