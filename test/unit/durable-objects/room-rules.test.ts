/** The room's pure rules: what a customer may see, how the bot may take part, when the alarm fires. */
import { describe, expect, it } from "vitest";
import { customerMaySeeAction, customerMaySeeMessage } from "../../../durable-objects/room/visibility.ts";
import { nextAlarmAt } from "../../../durable-objects/room/alarms.ts";
import { migrateRoomMeta } from "../../../durable-objects/room/meta.ts";
import { botMode, type TurnState } from "../../../durable-objects/lib/turn.ts";

const turn = (t: Partial<TurnState>): TurnState => ({
  owner: "bot",
  assigneeId: null,
  status: "open",
  snoozedUntil: null,
  ...t,
});

describe("visibility", () => {
  it("shows customers messages, never notes or activity lines", () => {
    expect(customerMaySeeMessage({ type: "incoming" })).toBe(true);
    expect(customerMaySeeMessage({ type: "outgoing" })).toBe(true);
    expect(customerMaySeeMessage({ type: "note" })).toBe(false);
    expect(customerMaySeeMessage({ type: "activity" })).toBe(false);
  });

  it("shows customers only actions offered to them", () => {
    expect(customerMaySeeAction({ status: "proposed", offeredAt: null })).toBe(false);
    expect(customerMaySeeAction({ status: "cancelled", offeredAt: null })).toBe(false);
    expect(customerMaySeeAction({ status: "pending", offeredAt: 1 })).toBe(true);
    expect(customerMaySeeAction({ status: "executed", offeredAt: 1 })).toBe(true);
  });
});

describe("botMode", () => {
  it("answers fully while the bot owns the turn", () => {
    expect(botMode({ turn: turn({}), held: null })).toBe("full");
  });
  it("answers read-only questions while a held answer waits in the queue", () => {
    expect(botMode({ turn: turn({ owner: "queue" }), held: { since: 1, kind: "draft" } })).toBe("read_only");
  });
  it("is silent in the queue without a held answer, and whenever a human owns it", () => {
    expect(botMode({ turn: turn({ owner: "queue" }), held: null })).toBe("silent");
    expect(botMode({ turn: turn({ owner: "human", assigneeId: "op" }), held: { since: 1, kind: "draft" } })).toBe(
      "silent",
    );
  });
});

const V1_META = {
  conversationId: "c1",
  workspaceId: "w1",
  inboxId: "i1",
  contactId: "ct1",
  channel: "telegram",
  threadKey: "t",
  contactName: null,
  customerRef: null,
  verifiedEmail: null,
  language: "he",
  priority: "normal",
  tags: [],
  teamId: null,
  category: null,
  secondary: [],
  turn: { owner: "bot", assigneeId: null, status: "open", snoozedUntil: null },
  assigneeName: null,
  csatRequested: false,
  firstResponseDueAt: 1000,
  resolutionDueAt: 5000,
  firstRespondedAt: null,
  ai: { verified: true, customerRef: "cus_1", slaFired: ["firstResponse"] },
};

describe("room meta", () => {
  it("lifts the version 1 shape: SLA bookkeeping out of the engine's record", () => {
    const meta = migrateRoomMeta(V1_META);
    expect(meta?.version).toBe(2);
    expect(meta?.sla.fired).toEqual(["firstResponse"]);
    expect(meta?.sla.due?.firstResponseDueAt).toBe(1000);
    expect(meta?.engine).toEqual({ verified: true, customerRef: "cus_1" });
  });

  it("refuses what is not a room meta", () => {
    expect(migrateRoomMeta({ hello: 1 })).toBeNull();
    expect(migrateRoomMeta(null)).toBeNull();
  });

  it("schedules the alarm at the earliest deadline", () => {
    const meta = migrateRoomMeta(V1_META);
    if (!meta) throw new Error("no meta");
    expect(nextAlarmAt(meta, [{ status: "pending", expiresAt: 700 }], 100, null)).toBe(700);
    expect(nextAlarmAt(meta, [], 100, 900)).toBe(900);
    expect(nextAlarmAt({ ...meta, sla: { ...meta.sla, due: null } }, [], 100, null)).toBeNull();
  });
});
