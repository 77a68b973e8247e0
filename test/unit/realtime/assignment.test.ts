import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canTransfer,
  detectDroppedOperators,
  drainQueue,
  orderQueue,
  pickOperator,
  queuePosition,
  releaseSlot,
  teamTransferItem,
} from "../../../durable-objects/lib/assignment.ts";
import type { OperatorState, WaitingItem } from "../../../durable-objects/lib/assignment.ts";
import { PRIORITIES } from "../../../durable-objects/lib/priority.ts";

const NOW = 1_000_000;

function op(id: string, over: Partial<OperatorState> = {}): OperatorState {
  return {
    id,
    status: "online",
    skills: [],
    languages: ["en"],
    teamIds: [],
    maxConcurrent: 2,
    activeCount: 0,
    lastAssignedAt: 0,
    lastHeartbeatAt: NOW,
    ...over,
  };
}

function item(conversationId: string, over: Partial<WaitingItem> = {}): WaitingItem {
  return { conversationId, enqueuedAt: 0, priority: "normal", category: null, language: null, teamId: null, ...over };
}

describe("pickOperator", () => {
  it("round-robin picks the least recently assigned online operator with capacity", () => {
    const ops = [op("a", { lastAssignedAt: 300 }), op("b", { lastAssignedAt: 100 }), op("c", { lastAssignedAt: 200 })];
    expect(pickOperator("round_robin", item("x"), ops, NOW)).toBe("b");
  });

  it("ignores operators who are away, on break, offline, full or silent", () => {
    const ops = [
      op("away", { status: "away" }),
      op("break", { status: "break" }),
      op("off", { status: "offline" }),
      op("full", { activeCount: 2 }),
      op("silent", { lastHeartbeatAt: NOW - 91_000 }),
      op("ok", { lastAssignedAt: 999 }),
    ];
    expect(pickOperator("round_robin", item("x"), ops, NOW)).toBe("ok");
    expect(pickOperator("combined", item("x"), ops, NOW)).toBe("ok");
    expect(pickOperator("round_robin", item("x"), ops.slice(0, 5), NOW)).toBeNull();
  });

  it("honours a custom heartbeat timeout", () => {
    const ops = [op("a", { lastHeartbeatAt: NOW - 10_000 })];
    expect(pickOperator("round_robin", item("x"), ops, NOW, { heartbeatTimeoutMs: 5_000 })).toBeNull();
    expect(pickOperator("round_robin", item("x"), ops, NOW, { heartbeatTimeoutMs: 20_000 })).toBe("a");
  });

  it("skill-based requires category and language and prefers the lower load", () => {
    const ops = [
      op("noskill", { skills: ["payment_issue"], languages: ["he"] }),
      op("busy", { skills: ["damaged_item"], languages: ["he"], activeCount: 1, maxConcurrent: 2 }),
      op("idle", {
        skills: ["damaged_item"],
        languages: ["he"],
        activeCount: 1,
        maxConcurrent: 4,
        lastAssignedAt: 999,
      }),
      op("english", { skills: ["damaged_item"], languages: ["en"] }),
    ];
    const x = item("x", { category: "damaged_item", language: "he" });
    expect(pickOperator("skill_based", x, ops, NOW)).toBe("idle");
  });

  it("skill-based breaks load ties by least recently assigned", () => {
    const ops = [
      op("a", { skills: ["skip_month"], lastAssignedAt: 50 }),
      op("b", { skills: ["skip_month"], lastAssignedAt: 10 }),
    ];
    expect(pickOperator("skill_based", item("x", { category: "skip_month" }), ops, NOW)).toBe("b");
  });

  it("skill-based returns null when nobody matches, combined falls back to round-robin", () => {
    const ops = [op("a", { lastAssignedAt: 20 }), op("b", { lastAssignedAt: 10 })];
    const x = item("x", { category: "payment_issue", language: "ru" });
    expect(pickOperator("skill_based", x, ops, NOW)).toBeNull();
    expect(pickOperator("combined", x, ops, NOW)).toBe("b");
  });

  it("combined uses the skilled operator when one is free", () => {
    const ops = [op("a", { lastAssignedAt: 0 }), op("payments", { skills: ["payment_issue"], lastAssignedAt: 500 })];
    expect(pickOperator("combined", item("x", { category: "payment_issue" }), ops, NOW)).toBe("payments");
  });

  it("an item without category or language matches anyone in skill-based mode", () => {
    expect(pickOperator("skill_based", item("x"), [op("a")], NOW)).toBe("a");
  });

  it("a team-targeted item only goes to that team in every automatic mode", () => {
    const ops = [op("outsider", { lastAssignedAt: 0 }), op("member", { teamIds: ["billing"], lastAssignedAt: 900 })];
    const x = item("x", { teamId: "billing" });
    for (const mode of ["round_robin", "skill_based", "combined"] as const) {
      expect(pickOperator(mode, x, ops, NOW)).toBe("member");
    }
    expect(pickOperator("combined", item("y", { teamId: "legal" }), ops, NOW)).toBeNull();
  });

  it("manual mode never assigns", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5 }), { maxLength: 5 }), (loads) => {
        const ops = loads.map((l, i) => op(`o${i}`, { activeCount: l, maxConcurrent: 6 }));
        expect(pickOperator("manual", item("x"), ops, NOW)).toBeNull();
      }),
    );
  });
});

describe("orderQueue and queuePosition", () => {
  it("orders by priority, then first come first served", () => {
    const q = [
      item("low-early", { priority: "low", enqueuedAt: 1 }),
      item("normal-late", { priority: "normal", enqueuedAt: 30 }),
      item("urgent", { priority: "urgent", enqueuedAt: 50 }),
      item("normal-early", { priority: "normal", enqueuedAt: 10 }),
      item("high", { priority: "high", enqueuedAt: 40 }),
    ];
    expect(orderQueue(q).map((i) => i.conversationId)).toEqual([
      "urgent",
      "high",
      "normal-early",
      "normal-late",
      "low-early",
    ]);
    expect(queuePosition(q, "urgent")).toBe(1);
    expect(queuePosition(q, "normal-late")).toBe(4);
    expect(queuePosition(q, "missing")).toBe(0);
  });

  it("never places a lower priority ahead of a higher one, nor a later arrival ahead of an earlier equal", () => {
    const arb = fc.array(fc.record({ p: fc.constantFrom(...PRIORITIES), t: fc.nat({ max: 1000 }) }), { maxLength: 30 });
    fc.assert(
      fc.property(arb, (rows) => {
        const ordered = orderQueue(rows.map((r, i) => item(`c${i}`, { priority: r.p, enqueuedAt: r.t })));
        for (let i = 1; i < ordered.length; i++) {
          const a = ordered[i - 1];
          const b = ordered[i];
          if (a === undefined || b === undefined) throw new Error("unreachable");
          const ra = PRIORITIES.indexOf(a.priority);
          const rb = PRIORITIES.indexOf(b.priority);
          expect(ra).toBeGreaterThanOrEqual(rb);
          if (ra === rb) expect(a.enqueuedAt).toBeLessThanOrEqual(b.enqueuedAt);
        }
      }),
    );
  });

  it("does not mutate its input", () => {
    const q = [item("b", { enqueuedAt: 2 }), item("a", { enqueuedAt: 1 })];
    orderQueue(q);
    expect(q.map((i) => i.conversationId)).toEqual(["b", "a"]);
  });
});

describe("drainQueue", () => {
  it("assigns in queue order until capacity runs out and updates counts", () => {
    const ops = [op("a", { maxConcurrent: 1 }), op("b", { maxConcurrent: 2, lastAssignedAt: 5 })];
    const q = [
      item("n1", { enqueuedAt: 1 }),
      item("u1", { priority: "urgent", enqueuedAt: 9 }),
      item("n2", { enqueuedAt: 2 }),
      item("n3", { enqueuedAt: 3 }),
    ];
    const r = drainQueue("round_robin", q, ops, NOW);
    expect(r.assignments).toEqual([
      { conversationId: "u1", operatorId: "a" },
      { conversationId: "n1", operatorId: "b" },
      { conversationId: "n2", operatorId: "b" },
    ]);
    expect(r.remaining.map((i) => i.conversationId)).toEqual(["n3"]);
    expect(r.operators.map((o) => [o.id, o.activeCount, o.lastAssignedAt])).toEqual([
      ["a", 1, NOW],
      ["b", 2, NOW],
    ]);
    expect(ops[0]?.activeCount).toBe(0);
  });

  it("skips an item nobody can take and keeps serving the ones behind it", () => {
    const ops = [op("en", { languages: ["en"] })];
    const q = [item("he", { language: "he", enqueuedAt: 1 }), item("en", { language: "en", enqueuedAt: 2 })];
    const r = drainQueue("skill_based", q, ops, NOW);
    expect(r.assignments).toEqual([{ conversationId: "en", operatorId: "en" }]);
    expect(r.remaining.map((i) => i.conversationId)).toEqual(["he"]);
  });

  it("spreads a burst across equally idle operators", () => {
    const ops = [op("a", { maxConcurrent: 5 }), op("b", { maxConcurrent: 5 }), op("c", { maxConcurrent: 5 })];
    const q = Array.from({ length: 6 }, (_, i) => item(`c${i}`, { enqueuedAt: i }));
    const r = drainQueue("round_robin", q, ops, NOW);
    expect(r.operators.map((o) => o.activeCount)).toEqual([2, 2, 2]);
  });

  it("manual mode leaves the queue untouched", () => {
    const q = [item("x")];
    const r = drainQueue("manual", q, [op("a")], NOW);
    expect(r.assignments).toEqual([]);
    expect(r.remaining).toEqual(q);
  });

  it("never exceeds capacity and conserves items (property)", () => {
    const arb = fc.record({
      caps: fc.array(fc.record({ max: fc.nat({ max: 4 }), active: fc.nat({ max: 4 }) }), { maxLength: 6 }),
      n: fc.nat({ max: 25 }),
      mode: fc.constantFrom("round_robin" as const, "skill_based" as const, "combined" as const),
    });
    fc.assert(
      fc.property(arb, ({ caps, n, mode }) => {
        const ops = caps.map((c, i) => op(`o${i}`, { maxConcurrent: c.max, activeCount: Math.min(c.active, c.max) }));
        const q = Array.from({ length: n }, (_, i) => item(`c${i}`, { enqueuedAt: i }));
        const r = drainQueue(mode, q, ops, NOW);
        for (const o of r.operators) expect(o.activeCount).toBeLessThanOrEqual(o.maxConcurrent);
        const free = ops.reduce((s, o) => s + o.maxConcurrent - o.activeCount, 0);
        expect(r.assignments.length).toBe(Math.min(n, free));
        expect(r.assignments.length + r.remaining.length).toBe(n);
      }),
    );
  });
});

describe("detectDroppedOperators and releaseSlot", () => {
  it("reports present operators whose heartbeat is older than the timeout", () => {
    const ops = [
      op("fresh", { lastHeartbeatAt: NOW - 1_000 }),
      op("stale", { lastHeartbeatAt: NOW - 60_001 }),
      op("stale-away", { status: "away", lastHeartbeatAt: NOW - 70_000 }),
      op("gone", { status: "offline", lastHeartbeatAt: 0 }),
      op("edge", { lastHeartbeatAt: NOW - 60_000 }),
    ];
    expect(detectDroppedOperators(ops, NOW, 60_000)).toEqual(["stale", "stale-away"]);
  });

  it("releases one slot and never goes below zero", () => {
    const ops = [op("a", { activeCount: 1 }), op("b", { activeCount: 0 })];
    const once = releaseSlot(ops, "a");
    expect(once.map((o) => o.activeCount)).toEqual([0, 0]);
    expect(releaseSlot(once, "a").map((o) => o.activeCount)).toEqual([0, 0]);
  });
});

describe("canTransfer", () => {
  const ops = [
    op("me", { teamIds: ["billing"] }),
    op("free"),
    op("full", { activeCount: 2 }),
    op("away", { status: "away", teamIds: ["billing"] }),
  ];

  it("allows an online operator with capacity", () => {
    expect(canTransfer({ kind: "operator", operatorId: "free" }, "me", ops, [])).toEqual({
      ok: true,
      kind: "operator",
      operatorId: "free",
    });
  });

  it("refuses self, unknown, away and full operators", () => {
    const t = (operatorId: string) => canTransfer({ kind: "operator", operatorId }, "me", ops, []);
    expect(t("me")).toEqual({ ok: false, reason: "same_operator" });
    expect(t("ghost")).toEqual({ ok: false, reason: "unknown_operator" });
    expect(t("away")).toEqual({ ok: false, reason: "operator_unavailable" });
    expect(t("full")).toEqual({ ok: false, reason: "operator_at_capacity" });
  });

  it("lets a supervisor override capacity but not presence", () => {
    const opts = { allowOverCapacity: true };
    expect(canTransfer({ kind: "operator", operatorId: "full" }, "me", ops, [], opts).ok).toBe(true);
    expect(canTransfer({ kind: "operator", operatorId: "away" }, "me", ops, [], opts).ok).toBe(false);
  });

  it("team transfer needs a known team and reports online members", () => {
    expect(canTransfer({ kind: "team", teamId: "billing" }, "me", ops, ["billing", "legal"])).toEqual({
      ok: true,
      kind: "team",
      teamId: "billing",
      onlineMembers: 1,
    });
    expect(canTransfer({ kind: "team", teamId: "legal" }, "me", ops, ["billing", "legal"])).toMatchObject({
      ok: true,
      onlineMembers: 0,
    });
    expect(canTransfer({ kind: "team", teamId: "nope" }, "me", ops, ["billing"])).toEqual({
      ok: false,
      reason: "unknown_team",
    });
  });

  it("a team transfer item is queued for the team and only team members can take it", () => {
    const queued = teamTransferItem(
      { conversationId: "c1", priority: "high", category: "payment_issue", language: "en" },
      "billing",
      NOW,
    );
    expect(queued).toEqual({
      conversationId: "c1",
      priority: "high",
      category: "payment_issue",
      language: "en",
      teamId: "billing",
      enqueuedAt: NOW,
    });
    expect(
      pickOperator("round_robin", queued, [op("free"), op("biller", { teamIds: ["billing"], lastAssignedAt: 9 })], NOW),
    ).toBe("biller");
  });
});
