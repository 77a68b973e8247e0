import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyTurnEvent,
  botMaySpeak,
  INITIAL_TURN,
  mayAnnounceQueuePosition,
} from "../../../durable-objects/lib/turn.ts";
import type { TurnEvent, TurnResult, TurnState } from "../../../durable-objects/lib/turn.ts";

const BOT = INITIAL_TURN;
const QUEUED: TurnState = { owner: "queue", assigneeId: null, status: "open", snoozedUntil: null };
const HUMAN: TurnState = { owner: "human", assigneeId: "ann", status: "open", snoozedUntil: null };
const RESOLVED_HUMAN: TurnState = { ...HUMAN, status: "resolved" };

function accepted(result: TurnResult): Extract<TurnResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result;
}

describe("applyTurnEvent: happy paths", () => {
  it("bot hands off to the queue, optionally for a team", () => {
    expect(accepted(applyTurnEvent(BOT, { type: "bot_handoff" }))).toEqual({
      ok: true,
      state: QUEUED,
      effects: [{ type: "enqueue", teamId: null }],
    });
    expect(accepted(applyTurnEvent(BOT, { type: "bot_handoff", teamId: "billing" })).effects).toEqual([
      { type: "enqueue", teamId: "billing" },
    ]);
  });

  it("an operator takes a queued conversation (leaving the queue) or takes over from the bot", () => {
    expect(accepted(applyTurnEvent(QUEUED, { type: "operator_assign", operatorId: "ann" }))).toEqual({
      ok: true,
      state: HUMAN,
      effects: [{ type: "dequeue" }, { type: "claim_slot", operatorId: "ann" }],
    });
    expect(accepted(applyTurnEvent(BOT, { type: "operator_assign", operatorId: "ann" })).effects).toEqual([
      { type: "claim_slot", operatorId: "ann" },
    ]);
  });

  it("re-assigning the same operator is a no-op", () => {
    expect(accepted(applyTurnEvent(HUMAN, { type: "operator_assign", operatorId: "ann" }))).toEqual({
      ok: true,
      state: HUMAN,
      effects: [],
    });
  });

  it("unassign goes to the queue or the bot, per workspace setting", () => {
    expect(accepted(applyTurnEvent(HUMAN, { type: "operator_unassign", to: "queue" }))).toEqual({
      ok: true,
      state: QUEUED,
      effects: [
        { type: "release_slot", operatorId: "ann" },
        { type: "enqueue", teamId: null },
      ],
    });
    expect(accepted(applyTurnEvent(HUMAN, { type: "operator_unassign", to: "bot" }))).toEqual({
      ok: true,
      state: BOT,
      effects: [{ type: "release_slot", operatorId: "ann" }],
    });
  });

  it("resolve frees the slot and keeps the owner; a customer message reopens to the same operator", () => {
    const resolved = accepted(applyTurnEvent(HUMAN, { type: "operator_resolve" }));
    expect(resolved.state).toEqual(RESOLVED_HUMAN);
    expect(resolved.effects).toEqual([{ type: "release_slot", operatorId: "ann" }]);
    expect(accepted(applyTurnEvent(resolved.state, { type: "customer_message" }))).toEqual({
      ok: true,
      state: HUMAN,
      effects: [{ type: "claim_slot", operatorId: "ann" }],
    });
  });

  it("a resolved bot conversation reopens with the bot, a resolved queued one back in the queue", () => {
    const botResolved = accepted(applyTurnEvent(BOT, { type: "operator_resolve" })).state;
    expect(accepted(applyTurnEvent(botResolved, { type: "customer_message" })).state).toEqual(BOT);
    const queueResolved = accepted(applyTurnEvent(QUEUED, { type: "operator_resolve" }));
    expect(queueResolved.effects).toEqual([{ type: "dequeue" }]);
    expect(accepted(applyTurnEvent(queueResolved.state, { type: "reopen" }))).toEqual({
      ok: true,
      state: QUEUED,
      effects: [{ type: "enqueue", teamId: null }],
    });
  });

  it("snooze sets an alarm, wake at the time reopens, a customer message wakes it early", () => {
    const snoozed = accepted(applyTurnEvent(HUMAN, { type: "snooze", until: 500, now: 100 }));
    expect(snoozed.state).toEqual({ ...HUMAN, status: "snoozed", snoozedUntil: 500 });
    expect(snoozed.effects).toEqual([{ type: "set_snooze_alarm", at: 500 }]);
    expect(accepted(applyTurnEvent(snoozed.state, { type: "snooze_wake", now: 500 })).state).toEqual(HUMAN);
    expect(accepted(applyTurnEvent(snoozed.state, { type: "customer_message" }))).toEqual({
      ok: true,
      state: HUMAN,
      effects: [{ type: "clear_snooze_alarm" }],
    });
  });

  it("pending waits on the customer and a customer message makes it open", () => {
    const pending = accepted(applyTurnEvent(HUMAN, { type: "mark_pending" })).state;
    expect(pending.status).toBe("pending");
    expect(accepted(applyTurnEvent(pending, { type: "customer_message" })).state).toEqual(HUMAN);
  });

  it("transfers to another operator move the slot", () => {
    expect(accepted(applyTurnEvent(HUMAN, { type: "transfer_to_operator", operatorId: "bob" }))).toEqual({
      ok: true,
      state: { ...HUMAN, assigneeId: "bob" },
      effects: [
        { type: "release_slot", operatorId: "ann" },
        { type: "claim_slot", operatorId: "bob" },
      ],
    });
  });

  it("a transfer wakes a snoozed conversation", () => {
    const snoozed: TurnState = { ...HUMAN, status: "snoozed", snoozedUntil: 900 };
    expect(accepted(applyTurnEvent(snoozed, { type: "transfer_to_operator", operatorId: "bob" })).effects).toEqual([
      { type: "clear_snooze_alarm" },
      { type: "release_slot", operatorId: "ann" },
      { type: "claim_slot", operatorId: "bob" },
    ]);
  });

  it("transfers to a team re-queue for that team from any owner", () => {
    expect(accepted(applyTurnEvent(HUMAN, { type: "transfer_to_team", teamId: "billing" }))).toEqual({
      ok: true,
      state: QUEUED,
      effects: [
        { type: "release_slot", operatorId: "ann" },
        { type: "enqueue", teamId: "billing" },
      ],
    });
    expect(accepted(applyTurnEvent(QUEUED, { type: "transfer_to_team", teamId: "billing" })).effects).toEqual([
      { type: "dequeue" },
      { type: "enqueue", teamId: "billing" },
    ]);
  });

  it("returns to the bot from a human or the queue", () => {
    expect(accepted(applyTurnEvent(HUMAN, { type: "return_to_bot" }))).toEqual({
      ok: true,
      state: BOT,
      effects: [{ type: "release_slot", operatorId: "ann" }],
    });
    expect(accepted(applyTurnEvent(QUEUED, { type: "return_to_bot" })).effects).toEqual([{ type: "dequeue" }]);
  });
});

describe("applyTurnEvent: invalid transitions return typed errors", () => {
  const cases: Array<[string, TurnState, TurnEvent, string]> = [
    ["handoff while a human owns it", HUMAN, { type: "bot_handoff" }, "not_bot_owned"],
    ["handoff when already queued", QUEUED, { type: "bot_handoff" }, "not_bot_owned"],
    ["assign over another operator", HUMAN, { type: "operator_assign", operatorId: "bob" }, "already_assigned"],
    [
      "assign a resolved conversation",
      RESOLVED_HUMAN,
      { type: "operator_assign", operatorId: "bob" },
      "conversation_resolved",
    ],
    ["unassign when nobody is assigned", QUEUED, { type: "operator_unassign", to: "bot" }, "not_human_owned"],
    ["resolve twice", RESOLVED_HUMAN, { type: "operator_resolve" }, "conversation_resolved"],
    ["reopen an open conversation", HUMAN, { type: "reopen" }, "not_resolved"],
    ["snooze into the past", HUMAN, { type: "snooze", until: 100, now: 100 }, "snooze_in_past"],
    [
      "snooze a resolved conversation",
      RESOLVED_HUMAN,
      { type: "snooze", until: 200, now: 100 },
      "conversation_resolved",
    ],
    ["wake a conversation that is not snoozed", HUMAN, { type: "snooze_wake", now: 1 }, "not_snoozed"],
    [
      "wake too early (stale alarm)",
      { ...HUMAN, status: "snoozed", snoozedUntil: 500 },
      { type: "snooze_wake", now: 499 },
      "snooze_not_due",
    ],
    [
      "transfer from the queue to an operator",
      QUEUED,
      { type: "transfer_to_operator", operatorId: "bob" },
      "not_human_owned",
    ],
    ["transfer to yourself", HUMAN, { type: "transfer_to_operator", operatorId: "ann" }, "same_operator"],
    [
      "transfer a resolved conversation to a team",
      RESOLVED_HUMAN,
      { type: "transfer_to_team", teamId: "t" },
      "conversation_resolved",
    ],
    ["return to the bot when it already owns it", BOT, { type: "return_to_bot" }, "already_bot_owned"],
    ["mark pending when resolved", RESOLVED_HUMAN, { type: "mark_pending" }, "conversation_resolved"],
  ];
  for (const [name, state, event, error] of cases) {
    it(name, () => {
      expect(applyTurnEvent(state, event)).toEqual({ ok: false, error, state });
    });
  }
});

describe("botMaySpeak and queue announcements", () => {
  it("lets the bot speak only while it owns an open or pending conversation", () => {
    expect(botMaySpeak(BOT)).toBe(true);
    expect(botMaySpeak({ ...BOT, status: "pending" })).toBe(true);
    expect(botMaySpeak({ ...BOT, status: "snoozed", snoozedUntil: 5 })).toBe(false);
    expect(botMaySpeak({ ...BOT, status: "resolved" })).toBe(false);
    expect(botMaySpeak(HUMAN)).toBe(false);
    expect(botMaySpeak(QUEUED)).toBe(false);
  });

  it("allows queue-position notices only while queued and open", () => {
    expect(mayAnnounceQueuePosition(QUEUED)).toBe(true);
    expect(mayAnnounceQueuePosition({ ...QUEUED, status: "resolved" })).toBe(false);
    expect(mayAnnounceQueuePosition(HUMAN)).toBe(false);
    expect(mayAnnounceQueuePosition(BOT)).toBe(false);
  });
});

describe("invariants over random event sequences", () => {
  const operator = fc.constantFrom("ann", "bob");
  const event: fc.Arbitrary<TurnEvent> = fc.oneof(
    fc.constant({ type: "customer_message" as const }),
    fc.record({ type: fc.constant("bot_handoff" as const), teamId: fc.constantFrom(null, "t1") }),
    fc.record({ type: fc.constant("operator_assign" as const), operatorId: operator }),
    fc.record({
      type: fc.constant("operator_unassign" as const),
      to: fc.constantFrom("queue" as const, "bot" as const),
    }),
    fc.constant({ type: "operator_resolve" as const }),
    fc.constant({ type: "reopen" as const }),
    fc.constant({ type: "mark_pending" as const }),
    fc.record({
      type: fc.constant("snooze" as const),
      until: fc.integer({ min: 0, max: 20 }),
      now: fc.integer({ min: 0, max: 20 }),
    }),
    fc.record({ type: fc.constant("snooze_wake" as const), now: fc.integer({ min: 0, max: 20 }) }),
    fc.record({ type: fc.constant("transfer_to_operator" as const), operatorId: operator }),
    fc.record({ type: fc.constant("transfer_to_team" as const), teamId: fc.constant("t1") }),
    fc.constant({ type: "return_to_bot" as const }),
  );

  it("keeps owner/assignee and snooze fields consistent, and effects balance queue and slots", () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let state = INITIAL_TURN;
        let queued = 0;
        const slots = new Map<string, number>();
        for (const e of events) {
          const r = applyTurnEvent(state, e);
          if (!r.ok) {
            expect(r.state).toBe(state);
            continue;
          }
          for (const effect of r.effects) {
            if (effect.type === "enqueue") queued++;
            if (effect.type === "dequeue") queued--;
            if (effect.type === "claim_slot") slots.set(effect.operatorId, (slots.get(effect.operatorId) ?? 0) + 1);
            if (effect.type === "release_slot") slots.set(effect.operatorId, (slots.get(effect.operatorId) ?? 0) - 1);
          }
          state = r.state;
          expect(state.owner === "human").toBe(state.assigneeId !== null);
          expect(state.status === "snoozed").toBe(state.snoozedUntil !== null);
          const live = state.status !== "resolved";
          expect(queued).toBe(live && state.owner === "queue" ? 1 : 0);
          for (const id of ["ann", "bob"]) {
            expect(slots.get(id) ?? 0).toBe(live && state.assigneeId === id ? 1 : 0);
          }
        }
      }),
    );
  });
});
