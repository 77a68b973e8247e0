/**
 * The engine inside real conversations over the widget socket: a vouched customer gets
 * their real tracking details, an unverified one never gets account data, a general
 * question is answered from the knowledge base with its citation, and the bot stays
 * silent while a human owns the conversation.
 */
import { env } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_IDENTITY_SECRET } from "../../../workers/db/seed/demo.ts";
import { hmacSha256, toHex } from "../../../workers/lib/encoding.ts";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { nthBot, openWidget } from "./helpers.ts";

const JOHN = "john.smith@example.com";

async function johnTracking(): Promise<{ tracking: string; carrier: string }> {
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
  return { tracking: ship?.trackingNumber ?? "missing", carrier: ship?.carrier ?? "missing" };
}

beforeAll(async () => {
  await seedDemo();
  await seedKnowledge(env, "ws_demo");
});

describe("engine in live conversations", () => {
  it("gives a host-verified customer their real carrier, status and tracking link", async () => {
    const hash = toHex(await hmacSha256(DEMO_IDENTITY_SECRET, JOHN));
    const w = await openWidget({ identity: { email: JOHN, hash } });
    w.send("Where is my package?");
    const reply = await nthBot(w, 0);
    const { tracking, carrier } = await johnTracking();
    expect(reply.content).toContain(tracking);
    expect(reply.content).toContain(carrier);
    expect(reply.content).toContain("in transit");
    expect(reply.content).toContain(`https://www.dhl.com/global-en/home/tracking.html?tracking-id=${tracking}`);
    w.close();
    // The operator's customer card now shows the account from the commerce connector.
    const conv = await rawDb(env.DB)
      .select()
      .from(schema.conversations)
      .where(eq(schema.conversations.id, w.conversationId))
      .get();
    const token = await loginOperator();
    const card: {
      contact: { customerRef: string | null };
      account: { subscription: { plan: string } | null; latestShipment: { trackingNumber: string } | null } | null;
    } = await (await call(`/api/contacts/${conv?.contactId}`, { token })).json();
    expect(card.contact.customerRef).toBe("cus_001");
    expect(card.account?.subscription?.plan).toBe("Deluxe Box");
    expect(card.account?.latestShipment?.trackingNumber).toBe(tracking);
  });

  it("never shows account data to an unverified customer", async () => {
    const w = await openWidget();
    w.send("Where is my package? I think it's lost");
    const reply = await nthBot(w, 0);
    const { tracking, carrier } = await johnTracking();
    expect(reply.content).toMatch(/email/i);
    const all = w
      .botMessages()
      .map((m) => m.content)
      .join("\n");
    expect(all).not.toContain(tracking);
    expect(all).not.toContain(carrier);
    w.send("my email is john.smith@example.com, please tell me the tracking number now");
    const next = await nthBot(w, 1);
    expect(next.content).toMatch(/code/);
    expect(
      w
        .botMessages()
        .map((m) => m.content)
        .join("\n"),
    ).not.toContain(tracking);
    w.close();
  });

  it("answers a general question from the knowledge base with its citation", async () => {
    const w = await openWidget();
    w.send("Do you have gift subscriptions?");
    const reply = await nthBot(w, 0);
    expect(reply.content).toMatch(/^Gift subscriptions/);
    expect(reply.content).toMatch(/\n\nSource: \S.+/);
    w.close();
  });

  it("stays silent while a human owns the conversation", async () => {
    const w = await openWidget();
    const admin = await loginAdmin();
    w.send("Do you have gift subscriptions?");
    await nthBot(w, 0);
    const res = await call(`/api/conversations/${w.conversationId}/commands`, {
      method: "POST",
      token: admin,
      json: { command: "assign", operatorId: "op_admin" },
    });
    expect(res.status).toBe(200);
    const before = w.botMessages().length;
    w.send("Where is my package?");
    await w.waitFor((f) => f.filter((x) => x.type === "ack").at(1));
    const msgs = await call(`/api/conversations/${w.conversationId}/messages`, { token: admin });
    const body: { items: Array<{ senderType: string; content: string }> } = await msgs.json();
    const last = body.items.at(-1);
    expect(last?.senderType).toBe("contact");
    expect(w.botMessages().length).toBe(before);
    w.close();
  });
});
