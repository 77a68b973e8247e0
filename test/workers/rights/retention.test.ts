/**
 * Issue 20, retention: the policy is admin-only and validated; the dry run counts, the
 * scheduled handler deletes exactly what it counted (old resolved conversations with their
 * room log and files, old traces) and keeps the rest (recent or still-open conversations).
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { roomStub } from "../../../durable-objects/stubs.ts";
import worker from "../../../workers/index.ts";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { RoomSnapshot } from "../../../workers/protocol/frames.ts";
import { planRetention } from "../../../workers/rights/retention.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { installProviderStandIn, whatsappCustomer } from "./support.ts";

const DAY = 24 * 3600_000;
let restore: () => void = () => {};
let admin = "";
let oldResolved: { conversationId: string };
let recentResolved: { conversationId: string };
let oldOpen: { conversationId: string };
const tdb = () => new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
const file = (conv: string) => `${DEMO_WORKSPACE_ID}/${conv}/att_retention.txt`;
type Counts = { counts: { conversations: number; messages: number; attachments: number; traces: number } };

/** Waits until no outgoing message of the conversation waits for its delivery status. */
async function deliveriesSettled(conversationId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const waiting = await tdb().select(
        schema.messages,
        and(eq(schema.messages.conversationId, conversationId), eq(schema.messages.deliveryStatus, "pending")),
      );
      if (waiting.length) throw new Error(`${waiting.length} deliveries still pending in ${conversationId}`);
    },
    { timeout: 60_000, interval: 50 },
  );
}

async function age(conversationId: string, status: "resolved" | "open", days: number) {
  const at = Date.now() - days * DAY;
  await tdb().update(
    schema.conversations,
    { status, lastMessageAt: at, createdAt: at },
    eq(schema.conversations.id, conversationId),
  );
}

beforeAll(async () => {
  restore = installProviderStandIn();
  await seedDemo();
  admin = await loginAdmin();
  oldResolved = await whatsappCustomer("15550188001", "wamid.ret-old", "Old resolved question about a refund");
  recentResolved = await whatsappCustomer("15550188002", "wamid.ret-new", "Recent resolved question about a box");
  oldOpen = await whatsappCustomer("15550188003", "wamid.ret-open", "Old question still open about a bowl");
  // Let the rooms settle before D1 rows are aged by hand: the bot's reply is delivered by
  // the outbound queue later, and the room mirrors its own status and lastMessageAt over D1
  // when that delivery status lands (on a loaded machine, after the ageing below).
  for (const c of [oldResolved, recentResolved, oldOpen]) await deliveriesSettled(c.conversationId);
  for (const c of [oldResolved, recentResolved, oldOpen]) await roomStub(env, c.conversationId).syncMirror();
  await age(oldResolved.conversationId, "resolved", 100);
  await age(recentResolved.conversationId, "resolved", 2);
  await age(oldOpen.conversationId, "open", 100);
  for (const c of [oldResolved, recentResolved]) await env.ATTACHMENTS.put(file(c.conversationId), "x");
  const old = Date.now() - 100 * DAY;
  await tdb().insert(
    schema.aiTraces,
    ["a", "b", "c"].map((x) => ({
      id: `trc_ret_${x}`,
      turnId: "t",
      step: "route" as const,
      latencyMs: 1,
      createdAt: old,
    })),
  );
  await tdb().insert(schema.aiTraces, { id: "trc_ret_new", turnId: "t", step: "route", latencyMs: 1 });
});

afterAll(() => restore());

describe("retention policy API", () => {
  it("is admin only and refuses invalid days", async () => {
    const op = await loginOperator();
    expect((await call("/api/settings/retention", { token: op })).status).toBe(403);
    const bad = await call("/api/settings/retention", {
      method: "PUT",
      token: admin,
      json: { conversationDays: 0, attachmentDays: null, traceDays: null },
    });
    expect(bad.status).toBe(400);
    const unknown = await call("/api/settings/retention", {
      method: "PUT",
      token: admin,
      json: { conversationDays: 30, attachmentDays: null, traceDays: null, everything: 1 },
    });
    expect(unknown.status).toBe(400);
    const none = await call("/api/settings/retention", { token: admin });
    expect(await none.json()).toMatchObject({ conversationDays: null, traceDays: null, lastRunAt: null });
  });

  it("the scheduled run deletes exactly what the dry run counted, and keeps the rest", async () => {
    const put = await call("/api/settings/retention", {
      method: "PUT",
      token: admin,
      json: { conversationDays: 30, attachmentDays: null, traceDays: 30 },
    });
    expect(put.status).toBe(200);
    const dry = await call("/api/settings/retention/dry-run", { method: "POST", token: admin });
    expect(dry.status).toBe(200);
    const { counts }: Counts = await dry.json();
    expect(counts.conversations).toBeGreaterThanOrEqual(1);
    expect(counts.messages).toBeGreaterThanOrEqual(1);
    expect(counts.attachments).toBe(1);
    expect(counts.traces).toBeGreaterThanOrEqual(3);
    // The dry run deleted nothing.
    expect(
      await tdb().first(schema.conversations, eq(schema.conversations.id, oldResolved.conversationId)),
    ).toBeDefined();

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);

    const after: { lastResult: Counts["counts"]; lastRunAt: number } = await (
      await call("/api/settings/retention", { token: admin })
    ).json();
    expect(after.lastResult).toEqual(counts);
    expect(after.lastRunAt).toBeGreaterThan(0);

    const conv = (id: string) => tdb().first(schema.conversations, eq(schema.conversations.id, id));
    expect(await conv(oldResolved.conversationId)).toBeUndefined();
    expect(await tdb().select(schema.messages, eq(schema.messages.conversationId, oldResolved.conversationId))).toEqual(
      [],
    );
    const snap = RoomSnapshot.parse(JSON.parse(await roomStub(env, oldResolved.conversationId).snapshot()));
    expect(snap.messages).toEqual([]);
    expect(await env.ATTACHMENTS.head(file(oldResolved.conversationId))).toBeNull();
    expect(await conv(recentResolved.conversationId)).toBeDefined();
    expect(await conv(oldOpen.conversationId)).toBeDefined();
    expect(await env.ATTACHMENTS.head(file(recentResolved.conversationId))).not.toBeNull();
    expect(await tdb().first(schema.aiTraces, eq(schema.aiTraces.id, "trc_ret_a"))).toBeUndefined();
    expect(await tdb().first(schema.aiTraces, eq(schema.aiTraces.id, "trc_ret_new"))).toBeDefined();

    const again: Counts = await (
      await call("/api/settings/retention/dry-run", { method: "POST", token: admin })
    ).json();
    expect(again.counts).toEqual({ conversations: 0, messages: 0, attachments: 0, traces: 0 });
  });

  it("files go by upload age when attachmentDays is set (clock moved forward)", async () => {
    const plan = await planRetention(
      env,
      tdb(),
      { conversationDays: null, attachmentDays: 10, traceDays: null },
      Date.now() + 11 * DAY,
    );
    expect(plan.attachmentKeys).toContain(file(recentResolved.conversationId));
    const today = await planRetention(
      env,
      tdb(),
      { conversationDays: null, attachmentDays: 10, traceDays: null },
      Date.now(),
    );
    expect(today.attachmentKeys).not.toContain(file(recentResolved.conversationId));
  });
});
