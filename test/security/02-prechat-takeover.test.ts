/**
 * Issue 21, High 2: typing someone's email in the pre-chat form took over their identity.
 * The anonymous conversation was merged onto the victim's contact (the operator then saw
 * the victim's account card) and `POST /api/ai/suggest` treated any contact with a shop
 * reference as verified, drafting the victim's box and tracking number with gate "send".
 * Now typed details are claims: a possible match is recorded for an operator to confirm,
 * and "verified" comes from the conversation's own verification state.
 */
import { env } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { resolveContact } from "../../workers/services/contacts.ts";
import { call, loginAnalyst, loginOperator, seedDemo } from "../workers/helpers.ts";
import { isType, openSocket, widgetSession } from "../workers/ws.ts";

const JOHN = "john.smith@example.com";

async function johnTracking(): Promise<string> {
  const db = rawDb(env.DB);
  const order = await db
    .select()
    .from(schema.storeOrders)
    .where(eq(schema.storeOrders.customerId, "cus_001"))
    .orderBy(desc(schema.storeOrders.boxMonth))
    .get();
  const ship = await db
    .select()
    .from(schema.storeShipments)
    .where(eq(schema.storeShipments.orderId, order?.id ?? ""))
    .get();
  return ship?.trackingNumber ?? "missing";
}

let victimId = "";

beforeAll(async () => {
  await seedDemo();
  // The victim: John wrote by email once and was identified to the shop.
  const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
  const victim = await resolveContact(tdb, {
    channel: "email",
    inboxId: "demo-email",
    externalId: JOHN,
    email: JOHN,
    name: "John Smith",
  });
  victimId = victim.contactId;
  await tdb.update(schema.contacts, { customerRef: "cus_001" }, eq(schema.contacts.id, victimId));
});

async function conversation(id: string) {
  return rawDb(env.DB).select().from(schema.conversations).where(eq(schema.conversations.id, id)).get();
}

interface Card {
  contact: { id: string; email: string | null; customerRef: string | null };
  account: unknown;
  claims: Array<{ id: string; field: string; value: string; candidateContactId: string | null; status: string }>;
}

/** The contact card once the room has recorded the form (frames are handled concurrently). */
async function cardOnceClaimed(contactId: string, token: string): Promise<Card> {
  for (let i = 0; i < 100; i++) {
    const card: Card = await (await call(`/api/contacts/${contactId}`, { token })).json();
    if (card.claims.length) return card;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("no claim recorded");
}

describe("pre-chat form with someone else's email", () => {
  it("records a possible match instead of merging; an operator confirms it", async () => {
    const s = await widgetSession();
    const before = await conversation(s.conversationId);
    const attacker = before?.contactId ?? "";
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "form", form: "prechat", fields: { name: "Mallory", email: JOHN } });
    // The conversation stays with the visitor's own contact, who gains nothing of John's.
    const op = await loginOperator();
    const card = await cardOnceClaimed(attacker, op);
    expect((await conversation(s.conversationId))?.contactId).toBe(attacker);
    expect(card.contact.customerRef).toBeNull();
    expect(card.contact.email).toBeNull();
    expect(card.account).toBeNull();
    expect(card.claims).toEqual([
      expect.objectContaining({ field: "email", value: JOHN, candidateContactId: victimId, status: "pending" }),
    ]);
    const victim: Card = await (await call(`/api/contacts/${victimId}`, { token: op })).json();
    expect(victim.contact.customerRef).toBe("cus_001");
    const claimId = card.claims[0]?.id ?? "";

    // Analysts read; they do not decide.
    const analyst = await loginAnalyst();
    const refused = await call(`/api/contacts/${attacker}/claims/${claimId}/confirm`, {
      method: "POST",
      token: analyst,
    });
    expect(refused.status).toBe(403);

    const confirmed = await call(`/api/contacts/${attacker}/claims/${claimId}/confirm`, { method: "POST", token: op });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toMatchObject({ mergedInto: victimId, claim: { status: "confirmed" } });
    expect((await conversation(s.conversationId))?.contactId).toBe(victimId);
    const again = await call(`/api/contacts/${attacker}/claims/${claimId}/dismiss`, { method: "POST", token: op });
    expect(again.status).toBe(409);
    c.close();
  });

  it("a typed phone number links nothing either", async () => {
    const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
    const wa = await resolveContact(tdb, {
      channel: "whatsapp",
      inboxId: "demo-whatsapp",
      externalId: "972509990001",
      phone: "+972509990001",
      name: "Yael",
    });
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "form", form: "prechat", fields: { phone: "050-999-0001" } });
    const conv = await conversation(s.conversationId);
    const op = await loginOperator();
    const card = await cardOnceClaimed(conv?.contactId ?? "", op);
    expect((await conversation(s.conversationId))?.contactId).not.toBe(wa.contactId);
    expect(card.claims[0]).toMatchObject({ field: "phone", value: "+972509990001", candidateContactId: wa.contactId });
    c.close();
  });
});

describe("copilot suggestions", () => {
  it("take 'verified' from the conversation, not from a shop reference on the contact", async () => {
    const s = await widgetSession();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({ type: "send", clientId: "cid_suggest_1", text: "Where is my box? Give me the tracking number" });
    await c.next(isType("ack"));
    c.close();
    // A contact that carries a shop reference it was linked to by mistake.
    const conv = await conversation(s.conversationId);
    await rawDb(env.DB)
      .update(schema.contacts)
      .set({ customerRef: "cus_001" })
      .where(eq(schema.contacts.id, conv?.contactId ?? ""));
    const op = await loginOperator();
    const res = await call("/api/ai/suggest", {
      method: "POST",
      token: op,
      json: { conversationId: s.conversationId },
    });
    expect(res.status).toBe(200);
    const body: { draft: string | null; gate: { decision: string } } = await res.json();
    expect(body.draft ?? "").not.toContain(await johnTracking());
    expect(body.draft ?? "").toMatch(/email/i);
  });
});
