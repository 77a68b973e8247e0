/**
 * Issue 20, erasure: after `POST /api/contacts/{id}/erase` the contact's email, phone and
 * message text are found in NO store — every table of D1, every table of the rooms'
 * SQLite, the intake journal, the vector index's SQLite and R2 — while another customer's
 * data stays. The commerce demo store (store_*) is the merchant's system of record and is
 * out of scope (README, "Data rights").
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { intakeStub, roomStub } from "../../../durable-objects/stubs.ts";
import { vectorIndexStub, type LocalVectorIndex } from "../../../durable-objects/vector-index.ts";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { d1Scanner, doScanner, findEverywhere, installProviderStandIn, whatsappCustomer } from "./support.ts";

const EMAIL = "zephyrine.quill@example.org";
const PHONE_DIGITS = "15550142917";
const TEXT = "My parcel for Larkspur Lane 42 never arrived, the box number is QX-77812";
const CONTROL_TEXT = "Control customer asks about the Tuesday delivery slot";

let restore: () => void = () => {};
let subject: { contactId: string; conversationId: string };
let control: { contactId: string; conversationId: string };
let admin = "";
const db = () => rawDb(env.DB);
const tdb = () => new TenantDb(db(), DEMO_WORKSPACE_ID);

beforeAll(async () => {
  restore = installProviderStandIn();
  await seedDemo();
  admin = await loginAdmin();
  subject = await whatsappCustomer(PHONE_DIGITS, "wamid.erase-subject-1", TEXT);
  control = await whatsappCustomer("15550199001", "wamid.erase-control-1", CONTROL_TEXT);
  const patched = await call(`/api/contacts/${subject.contactId}`, {
    method: "PATCH",
    token: admin,
    json: { email: EMAIL },
  });
  expect(patched.status).toBe(200);

  // Copies of the customer in the other stores, the way the platform makes them.
  const conv = subject.conversationId;
  await env.ATTACHMENTS.put(`${DEMO_WORKSPACE_ID}/${conv}/att_erase-photo.txt`, `photo note: ${TEXT}`);
  await tdb().insert(schema.aiTraces, {
    id: "trc_erase_1",
    conversationId: null,
    turnId: "turn_x",
    step: "generate",
    latencyMs: 1,
    detail: { prompt: `Customer ${EMAIL} wrote: ${TEXT}` },
  });
  await tdb().insert(schema.evalTestSets, { id: "ets_erase", name: "from conversations", source: "conversations" });
  await tdb().insert(schema.evalCases, {
    id: "eca_erase_1",
    versionId: "etv_erase",
    idx: 0,
    data: JSON.stringify({ input: TEXT, conversationId: conv }),
  });
  await tdb().insert(schema.webhookDeliveries, {
    id: "whd_erase_1",
    webhookId: "wh_x",
    eventId: "ev_x",
    eventType: "message.created",
    body: JSON.stringify({ message: { content: TEXT }, contact: { email: EMAIL } }),
  });
  await tdb().insert(schema.analyticsTurns, {
    id: "atu_erase_1",
    threadId: "ath_x",
    operatorId: "op_x",
    question: `How many conversations did ${EMAIL} open?`,
    engine: "pattern",
    answer: "2",
  });
  await tdb().insert(schema.contactMemories, {
    id: "mem_erase_1",
    contactId: subject.contactId,
    category: "delivery",
    fact: "Lives at Larkspur Lane 42",
    factKey: "lives at larkspur lane 42",
    confidence: 0.9,
    origin: "rules",
  });
  await tdb().insert(schema.contactProfiles, { contactId: subject.contactId, tone: "formal" });
  await tdb().insert(schema.contactConsents, {
    id: "cns_erase_1",
    contactId: subject.contactId,
    channel: "whatsapp",
    textVersion: "v1",
    language: "en",
    granted: true,
  });
  await vectorIndexStub(env, DEMO_WORKSPACE_ID).upsert([
    {
      id: "chk_erase_1",
      values: new Float32Array(0),
      namespace: "workspace",
      metadata: { workspaceId: DEMO_WORKSPACE_ID, documentId: "doc_x", chunkId: "chk_erase_1", category: null },
      text: `Escalation note for ${EMAIL}`,
    },
  ]);
});

afterAll(() => restore());

const needles = [EMAIL, PHONE_DIGITS, `+${PHONE_DIGITS}`, TEXT];
const skipMerchantStore = (t: string) => t.startsWith("store_");

describe("POST /api/contacts/{id}/erase", () => {
  it("the stores hold the customer before erasure (the search can find them)", async () => {
    const hits = await findEverywhere(d1Scanner(env.DB), needles, skipMerchantStore);
    expect(hits.some((h) => h.startsWith("contacts."))).toBe(true);
    expect(hits.some((h) => h.startsWith("messages."))).toBe(true);
    expect(hits.some((h) => h.startsWith("inbound_events."))).toBe(true);
    expect(await intakeStub(env, "demo-whatsapp").contains(TEXT)).toBe(true);
  });

  it("is admin only and 404s an unknown contact", async () => {
    const op = await loginOperator();
    expect((await call(`/api/contacts/${subject.contactId}/erase`, { method: "POST", token: op })).status).toBe(403);
    expect((await call(`/api/contacts/${subject.contactId}/erase`, { method: "POST" })).status).toBe(401);
    const missing = await call(`/api/contacts/ct_nope/erase`, { method: "POST", token: admin });
    expect(missing.status).toBe(404);
  });

  it("returns a receipt listing every store and what it removed", async () => {
    const res = await call(`/api/contacts/${subject.contactId}/erase`, { method: "POST", token: admin });
    expect(res.status).toBe(200);
    const body: { receipt: { stores: Array<{ name: string; removed: number }> } } = await res.json();
    const removed = Object.fromEntries(body.receipt.stores.map((s) => [s.name, s.removed]));
    for (const name of [
      "rooms.messages",
      "r2.attachments",
      "intake_journals",
      "vector_index",
      "d1.contacts",
      "d1.contact_identities",
      "d1.conversations",
      "d1.messages",
      "d1.inbound_events",
      "d1.ai_traces",
      "d1.eval_cases",
      "d1.webhook_deliveries",
      "d1.analytics_turns",
      "d1.contact_memories",
      "d1.contact_profiles",
      "d1.contact_consents",
    ])
      expect(removed[name], name).toBeGreaterThan(0);
    expect(removed["d1.contacts"]).toBe(1);
  });

  it("leaves no trace of the email, phone or message text in any store", async () => {
    expect(await findEverywhere(d1Scanner(env.DB), needles, skipMerchantStore)).toEqual([]);
    await runInDurableObject(roomStub(env, subject.conversationId), async (_o: ConversationRoom, state) => {
      expect(await findEverywhere(doScanner(state.storage.sql), needles)).toEqual([]);
    });
    await runInDurableObject(intakeStub(env, "demo-whatsapp"), async (_o, state) => {
      expect(await findEverywhere(doScanner(state.storage.sql), needles)).toEqual([]);
    });
    await runInDurableObject(vectorIndexStub(env, DEMO_WORKSPACE_ID), async (_o: LocalVectorIndex, state) => {
      expect(await findEverywhere(doScanner(state.storage.sql), needles)).toEqual([]);
    });
    let cursor: string | undefined;
    do {
      const page = await env.ATTACHMENTS.list({ cursor });
      for (const o of page.objects) {
        expect(o.key.includes(subject.conversationId), o.key).toBe(false);
        const text = await (await env.ATTACHMENTS.get(o.key))?.text();
        for (const n of needles) expect(text?.includes(n) ?? false, o.key).toBe(false);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  });

  it("keeps the other customer and records an audit entry without personal data", async () => {
    const still = await db().select().from(schema.contacts).where(eq(schema.contacts.id, control.contactId)).get();
    expect(still).toBeDefined();
    const msgs = await db()
      .select()
      .from(schema.messages)
      .where(eq(schema.messages.conversationId, control.conversationId))
      .all();
    expect(msgs.some((m) => m.content === CONTROL_TEXT)).toBe(true);
    expect(await intakeStub(env, "demo-whatsapp").contains(CONTROL_TEXT)).toBe(true);
    const entries = await tdb().select(schema.auditLog, eq(schema.auditLog.action, "contact.erase"));
    expect(entries.map((e) => e.targetId)).toContain(subject.contactId);
    for (const n of needles) expect(JSON.stringify(entries)).not.toContain(n);
  });

  it("a second erase of the same contact is a 404 (nothing left to find)", async () => {
    const res = await call(`/api/contacts/${subject.contactId}/erase`, { method: "POST", token: admin });
    expect(res.status).toBe(404);
  });
});
