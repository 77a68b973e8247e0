/**
 * One definition of "at risk": for the same conversation the room (its SLA clock and
 * alarm), the REST inbox row and the dashboard's row model give the same answer, from the
 * same instants. The at-risk instant here is 30 minutes before due, where the dashboard's
 * old rule ("10 minutes before due") said "ok".
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { nextSlaAlarm, slaStatus } from "../../../durable-objects/lib/sla.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { ConversationSchema } from "../../../workers/protocol/api.ts";
import { rowFromConversation, rowSla } from "../../../dashboard/src/ui/inbox-model.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { openWidget } from "../ai/helpers.ts";

const MIN = 60_000;

beforeAll(async () => {
  await seedDemo();
});

describe("SLA at risk", () => {
  it("the room and the REST inbox row agree on the instants and the state", async () => {
    const w = await openWidget();
    const stub = roomStub(env, w.conversationId);
    const now = Date.now();
    const due = {
      startedAt: now - 120 * MIN,
      firstResponseDueAt: now + 20 * MIN,
      firstResponseAtRiskAt: now - 10 * MIN,
      resolutionDueAt: now + 600 * MIN,
      resolutionAtRiskAt: now + 480 * MIN,
    };
    const roomView = await runInDurableObject(stub, async (room: ConversationRoom) => {
      const meta = await room.meta();
      if (!meta) throw new Error("no meta");
      room.store.setMeta({ ...meta, sla: { due, firstRespondedAt: null, resolvedAt: null, fired: [] } });
      const stored = room.store.getMeta()?.sla;
      if (!stored?.due) throw new Error("no SLA");
      return {
        due: stored.due,
        status: slaStatus(stored.due, stored.firstRespondedAt, null, Date.now()),
        next: nextSlaAlarm(stored.due, stored.firstRespondedAt, null, Date.now()),
      };
    });
    await stub.syncMirror();

    const res = await call(`/api/conversations/${encodeURIComponent(w.conversationId)}`, { token: await loginAdmin() });
    expect(res.status).toBe(200);
    const row = ConversationSchema.parse(await res.json());

    // Same instants on both sides.
    expect(row.firstResponseDueAt).toBe(roomView.due.firstResponseDueAt);
    expect(row.firstResponseAtRiskAt).toBe(roomView.due.firstResponseAtRiskAt);
    expect(row.resolutionDueAt).toBe(roomView.due.resolutionDueAt);
    expect(row.resolutionAtRiskAt).toBe(roomView.due.resolutionAtRiskAt);
    // Same state: at risk 10 minutes in (20 minutes before due), the alarm next wakes for the breach.
    expect(roomView.status.firstResponse).toBe("at_risk");
    expect(row.slaState).toBe("at_risk");
    expect(roomView.next).toEqual({ at: due.firstResponseDueAt, event: "first_response_breached" });
    // The dashboard's badge reads the row's instants, not a rule of its own.
    const dashRow = rowFromConversation(row);
    expect(rowSla(dashRow, Date.now())).toBe("at_risk");
    expect(rowSla(dashRow, due.firstResponseAtRiskAt - 1)).toBe("ok");
    expect(rowSla(dashRow, due.firstResponseDueAt)).toBe("breached");
    w.close();
  }, 60_000);
});
