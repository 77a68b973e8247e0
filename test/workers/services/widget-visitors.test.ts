/**
 * A widget visitor's rows at their first message (issue 17, first-token time): the reads
 * are planned ahead (at socket connect), an anonymous first-time visitor gets contact,
 * identity, conversation and consent in one batch, and the room builds its meta from the
 * rows written. A stale or foreign plan must never cost correctness: a batch that clashes
 * with rows written since lands nothing, and the general way finds what exists.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { getConfig } from "../../../workers/lib/config.ts";
import { verifyVisitorToken } from "../../../workers/lib/tokens.ts";
import {
  planVisitorStart,
  startVisitorConversation,
  VISITOR_PLAN_TTL_MS,
  type VisitorStart,
} from "../../../workers/services/widget-visitors.ts";
import { loadRoomMeta, roomMetaFromRows } from "../../../durable-objects/room/meta-load.ts";
import { readSettings } from "../../../workers/protocol/settings.ts";
import { call, seedDemo } from "../helpers.ts";

async function reservation(): Promise<{ tdb: TenantDb; v: VisitorStart }> {
  const res = await call("/api/widget/session", {
    method: "POST",
    json: { widgetKey: "demo-widget-key" },
  });
  expect(res.status).toBe(200);
  const { visitorToken } = await res.json<{ visitorToken: string }>();
  const t = await verifyVisitorToken(visitorToken, getConfig(env).jwtSecret);
  return {
    tdb: new TenantDb(rawDb(env.DB), t.ws),
    v: {
      conversationId: t.conv,
      contactId: t.sub,
      visitorId: t.vid,
      verifiedEmail: t.email ?? null,
      name: t.name ?? null,
      language: "en",
      // The consent given at the session (not asked here) rides in with the rows.
      consent: t.consent ?? { v: "test-1", at: Date.now(), lang: "en" },
    },
  };
}

async function rowsOf(tdb: TenantDb, v: VisitorStart) {
  const ci = schema.contactIdentities;
  return {
    conversations: await tdb.select(schema.conversations, eq(schema.conversations.id, v.conversationId)),
    identities: await tdb.select(ci, eq(ci.externalId, v.visitorId)),
    contacts: await tdb.select(schema.contacts, eq(schema.contacts.id, v.contactId)),
    consents: await tdb.select(schema.contactConsents, eq(schema.contactConsents.contactId, v.contactId)),
  };
}

beforeAll(seedDemo);

describe("a widget visitor's first message", () => {
  it("writes all rows of a first-time visitor in one batch and hands them back as D1 has them", async () => {
    const { tdb, v } = await reservation();
    const plan = await planVisitorStart(tdb, v);
    expect(plan.fresh).toBe(true);
    const started = await startVisitorConversation(tdb, v, plan);
    expect(started?.contactId).toBe(v.contactId);
    const written = started?.written;
    if (!written) throw new Error("a fresh visitor's rows come back from the batch");
    const rows = await rowsOf(tdb, v);
    expect(rows.conversations).toHaveLength(1);
    expect(rows.identities).toHaveLength(1);
    expect(rows.contacts).toHaveLength(1);
    expect(rows.consents).toHaveLength(1);
    expect(written.conversation).toEqual(rows.conversations[0]);
    // The room's meta built from the written rows is the meta it would read from D1.
    expect(roomMetaFromRows(written.conversation, written.contact, readSettings(written.workspace?.settings))).toEqual(
      await loadRoomMeta(rawDb(env.DB), v.conversationId),
    );
    // Idempotent: a second call finds the conversation and writes nothing.
    expect(await startVisitorConversation(tdb, v, plan)).toEqual({ contactId: v.contactId });
    expect((await rowsOf(tdb, v)).identities).toHaveLength(1);
  });

  it("lands nothing from a stale plan's batch when another tab wrote first, and finds the rows", async () => {
    const { tdb, v } = await reservation();
    const plan = await planVisitorStart(tdb, v);
    // A second tab of the same visitor, with its own conversation id, writes the contact and identity.
    const other: VisitorStart = { ...v, conversationId: `${v.conversationId}_tab2` };
    expect((await startVisitorConversation(tdb, other))?.contactId).toBe(v.contactId);
    expect(plan.fresh).toBe(true);
    const started = await startVisitorConversation(tdb, v, plan);
    expect(started).toEqual({ contactId: v.contactId });
    const rows = await rowsOf(tdb, v);
    expect(rows.conversations).toHaveLength(1);
    // One identity and one contact for the visitor: the clashing batch wrote none of its rows.
    expect(rows.identities).toHaveLength(1);
    expect(rows.contacts).toHaveLength(1);
    expect(rows.conversations[0]?.identityId).toBe(rows.identities[0]?.id);
  });

  it("reads again when the plan is old or was read for someone else", async () => {
    const { tdb, v } = await reservation();
    const plan = await planVisitorStart(tdb, v);
    // Were either plan used, its missing inbox would end the start with null.
    const old = { ...plan, inbox: undefined, readAt: Date.now() - VISITOR_PLAN_TTL_MS - 1 };
    const foreign = { ...plan, inbox: undefined, key: "someone|else" };
    expect(
      (await startVisitorConversation(tdb, { ...v, conversationId: `${v.conversationId}_a` }, old))?.contactId,
    ).toBe(v.contactId);
    expect((await startVisitorConversation(tdb, v, foreign))?.contactId).toBe(v.contactId);
    // The same copy, recent and the visitor's own, is used: its missing inbox ends the start.
    const fresh = await reservation();
    const own = await planVisitorStart(fresh.tdb, fresh.v);
    expect(await startVisitorConversation(fresh.tdb, fresh.v, { ...own, inbox: undefined })).toBeNull();
  });

  it("takes the general way for a verified email, linking to the contact that has it", async () => {
    const { tdb, v } = await reservation();
    const email = "known.visitor@example.com";
    await tdb.insert(schema.contacts, { id: "ct_known_visitor", name: "Known", email });
    const verified: VisitorStart = { ...v, verifiedEmail: email };
    const plan = await planVisitorStart(tdb, verified);
    expect(plan.fresh).toBe(false);
    const started = await startVisitorConversation(tdb, verified, plan);
    expect(started).toEqual({ contactId: "ct_known_visitor" });
    const conv = await tdb.first(schema.conversations, eq(schema.conversations.id, v.conversationId));
    expect(conv?.contactId).toBe("ct_known_visitor");
  });
});
