/**
 * Issue 20, export: the admin archive holds every kind of record about the contact (and
 * none of another customer's); the customer's signed link returns the same archive and
 * nothing for a forged or expired link.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { getConfig } from "../../../workers/lib/config.ts";
import { signExportLink } from "../../../workers/rights/export-link.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { installProviderStandIn, whatsappCustomer } from "./support.ts";

const EMAIL = "export.subject@example.org";
const TEXT = "Please move my subscription box delivery to after the 15th";
const OTHER_TEXT = "Another customer entirely, about a damaged bowl";

let restore: () => void = () => {};
let subject: { contactId: string; conversationId: string };
let admin = "";
const tdb = () => new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
const KEY = () => `${DEMO_WORKSPACE_ID}/${subject.conversationId}/att_export-photo.txt`;

beforeAll(async () => {
  restore = installProviderStandIn();
  await seedDemo();
  admin = await loginAdmin();
  subject = await whatsappCustomer("15550177301", "wamid.export-subject-1", TEXT);
  await whatsappCustomer("15550177302", "wamid.export-other-1", OTHER_TEXT);
  await call(`/api/contacts/${subject.contactId}`, { method: "PATCH", token: admin, json: { email: EMAIL } });
  const conv = subject.conversationId;
  await env.ATTACHMENTS.put(KEY(), "photo bytes");
  await tdb().insert(schema.messages, {
    id: "msg_export_att",
    conversationId: conv,
    seq: 9999,
    type: "incoming",
    senderType: "contact",
    content: "photo",
    attachments: [{ key: KEY(), name: "photo.txt", mimeType: "text/plain", size: 11 }],
  });
  await tdb().update(schema.conversations, { csatScore: 5, npsScore: 9 }, eq(schema.conversations.id, conv));
  await tdb().insert(schema.actions, {
    id: "act_export_1",
    conversationId: conv,
    contactId: subject.contactId,
    tool: "skip_month",
    args: { month: "2026-12" },
    summary: "Skip December",
    proposedBy: "bot",
    expiresAt: Date.now() + 60_000,
  });
  await tdb().insert(schema.aiTraces, {
    id: "trc_export_1",
    conversationId: conv,
    turnId: "t1",
    step: "route",
    latencyMs: 1,
  });
  await tdb().insert(schema.contactProfiles, { contactId: subject.contactId, preferredChannel: "whatsapp" });
  await tdb().insert(schema.contactMemories, {
    id: "mem_export_1",
    contactId: subject.contactId,
    category: "delivery",
    fact: "Prefers deliveries after the 15th",
    factKey: "prefers deliveries after the 15th",
    confidence: 0.8,
    origin: "rules",
  });
  await tdb().insert(schema.contactConsents, {
    id: "cns_export_1",
    contactId: subject.contactId,
    channel: "whatsapp",
    textVersion: "v1",
    language: "en",
    granted: true,
  });
});

afterAll(() => restore());

type Archive = Record<string, unknown> & {
  contact: { email: string };
  messages: Array<{ content: string }>;
  roomLogs: Array<{ messages: Array<{ content: string }> }>;
  attachments: Array<{ url: string; key: string }>;
};

describe("GET /api/contacts/{id}/export", () => {
  it("contains every kind of record about the contact", async () => {
    const res = await call(`/api/contacts/${subject.contactId}/export`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const a: Archive = await res.json();
    expect(a.format).toBe("omnisupport.contact-export.v1");
    expect(a.attachmentsAs).toBe("signed_links");
    expect(a.contact.email).toBe(EMAIL);
    for (const k of [
      "identities",
      "conversations",
      "messages",
      "roomLogs",
      "attachments",
      "actions",
      "satisfaction",
      "memories",
      "aiTraces",
      "consents",
    ])
      expect((a[k] as unknown[]).length, k).toBeGreaterThan(0);
    expect(a.profile).toMatchObject({ preferredChannel: "whatsapp" });
    expect(a.satisfaction).toEqual([expect.objectContaining({ csatScore: 5, npsScore: 9 })]);
    expect(a.messages.map((m) => m.content)).toContain(TEXT);
    expect(a.roomLogs[0]?.messages.map((m) => m.content)).toContain(TEXT);
    expect(JSON.stringify(a)).not.toContain(OTHER_TEXT);
    const file = await call(a.attachments[0]?.url ?? "");
    expect(file.status).toBe(200);
    expect(new TextDecoder().decode(await file.arrayBuffer())).toBe("photo bytes");
  });

  it("is admin only", async () => {
    const op = await loginOperator();
    expect((await call(`/api/contacts/${subject.contactId}/export`, { token: op })).status).toBe(403);
    expect((await call(`/api/contacts/ct_missing/export`, { token: admin })).status).toBe(404);
  });
});

describe("self-service export link", () => {
  it("mails the link to the address on file", async () => {
    const res = await call(`/api/contacts/${subject.contactId}/export-link`, { method: "POST", token: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ sentTo: EMAIL });
  });

  it("the signed link returns the customer's archive; a forged or expired one is a 404", async () => {
    const secret = getConfig(env).jwtSecret;
    const grant = { workspaceId: DEMO_WORKSPACE_ID, contactId: subject.contactId, expiresAt: Date.now() + 60_000 };
    const token = await signExportLink(secret, grant);
    const res = await call(`/api/rights/export/${token}`);
    expect(res.status).toBe(200);
    const a: Archive = await res.json();
    expect(a.contact.email).toBe(EMAIL);
    const forged = await signExportLink("another-secret-of-at-least-32-characters!!", grant);
    expect((await call(`/api/rights/export/${forged}`)).status).toBe(404);
    const expired = await signExportLink(secret, { ...grant, expiresAt: Date.now() - 1 });
    expect((await call(`/api/rights/export/${expired}`)).status).toBe(404);
    const tampered = `${token.slice(0, -3)}abc`;
    expect((await call(`/api/rights/export/${tampered}`)).status).toBe(404);
  });
});
