import { describe, expect, it } from "vitest";
import { RuleDefinition, type RuleDefinitionInput } from "../../../workers/protocol/flows.ts";
import {
  dueTimers,
  matchDue,
  matchRules,
  nextLocalTime,
  ruleTimers,
  type RuleClock,
  type RuleFacts,
  type StoredRule,
} from "../../../workers/flows/rules.ts";
import type { BusinessHours } from "../../../durable-objects/lib/business-hours.ts";

const rule = (id: string, def: RuleDefinitionInput): StoredRule => ({ id, ...RuleDefinition.parse(def) });

const facts = (over: Partial<RuleFacts> = {}): RuleFacts => ({
  channel: "widget",
  status: "open",
  priority: "normal",
  category: null,
  urgency: null,
  language: "en",
  tags: [],
  owner: "bot",
  csat: null,
  messageText: null,
  businessHoursOpen: true,
  assigned: false,
  lastReplyBy: null,
  ...over,
});

const T0 = Date.UTC(2026, 11, 7, 10, 0); // a Monday, 10:00 UTC

const clock = (over: Partial<RuleClock> = {}): RuleClock => ({
  now: T0,
  lastCustomerAt: null,
  lastReplyAt: null,
  lastOperatorAt: null,
  owner: "bot",
  status: "open",
  hours: null,
  ...over,
});

const lowCsat = rule("r1", {
  name: "Low CSAT",
  event: { kind: "csat_received" },
  conditions: [{ field: "csat", op: "lt", value: "3" }],
  actions: [
    { type: "add_tags", tags: ["unhappy"] },
    { type: "set_priority", priority: "high" },
  ],
});

describe("rule engine", () => {
  it("matches an event whose conditions hold, once per occurrence", () => {
    expect(matchRules([lowCsat], "csat_received", facts({ csat: 2 }), "m1", new Set())).toEqual([
      { ruleId: "r1", key: "r1@m1", actions: lowCsat.actions },
    ]);
    expect(matchRules([lowCsat], "csat_received", facts({ csat: 4 }), "m1", new Set())).toEqual([]);
    expect(matchRules([lowCsat], "csat_received", facts({ csat: 1 }), "m1", new Set(["r1@m1"]))).toEqual([]);
    expect(matchRules([lowCsat], "message_received", facts({ csat: 1 }), "m1", new Set())).toEqual([]);
    expect(matchRules([{ ...lowCsat, enabled: false }], "csat_received", facts({ csat: 1 }), "m", new Set())).toEqual(
      [],
    );
  });

  it("tag conditions look at any tag", () => {
    const r = rule("t", {
      name: "vip",
      event: { kind: "message_received" },
      conditions: [{ field: "tags", op: "eq", value: "VIP" }],
      actions: [{ type: "set_priority", priority: "urgent" }],
    });
    expect(matchRules([r], "message_received", facts({ tags: ["a", "vip"] }), "1", new Set())).toHaveLength(1);
    expect(matchRules([r], "message_received", facts({ tags: ["a"] }), "1", new Set())).toHaveLength(0);
  });

  it("customer idle counts from our last reply and stops once the customer answers", () => {
    const r = rule("idle", {
      name: "nudge",
      event: { kind: "customer_idle", minutes: 60 },
      actions: [{ type: "resolve" }],
    });
    const waiting = ruleTimers([r], clock({ lastCustomerAt: T0 - 5000, lastReplyAt: T0 }), new Set());
    expect(waiting).toEqual([{ ruleId: "idle", key: `idle@${T0}`, at: T0 + 3_600_000, event: "customer_idle" }]);
    expect(ruleTimers([r], clock({ lastCustomerAt: T0 + 1, lastReplyAt: T0 }), new Set())).toEqual([]);
    expect(ruleTimers([r], clock({ lastReplyAt: T0 }), new Set([`idle@${T0}`]))).toEqual([]);
    expect(ruleTimers([r], clock({ lastReplyAt: T0, status: "resolved" }), new Set())).toEqual([]);
  });

  it("operator idle honours business hours and only while a human owns the turn", () => {
    const hours: BusinessHours = {
      timeZone: "UTC",
      weekly: {
        0: [],
        1: [{ open: "09:00", close: "10:30" }],
        2: [{ open: "09:00", close: "18:00" }],
        3: [],
        4: [],
        5: [],
        6: [],
      },
      holidays: [],
    };
    const r = rule("op", {
      name: "reassign",
      event: { kind: "operator_idle", minutes: 60, businessHoursOnly: true },
      actions: [{ type: "assign", to: "round_robin" }],
    });
    expect(ruleTimers([r], clock({ lastCustomerAt: T0, owner: "bot", hours }), new Set())).toEqual([]);
    const [timer] = ruleTimers([r], clock({ lastCustomerAt: T0, owner: "human", hours }), new Set());
    // 30 minutes left on Monday, 30 more on Tuesday from 09:00.
    expect(timer?.at).toBe(Date.UTC(2026, 11, 8, 9, 30));
    const plain = { ...r, event: { kind: "operator_idle" as const, minutes: 60, businessHoursOnly: false } };
    expect(ruleTimers([plain], clock({ lastCustomerAt: T0, owner: "human", hours }), new Set())[0]?.at).toBe(
      T0 + 3_600_000,
    );
  });

  it("due timers are split from the next alarm and re-checked against conditions", () => {
    const r = rule("idle", {
      name: "nudge",
      event: { kind: "customer_idle", minutes: 1 },
      conditions: [{ field: "status", op: "eq", value: "open" }],
      actions: [{ type: "send_message", text: { text: "Still there?" } }],
    });
    const timers = ruleTimers([r], clock({ lastReplyAt: T0 }), new Set());
    expect(dueTimers(timers, T0)).toEqual({ due: [], next: T0 + 60_000 });
    const { due } = dueTimers(timers, T0 + 60_000);
    expect(matchDue([r], due, facts())).toHaveLength(1);
    expect(matchDue([r], due, facts({ status: "snoozed" }))).toHaveLength(0);
  });

  it("a scheduled time is the next local HH:MM, and the next day once fired", () => {
    const at = nextLocalTime("09:00", "Asia/Jerusalem", T0); // 12:00 local now
    expect(at).toBe(Date.UTC(2026, 11, 8, 7, 0));
    const r = rule("s", { name: "daily", event: { kind: "scheduled", at: "12:00" }, actions: [{ type: "resolve" }] });
    const now = Date.UTC(2026, 11, 7, 12, 0);
    const first = ruleTimers([r], clock({ now }), new Set());
    expect(first[0]?.at).toBe(now);
    const again = ruleTimers([r], clock({ now: now + 5000 }), new Set([first[0]?.key ?? ""]));
    expect(again[0]?.at).toBe(now + 86_400_000);
  });
});
