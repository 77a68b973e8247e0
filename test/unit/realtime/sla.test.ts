import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BusinessHours, OpenWindow } from "../../../durable-objects/lib/business-hours.ts";
import { PRIORITIES, priorityFromUrgency } from "../../../durable-objects/lib/priority.ts";
import { computeDueTimes, nextSlaAlarm, slaStatus } from "../../../durable-objects/lib/sla.ts";
import type { SlaPolicy } from "../../../durable-objects/lib/sla.ts";

const MIN = 60_000;
const NINE_SIX: OpenWindow[] = [{ open: "09:00", close: "18:00" }];
const NEW_YORK: BusinessHours = {
  timeZone: "America/New_York",
  weekly: { 0: [], 1: NINE_SIX, 2: NINE_SIX, 3: NINE_SIX, 4: NINE_SIX, 5: NINE_SIX, 6: [] },
  holidays: [],
};

const POLICY: SlaPolicy = {
  firstResponseMinutes: { urgent: 15, high: 60, normal: 240, low: 1440 },
  resolutionMinutes: { urgent: 240, high: 1440, normal: 2880, low: 10080 },
  businessHoursOnly: true,
};

const iso = (ms: number): string => new Date(ms).toISOString();

describe("computeDueTimes", () => {
  it("uses calendar minutes when the policy ignores business hours", () => {
    const created = Date.UTC(2026, 2, 7, 12); // a Saturday
    const due = computeDueTimes({ ...POLICY, businessHoursOnly: false }, NEW_YORK, created, "normal");
    expect(due).toEqual({
      startedAt: created,
      firstResponseDueAt: created + 240 * MIN,
      firstResponseAtRiskAt: created + 192 * MIN,
      resolutionDueAt: created + 2880 * MIN,
      resolutionAtRiskAt: created + 2304 * MIN,
    });
  });

  it("uses calendar minutes when no hours are configured", () => {
    const created = Date.UTC(2026, 2, 7, 12);
    expect(computeDueTimes(POLICY, null, created, "urgent").firstResponseDueAt).toBe(created + 15 * MIN);
  });

  it("counts business minutes across the weekend and the DST change", () => {
    // Fri 6 Mar 17:00 EST, high priority.
    const due = computeDueTimes(POLICY, NEW_YORK, Date.parse("2026-03-06T22:00:00Z"), "high");
    expect(iso(due.firstResponseAtRiskAt)).toBe("2026-03-06T22:48:00.000Z");
    expect(iso(due.firstResponseDueAt)).toBe("2026-03-06T23:00:00.000Z");
    // 1440 business minutes: 60 Fri + 540 Mon + 540 Tue + 300 Wed → Wed 14:00 EDT.
    expect(iso(due.resolutionDueAt)).toBe("2026-03-11T18:00:00.000Z");
    expect(iso(due.resolutionAtRiskAt)).toBe("2026-03-11T13:12:00.000Z");
  });

  it("starts a business-hours clock at the next opening when created at night", () => {
    const due = computeDueTimes(POLICY, NEW_YORK, Date.parse("2026-03-07T15:00:00Z"), "urgent");
    expect(iso(due.firstResponseDueAt)).toBe("2026-03-09T13:15:00.000Z");
  });

  it("falls back to calendar time for a schedule that never opens", () => {
    const closed: BusinessHours = { ...NEW_YORK, weekly: { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] } };
    const created = Date.UTC(2026, 2, 7, 12);
    expect(computeDueTimes(POLICY, closed, created, "high").firstResponseDueAt).toBe(created + 60 * MIN);
  });

  it("orders at-risk before due for every priority", () => {
    for (const p of PRIORITIES) {
      const d = computeDueTimes(POLICY, NEW_YORK, Date.parse("2026-03-04T15:00:00Z"), p);
      expect(d.firstResponseAtRiskAt).toBeLessThan(d.firstResponseDueAt);
      expect(d.resolutionAtRiskAt).toBeLessThan(d.resolutionDueAt);
    }
  });
});

describe("slaStatus", () => {
  const created = Date.UTC(2026, 2, 2, 15);
  const due = computeDueTimes({ ...POLICY, businessHoursOnly: false }, null, created, "high");

  it("moves pending → at_risk → breached while nobody answers", () => {
    expect(slaStatus(due, null, null, created).firstResponse).toBe("pending");
    expect(slaStatus(due, null, null, due.firstResponseAtRiskAt - 1).firstResponse).toBe("pending");
    expect(slaStatus(due, null, null, due.firstResponseAtRiskAt).firstResponse).toBe("at_risk");
    expect(slaStatus(due, null, null, due.firstResponseDueAt - 1).firstResponse).toBe("at_risk");
    expect(slaStatus(due, null, null, due.firstResponseDueAt).firstResponse).toBe("breached");
  });

  it("is met when answered in time and stays breached when answered late", () => {
    const later = due.resolutionDueAt + 1;
    expect(slaStatus(due, due.firstResponseDueAt, null, later)).toEqual({
      firstResponse: "met",
      resolution: "breached",
    });
    expect(slaStatus(due, due.firstResponseDueAt + 1, null, created).firstResponse).toBe("breached");
    expect(slaStatus(due, created + MIN, created + 2 * MIN, later)).toEqual({
      firstResponse: "met",
      resolution: "met",
    });
  });

  it("stops the first-response clock when resolved without a reply", () => {
    expect(slaStatus(due, null, created + MIN, due.resolutionDueAt + 1)).toEqual({
      firstResponse: "met",
      resolution: "met",
    });
  });
});

describe("nextSlaAlarm", () => {
  const created = Date.UTC(2026, 2, 2, 15);
  const due = computeDueTimes({ ...POLICY, businessHoursOnly: false }, null, created, "high");

  it("walks through the events in time order", () => {
    expect(nextSlaAlarm(due, null, null, created)).toEqual({
      at: due.firstResponseAtRiskAt,
      event: "first_response_at_risk",
    });
    expect(nextSlaAlarm(due, null, null, due.firstResponseAtRiskAt)).toEqual({
      at: due.firstResponseDueAt,
      event: "first_response_breached",
    });
    expect(nextSlaAlarm(due, null, null, due.firstResponseDueAt)).toEqual({
      at: due.resolutionAtRiskAt,
      event: "resolution_at_risk",
    });
    expect(nextSlaAlarm(due, null, null, due.resolutionDueAt)).toBeNull();
  });

  it("drops the first-response events once answered and everything once resolved", () => {
    expect(nextSlaAlarm(due, created + MIN, null, created + MIN)?.event).toBe("resolution_at_risk");
    expect(nextSlaAlarm(due, created + MIN, created + 2 * MIN, created + 2 * MIN)).toBeNull();
  });

  it("nothing changes before the alarm and something changes at it (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...PRIORITIES), fc.integer({ min: 0, max: 8 * 24 * 60 }), (priority, offsetMin) => {
        const d = computeDueTimes({ ...POLICY, businessHoursOnly: false }, null, created, priority);
        const now = created + offsetMin * MIN;
        const alarm = nextSlaAlarm(d, null, null, now);
        const current = slaStatus(d, null, null, now);
        if (alarm === null) {
          expect(current).toEqual({ firstResponse: "breached", resolution: "breached" });
          return;
        }
        expect(alarm.at).toBeGreaterThan(now);
        expect(slaStatus(d, null, null, alarm.at - 1)).toEqual(current);
        expect(slaStatus(d, null, null, alarm.at)).not.toEqual(current);
      }),
    );
  });
});

describe("priorityFromUrgency", () => {
  it("maps the router's urgency onto desk priorities", () => {
    expect((["low", "medium", "high", "critical"] as const).map(priorityFromUrgency)).toEqual([
      "low",
      "normal",
      "high",
      "urgent",
    ]);
  });
});
