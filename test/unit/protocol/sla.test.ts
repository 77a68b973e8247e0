/** The one definition of "at risk" (workers/protocol/sla.ts), and that the room's clocks use it. */
import { describe, expect, it } from "vitest";
import {
  AT_RISK_FRACTION,
  inboxSlaClock,
  slaAtRiskAt,
  slaState,
  type ConversationSla,
} from "../../../workers/protocol/sla.ts";
import { computeDueTimes, slaStatus, type SlaPolicy } from "../../../durable-objects/lib/sla.ts";

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 2, 9, 0); // a Monday, 09:00 UTC

describe("slaState", () => {
  const clock = { dueAt: T0 + 60 * MIN, atRiskAt: T0 + 30 * MIN };
  it("is ok before the at-risk instant, at risk from it, breached from the due instant", () => {
    expect(slaState(T0, clock)).toBe("ok");
    expect(slaState(clock.atRiskAt - 1, clock)).toBe("ok");
    expect(slaState(clock.atRiskAt, clock)).toBe("at_risk");
    expect(slaState(clock.dueAt - 1, clock)).toBe("at_risk");
    expect(slaState(clock.dueAt, clock)).toBe("breached");
    expect(slaState(clock.dueAt + 10 * MIN, clock)).toBe("breached");
  });
  it("is none without a clock", () => {
    expect(slaState(T0, null)).toBe("none");
  });
});

describe("slaAtRiskAt", () => {
  it("takes the last fifth of the window through the caller's minute adder", () => {
    expect(AT_RISK_FRACTION).toBe(0.2);
    expect(slaAtRiskAt(60, (m) => T0 + m * MIN)).toBe(T0 + 48 * MIN);
    // A business-time adder (here: every minute counts double) is used as it is.
    expect(slaAtRiskAt(60, (m) => T0 + 2 * m * MIN)).toBe(T0 + 96 * MIN);
  });
});

describe("inboxSlaClock", () => {
  const base: ConversationSla = {
    firstResponseDueAt: T0 + 60 * MIN,
    firstResponseAtRiskAt: T0 + 48 * MIN,
    resolutionDueAt: T0 + 600 * MIN,
    resolutionAtRiskAt: T0 + 480 * MIN,
    firstRespondedAt: null,
    resolvedAt: null,
  };
  it("shows the first response until answered, then the resolution, nothing once resolved", () => {
    expect(inboxSlaClock(base)).toEqual({ dueAt: T0 + 60 * MIN, atRiskAt: T0 + 48 * MIN });
    expect(inboxSlaClock({ ...base, firstRespondedAt: T0 + MIN })).toEqual({
      dueAt: T0 + 600 * MIN,
      atRiskAt: T0 + 480 * MIN,
    });
    expect(inboxSlaClock({ ...base, resolvedAt: T0 + MIN })).toBeNull();
    expect(inboxSlaClock({ ...base, firstResponseDueAt: null })).toBeNull();
  });
  it("reads a row stored before the at-risk instants as at risk only when due", () => {
    const old = { ...base, firstResponseAtRiskAt: null };
    expect(inboxSlaClock(old)).toEqual({ dueAt: T0 + 60 * MIN, atRiskAt: T0 + 60 * MIN });
    expect(slaState(T0 + 59 * MIN, inboxSlaClock(old))).toBe("ok");
  });
});

describe("the room's clocks use the same definition", () => {
  const policy: SlaPolicy = {
    firstResponseMinutes: { urgent: 15, high: 30, normal: 60, low: 240 },
    resolutionMinutes: { urgent: 240, high: 480, normal: 1440, low: 2880 },
    businessHoursOnly: false,
  };
  it("computeDueTimes' at-risk instants are slaAtRiskAt's, and slaStatus agrees with slaState", () => {
    const due = computeDueTimes(policy, null, T0, "normal");
    expect(due.firstResponseAtRiskAt).toBe(slaAtRiskAt(60, (m) => T0 + m * MIN));
    const clock = inboxSlaClock({
      ...due,
      firstRespondedAt: null,
      resolvedAt: null,
    });
    for (const at of [T0, due.firstResponseAtRiskAt - 1, due.firstResponseAtRiskAt, due.firstResponseDueAt]) {
      const room = slaStatus(due, null, null, at).firstResponse;
      expect(room === "pending" ? "ok" : room).toBe(slaState(at, clock));
    }
  });
});
