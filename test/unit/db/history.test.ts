import { describe, expect, it } from "vitest";
import { generateHistory, nextOpen, SPIKE_DAYS_AGO } from "../../../workers/db/seed/history.ts";
import { demoInboxes, insertStatements } from "../../../workers/db/seed/seed-history.ts";
import { schema } from "../../../workers/db/client.ts";

const REF = new Date("2026-11-20T10:00:00Z");
const DAY = 86_400_000;
const h = generateHistory(REF, { inboxes: demoInboxes("ws_demo") });

describe("synthetic history", () => {
  it("is deterministic for a reference time and about 5,000 conversations over six months", () => {
    const again = generateHistory(REF, { inboxes: demoInboxes("ws_demo") });
    expect(again.conversations).toEqual(h.conversations);
    expect(h.conversations.length).toBeGreaterThan(4800);
    expect(h.conversations.length).toBeLessThan(5100);
    const times = h.conversations.map((c) => c.createdAt ?? 0);
    expect(Math.max(...times)).toBeLessThanOrEqual(REF.getTime());
    expect(Math.min(...times)).toBeGreaterThan(REF.getTime() - 183 * DAY);
  });

  it("covers every channel, language, category and action status", () => {
    const set = (xs: Array<string | null | undefined>) => new Set(xs);
    expect(set(h.conversations.map((c) => c.channel)).size).toBe(5);
    expect(set(h.conversations.map((c) => c.language)).size).toBe(5);
    expect(set(h.conversations.map((c) => c.category)).size).toBe(10);
    expect(set(h.actions.map((a) => a.status))).toEqual(
      set(["pending", "confirmed", "executed", "failed", "cancelled", "expired"]),
    );
    expect(set(h.messages.map((m) => m.type))).toEqual(set(["incoming", "outgoing", "activity", "note"]));
  });

  it("rates only resolved conversations, and AI resolution differs by category", () => {
    for (const c of h.conversations) {
      if (c.csatScore !== null && c.csatScore !== undefined) expect(c.status).toBe("resolved");
      if (c.aiResolved) expect(c.status).toBe("resolved");
    }
    const rate = (cat: string) => {
      const r = h.conversations.filter((c) => c.category === cat && c.status === "resolved");
      return r.filter((c) => c.aiResolved).length / r.length;
    };
    expect(rate("skip_month")).toBeGreaterThan(rate("damaged_item") + 0.3);
  });

  it("has a shipping spike after the delay", () => {
    const shipping = (from: number, to: number) =>
      h.conversations.filter(
        (c) =>
          c.category === "shipping_inquiry" &&
          (c.createdAt ?? 0) >= REF.getTime() - from * DAY &&
          (c.createdAt ?? 0) < REF.getTime() - to * DAY,
      ).length;
    const span = SPIKE_DAYS_AGO.from - SPIKE_DAYS_AGO.to;
    expect(shipping(SPIKE_DAYS_AGO.from, SPIKE_DAYS_AGO.to)).toBeGreaterThan(
      2 * shipping(SPIKE_DAYS_AGO.from + span + 5, SPIKE_DAYS_AGO.to + span + 5),
    );
  });

  it("prices AI traces with production models and waits for business hours", () => {
    expect(h.traces.some((t) => t.model === "gpt-4.1" && (t.costUsd ?? 0) > 0)).toBe(true);
    expect(h.traces.filter((t) => t.model === null).every((t) => t.costUsd === 0)).toBe(true);
    // Saturday 12:00 Jerusalem (10:00 UTC) → Sunday 09:00 Jerusalem (07:00 UTC).
    expect(new Date(nextOpen(Date.parse("2026-11-21T10:00:00Z"))).toISOString()).toBe("2026-11-22T07:00:00.000Z");
    expect(nextOpen(Date.parse("2026-11-23T10:00:00Z"))).toBe(Date.parse("2026-11-23T10:00:00Z"));
  });

  it("writes statements below D1's 100 KB statement cap with quoted literals", () => {
    const stmts = insertStatements(schema.messages, "ws_demo", h.messages);
    expect(stmts.length).toBeGreaterThan(10);
    for (const s of stmts) expect(s.length).toBeLessThan(100_000);
    const [one] = insertStatements(schema.contacts, "ws'x", [{ id: "a", name: "O'Brien", tags: ["x"] }]);
    expect(one).toContain("'ws''x'");
    expect(one).toContain("'O''Brien'");
    expect(one).toContain(`'["x"]'`);
  });
});
