/**
 * Issue 20, Memory 2, "says where a fact came from if asked", through the room on the
 * embedded engine: a customer asking "how do you know that?" is told the date and channel
 * of the conversation where they said it (no internal ids, nothing of another customer's)
 * and offered to forget it; "Forget it" deletes the memory.
 */
import { env } from "cloudflare:workers";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { dayName } from "../../../workers/copy/customer.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { call, loginOperator, seedDemo } from "../helpers.ts";
import { installProviderStandIn, whatsappCustomer } from "./support.ts";

let restore: () => void = () => {};
let op = "";
type Memory = { id: string; fact: string; status: string };

beforeAll(async () => {
  restore = installProviderStandIn();
  await seedDemo();
  op = await loginOperator();
});
afterAll(() => restore());

const list = async (contactId: string): Promise<Memory[]> =>
  ((await (await call(`/api/contacts/${contactId}/memories`, { token: op })).json()) as { items: Memory[] }).items;

async function approveAll(contactId: string): Promise<void> {
  for (const m of await list(contactId)) {
    const res = await call(`/api/contacts/${contactId}/memories/${m.id}`, {
      method: "PATCH",
      token: op,
      json: { status: "approved" },
    });
    expect(res.status).toBe(200);
  }
}

/** The room's messages after the customer's message with this channel id. */
async function after(conversationId: string, channelMessageId: string) {
  await roomStub(env, conversationId).syncMirror();
  const msgs = await rawDb(env.DB)
    .select()
    .from(schema.messages)
    .where(eq(schema.messages.conversationId, conversationId))
    .orderBy(asc(schema.messages.seq));
  const i = msgs.findIndex((m) => m.channelMessageId === channelMessageId);
  expect(i).toBeGreaterThanOrEqual(0);
  return msgs.slice(i + 1);
}

describe("where did that come from", () => {
  it("answers with the date and channel of the source, never ids or another customer's facts, and forgets on request", async () => {
    const gil = await whatsappCustomer(
      "15550168001",
      "wamid.prov-gil-1",
      "Please skip my next box. Also, I'm allergic to peanuts.",
    );
    const hana = await whatsappCustomer(
      "15550168002",
      "wamid.prov-hana-1",
      "Please skip my next box. I am allergic to shellfish.",
    );
    await approveAll(gil.contactId);
    await approveAll(hana.contactId);
    expect(await list(gil.contactId)).toEqual([expect.objectContaining({ status: "approved" })]);

    await whatsappCustomer("15550168001", "wamid.prov-gil-2", "Wait, how do you know that?");
    const replies = (await after(gil.conversationId, "wamid.prov-gil-2")).filter((m) => m.type === "outgoing");
    expect(replies).toHaveLength(1);
    const text = replies[0]?.content ?? "";
    const today = new Date().toISOString().slice(0, 10);
    expect(text).toContain("allergic to peanuts");
    expect(text).toContain(`you told us on ${dayName("en", today)} (WhatsApp)`);
    expect(text).toMatch(/forget it\?/i);
    expect(text).not.toMatch(/shellfish|conv_|msg_|mem_|wamid/);
    expect(text).not.toContain(gil.conversationId);

    await whatsappCustomer("15550168001", "wamid.prov-gil-3", "Forget it");
    const done = await after(gil.conversationId, "wamid.prov-gil-3");
    expect(done.find((m) => m.type === "outgoing")?.content).toMatch(/forgotten/);
    expect(done.find((m) => m.type === "note")?.content).toMatch(/1 remembered fact\(s\) deleted/);
    expect(await list(gil.contactId)).toEqual([]);
    expect(await list(hana.contactId)).toHaveLength(1);
    const a = schema.auditLog;
    const audit = await rawDb(env.DB)
      .select()
      .from(a)
      .where(and(eq(a.action, "memory.forget"), eq(a.targetId, gil.contactId)))
      .get();
    expect(audit?.detail).toMatchObject({ removed: 1 });
    expect(JSON.stringify(audit?.detail)).not.toContain("peanuts");
  });

  it("asked in Russian, answers in Russian; 'keep it' keeps the memory", async () => {
    const ivan = await whatsappCustomer(
      "15550168003",
      "wamid.prov-ivan-1",
      "Пропустите, пожалуйста, следующую коробку. У меня аллергия на орехи.",
    );
    await approveAll(ivan.contactId);
    await whatsappCustomer("15550168003", "wamid.prov-ivan-2", "Откуда вы это знаете?");
    const reply = (await after(ivan.conversationId, "wamid.prov-ivan-2")).find((m) => m.type === "outgoing");
    expect(reply?.content).toContain("аллергия на орехи");
    const today = new Date().toISOString().slice(0, 10);
    expect(reply?.content).toContain(`вы написали нам ${dayName("ru", today)} (WhatsApp)`);
    expect(reply?.content).not.toMatch(/you told us|forget it/i);
    await whatsappCustomer("15550168003", "wamid.prov-ivan-3", "Оставьте");
    const kept = (await after(ivan.conversationId, "wamid.prov-ivan-3")).find((m) => m.type === "outgoing");
    expect(kept?.content).toBe("Хорошо, оставим.");
    expect(await list(ivan.contactId)).toHaveLength(1);
  });

  it("without remembered facts the question goes to the normal engine", async () => {
    const jo = await whatsappCustomer("15550168004", "wamid.prov-jo-1", "Where is my box?");
    await whatsappCustomer("15550168004", "wamid.prov-jo-2", "How do you know that?");
    const replies = (await after(jo.conversationId, "wamid.prov-jo-2")).filter((m) => m.type === "outgoing");
    for (const r of replies) expect(r.content).not.toMatch(/you told us on|forget it\?/i);
  });
});
