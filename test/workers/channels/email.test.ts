/**
 * Inbound email through the Email Worker handler with the repository's .eml fixtures
 * (test/fixtures/email, generated for the channel tests): parsed, threaded into one
 * conversation by References/In-Reply-To, attachments stored in R2, and auto-replies
 * and bounces recorded but never answered.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import plain from "../../fixtures/email/plain.eml?raw";
import htmlOnly from "../../fixtures/email/html_only.eml?raw";
import russian from "../../fixtures/email/russian.eml?raw";
import attachment from "../../fixtures/email/attachment.eml?raw";
import thread1 from "../../fixtures/email/thread_1_original.eml?raw";
import thread2 from "../../fixtures/email/thread_2_gmail_reply.eml?raw";
import thread3 from "../../fixtures/email/thread_3_outlook_reply.eml?raw";
import autoReply from "../../fixtures/email/auto_reply.eml?raw";
import bounce from "../../fixtures/email/bounce.eml?raw";
import worker from "../../../workers/index.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { receiveEmail, type InboundEmail } from "../../../workers/channels/email/handler.ts";
import { seedDemo } from "../helpers.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { getAttachment } from "../../../workers/services/attachment-store.ts";
import { counts, eventsFor, settleIntake } from "./support.ts";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";

const db = () => rawDb(env.DB);

/** The email handler, then the intake's processing and D1 copy (what the assertions read). */
async function receive(message: InboundEmail): Promise<string> {
  const outcome = await receiveEmail(message, env);
  await settleIntake("demo-email");
  return outcome;
}

beforeAll(async () => {
  await seedDemo();
});

/** A stand-in for the runtime's ForwardableEmailMessage. */
function email(raw: string, opts: { from?: string; to?: string } = {}): InboundEmail & { rejected: string[] } {
  const bytes = new TextEncoder().encode(raw);
  const rejected: string[] = [];
  return {
    from: opts.from ?? "jane@customer.example",
    to: opts.to ?? "support@levhaolam.test",
    raw: new Response(bytes).body ?? new ReadableStream(),
    rawSize: bytes.length,
    setReject: (reason: string) => {
      rejected.push(reason);
    },
    rejected,
  };
}

async function conversationOf(threadKey: string) {
  const c = schema.conversations;
  return db()
    .select()
    .from(c)
    .where(and(eq(c.inboxId, "demo-email"), eq(c.threadKey, threadKey)))
    .get();
}

async function incoming(conversationId: string) {
  const m = schema.messages;
  return db()
    .select()
    .from(m)
    .where(and(eq(m.conversationId, conversationId), eq(m.type, "incoming")))
    .orderBy(m.seq)
    .all();
}

describe("inbound email", () => {
  it("turns a plain email into a conversation with the sender as contact", async () => {
    expect(await receive(email(plain))).toBe("accepted");
    const conv = await conversationOf("<plain-1@customer.example>");
    expect(conv?.subject).toBe("Where is my order #1042?");
    const [msg] = await incoming(conv?.id ?? "");
    expect(msg?.channelMessageId).toBe("<plain-1@customer.example>");
    expect(msg?.content).toContain("1042");
    const contact = await db()
      .select()
      .from(schema.contacts)
      .where(eq(schema.contacts.id, conv?.contactId ?? ""))
      .get();
    expect(contact?.email).toBe("jane@customer.example");
  });

  it("reads HTML-only mail and decodes a Russian subject and sender", async () => {
    expect(await receive(email(htmlOnly))).toBe("accepted");
    const html = await conversationOf("<html-only-1@customer.example>");
    const [msg] = await incoming(html?.id ?? "");
    expect(msg?.content.length).toBeGreaterThan(0);
    expect(msg?.content).not.toContain("<");
    expect(await receive(email(russian, { from: "ivan@customer.example" }))).toBe("accepted");
    // russian.eml replies into an older thread, so its root is the first References entry.
    const ru = await conversationOf("<ticket-4005@acme.example>");
    expect(ru?.subject).toContain("Вопрос по заказу");
  });

  it("threads an original, a Gmail reply and an Outlook reply into one conversation, quotes stripped", async () => {
    for (const raw of [thread1, thread2, thread3]) expect(await receive(email(raw))).toBe("accepted");
    const conv = await conversationOf("<thread-1@customer.example>");
    expect(conv).toBeDefined();
    const msgs = await incoming(conv?.id ?? "");
    expect(msgs.map((m) => m.channelMessageId)).toEqual([
      "<thread-1@customer.example>",
      "<thread-2@customer.example>",
      "<thread-3@customer.example>",
    ]);
    expect(msgs[1]?.content).toContain("handle snapped off");
    expect(msgs[1]?.content).not.toContain("My mug arrived broken");
    const all = await db()
      .select()
      .from(schema.conversations)
      .where(eq(schema.conversations.inboxId, "demo-email"))
      .all();
    expect(all.filter((c) => c.threadKey.includes("thread-"))).toHaveLength(1);
  });

  it("stores attachments in R2 and references them on the message", async () => {
    expect(await receive(email(attachment))).toBe("accepted");
    const conv = await conversationOf("<attach-1@customer.example>");
    const [msg] = await incoming(conv?.id ?? "");
    expect(msg?.attachments.length).toBeGreaterThan(0);
    const key = msg?.attachments[0]?.key;
    expect(typeof key).toBe("string");
    // Sealed at rest (issue 20): the plaintext size is recorded, the workspace's keys open it.
    const object = await env.ATTACHMENTS.head(typeof key === "string" ? key : "");
    expect(object?.customMetadata?.enc).toBe("aes256gcm.chunked.v1");
    expect(object?.customMetadata?.size).toBe(String(msg?.attachments[0]?.size));
    const opened = await getAttachment(env, DEMO_WORKSPACE_ID, typeof key === "string" ? key : "");
    expect(opened?.bytes.length).toBe(msg?.attachments[0]?.size);
  });

  it("records auto-replies and bounces without answering them", async () => {
    for (const [raw, id, from] of [
      [autoReply, "<ooo-1@customer.example>", "jane@customer.example"],
      [bounce, "<bounce-1@mx.customer.example>", "MAILER-DAEMON@mx.customer.example"],
    ] as const) {
      expect(await receive(email(raw, { from }))).toBe("accepted");
      const [event] = await eventsFor(id);
      expect(event?.status).toBe("processed");
      expect(event?.error).toMatch(/^not answered: (auto-reply|bounce)$/);
      const msg = await db().select().from(schema.messages).where(eq(schema.messages.channelMessageId, id)).get();
      expect(msg).toBeUndefined();
    }
    expect(await conversationOf("<reply-55@acme.example>")).toBeUndefined();
    // Nothing to answer them in: no conversation, so no reply can be queued. (A spy on
    // EMAIL.send cannot tell: replies to earlier tests' conversations, such as the held
    // answer's acknowledgement, may still be leaving through the queue now.)
    const outgoing = await db().select().from(schema.messages).where(eq(schema.messages.type, "outgoing")).all();
    expect(outgoing.filter((m) => /ooo-1|bounce-1/.test(JSON.stringify(m.contentAttributes)))).toEqual([]);
  });

  it("stores a redelivered email once", async () => {
    const before = await counts();
    expect(await receive(email(plain))).toBe("duplicate");
    expect(await counts()).toEqual(before);
  });

  it("rejects mail for an address no inbox owns and stores nothing", async () => {
    const before = await counts();
    const msg = email(plain, { to: "sales@levhaolam.test" });
    expect(await receive(msg)).toBe("rejected");
    expect(msg.rejected).toEqual(["Unknown recipient"]);
    expect(await counts()).toEqual(before);
  });

  it("is wired as the Worker's email handler", async () => {
    const raw = plain.replace("<plain-1@customer.example>", "<plain-wired@customer.example>");
    const ctx = createExecutionContext();
    const base = email(raw);
    const message: ForwardableEmailMessage = {
      ...base,
      headers: new Headers(),
      canBeForwarded: false,
      forward: async () => ({ messageId: "" }),
      reply: async () => ({ messageId: "" }),
    };
    await worker.email(message, env, ctx);
    await waitOnExecutionContext(ctx);
    await settleIntake("demo-email");
    expect(await conversationOf("<plain-wired@customer.example>")).toBeDefined();
  });
});
