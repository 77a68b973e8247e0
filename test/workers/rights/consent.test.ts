/**
 * Issue 20, consent: with consent required, a widget session without the visitor's
 * agreement to the current text version is refused and NOTHING is stored (no contact,
 * identity or conversation); with it, the consent (version, time, channel, language) is
 * stored for the contact and the session resumes without asking again.
 */
import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { DEFAULT_CONSENT_TEXT } from "../../../workers/copy/consent.ts";
import { call, seedDemo } from "../helpers.ts";
import { clientId, isType, openSocket } from "../ws.ts";

const db = () => rawDb(env.DB);

async function counts() {
  const n = async (t: typeof schema.contacts | typeof schema.conversations | typeof schema.contactIdentities) =>
    (
      await db()
        .select({ n: sql<number>`count(*)` })
        .from(t)
        .get()
    )?.n ?? 0;
  return {
    contacts: await n(schema.contacts),
    conversations: await n(schema.conversations),
    identities: await n(schema.contactIdentities),
  };
}

const session = (extra: Record<string, unknown>) =>
  call("/api/widget/session", { method: "POST", json: { widgetKey: "demo-widget-key", ...extra } });

beforeAll(async () => {
  await seedDemo();
  const ws = await db().select().from(schema.workspaces).where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID)).get();
  await db()
    .update(schema.workspaces)
    .set({
      settings: {
        ...ws?.settings,
        consent: { required: true, version: "2026-12", policyUrl: "https://shop.example.com/privacy", texts: {} },
      },
    })
    .where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID));
});

describe("widget consent", () => {
  it("refuses a session without consent and stores nothing", async () => {
    const before = await counts();
    const res = await session({ language: "ru" });
    expect(res.status).toBe(403);
    const body: { error: { code: string; details: { version: string; text: string; policyUrl: string } } } =
      await res.json();
    expect(body.error.code).toBe("consent_required");
    expect(body.error.details).toEqual({
      version: "2026-12",
      text: DEFAULT_CONSENT_TEXT.ru,
      policyUrl: "https://shop.example.com/privacy",
    });
    const stale = await session({ language: "en", consent: { granted: true, version: "2025-01" } });
    expect(stale.status).toBe(403);
    const declined = await session({ consent: { granted: false, version: "2026-12" } });
    expect(declined.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("stores the consent with version, channel and language, and resumes without asking again", async () => {
    const before = await counts();
    const res = await session({ language: "fr", consent: { granted: true, version: "2026-12" } });
    expect(res.status).toBe(200);
    const s: { visitorToken: string; conversationId: string; socketPath: string } = await res.json();
    // The session itself writes nothing; the rows (and the consent) come with the first message.
    expect(await counts()).toEqual(before);
    const socket = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await socket.next(isType("welcome"));
    socket.send({ type: "send", clientId: clientId(), text: "Bonjour", attachments: [] });
    await socket.next(isType("ack"));
    socket.close();
    const conv = await db()
      .select()
      .from(schema.conversations)
      .where(eq(schema.conversations.id, s.conversationId))
      .get();
    const rows = await db()
      .select()
      .from(schema.contactConsents)
      .where(eq(schema.contactConsents.contactId, conv?.contactId ?? ""))
      .all();
    expect(rows).toEqual([
      expect.objectContaining({
        channel: "widget",
        textVersion: "2026-12",
        language: "fr",
        granted: true,
        workspaceId: DEMO_WORKSPACE_ID,
      }),
    ]);
    expect(rows[0]?.createdAt).toBeGreaterThan(0);
    const resumed = await session({ visitorToken: s.visitorToken });
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as { conversationId: string }).conversationId).toBe(s.conversationId);
  });
});
