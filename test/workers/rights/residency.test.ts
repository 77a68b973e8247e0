/**
 * Issue 20, data rights 5: the workspace's data location. Admin only; changeable while the
 * workspace has no conversations and no knowledge documents, refused (409) afterwards;
 * every stub helper then places the workspace's objects by it. Local workerd does not
 * implement jurisdictions (checked here, so the README's note fails loudly when it
 * does): a jurisdiction falls back to the plain namespace, consistently for every caller.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { readSettings } from "../../../workers/protocol/settings.ts";
import { resolveContact } from "../../../workers/services/contacts.ts";
import { conversationForThread } from "../../../workers/services/conversations.ts";
import { placeNamespace } from "../../../durable-objects/placement.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { roomOf, workspaceLocation } from "../../../workers/services/data-location.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";

beforeAll(async () => {
  await seedDemo();
});

async function putLocation(token: string, dataLocation: string, extra: Record<string, unknown> = {}) {
  const got = await call("/api/settings", { token });
  const { settings }: { settings: Record<string, unknown> } = await got.json();
  return call("/api/settings", { method: "PUT", token, json: { ...settings, ...extra, dataLocation } });
}

describe("the data location setting", () => {
  it("is admin only and validated", async () => {
    expect((await putLocation(await loginOperator(), "eu")).status).toBe(403);
    const bad = await putLocation(await loginAdmin(), "ru");
    expect(bad.status).toBe(400);
  });

  it("changes while the workspace is empty, then is fixed once it has a conversation", async () => {
    const admin = await loginAdmin();
    const set = await putLocation(admin, "eu");
    expect(set.status).toBe(200);
    const body: { settings: unknown } = await set.json();
    expect(readSettings(body.settings).dataLocation).toBe("eu");
    expect(await workspaceLocation(env, DEMO_WORKSPACE_ID)).toBe("eu");

    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    const contact = await resolveContact(tdb, { channel: "telegram", inboxId: "demo-telegram", externalId: "5150001" });
    const conv = await conversationForThread(tdb, {
      inboxId: "demo-telegram",
      channel: "telegram",
      threadKey: "5150001",
      contactId: contact.contactId,
      identityId: contact.identityId,
      subject: null,
    });

    const moved = await putLocation(admin, "default");
    expect(moved.status).toBe(409);
    const err: { error: { code: string } } = await moved.json();
    expect(err.error.code).toBe("data_location_locked");
    expect(await workspaceLocation(env, DEMO_WORKSPACE_ID)).toBe("eu");
    // Other settings stay editable.
    expect((await putLocation(admin, "eu", { unassignReturnsTo: "bot" })).status).toBe(200);

    // Locally the eu room is the plain namespace's room, for every caller alike.
    const viaLocation = JSON.parse(await (await roomOf(env, DEMO_WORKSPACE_ID, conv.id)).snapshot()) as {
      state: { id: string } | null;
    };
    const plain = JSON.parse(await roomStub(env, conv.id).snapshot()) as { state: { id: string } | null };
    expect(viaLocation.state?.id).toBe(conv.id);
    expect(plain.state?.id).toBe(conv.id);
  });
});

describe("placement on local workerd", () => {
  it("has no jurisdictions, so a jurisdiction falls back to the plain namespace", () => {
    const ns = env.CONVERSATION_ROOM as DurableObjectNamespace;
    expect(() => ns.jurisdiction("eu")).toThrow(/not implemented/);
    const placed = placeNamespace(ns, { jurisdiction: "eu" });
    expect(placed.applied).toBe(false);
    expect(placed.ns).toBe(ns);
  });

  it("accepts a location hint", async () => {
    const stub = roomStub(env, "conv_hint_probe", "weur");
    const snap = JSON.parse(await stub.snapshot()) as { state: unknown; messages: unknown[] };
    expect(snap).toEqual({ state: null, messages: [], actions: [] });
  });
});
