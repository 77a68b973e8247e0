/**
 * /api/channels (admin): dead-letter list and replay, Telegram setWebhook. The router is
 * mounted here the way the API app mounts it (`/channels` under /api), so these tests do
 * not depend on the lead's wiring.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiApp } from "../../../workers/api/app.ts";
import { channelsApp } from "../../../workers/api/channels.ts";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { getConfig } from "../../../workers/lib/config.ts";
import { decryptJson, encryptJson } from "../../../workers/lib/secrets.ts";
import { loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { bodyOf, json, mockFetch } from "./support.ts";

const api = createApiApp();
api.route("/channels", channelsApp);

function request(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  return Promise.resolve(api.request(`http://localhost/api/channels${path}`, { ...init, headers }, env));
}

const deliver = {
  kind: "deliver",
  workspaceId: DEMO_WORKSPACE_ID,
  conversationId: "conv_x",
  messageId: "msg_x",
  inboxId: "demo-telegram",
  channel: "telegram",
  threadKey: "1",
  text: "hi",
  buttons: [],
  attempt: 5,
};

beforeAll(async () => {
  await seedDemo();
  await rawDb(env.DB)
    .insert(schema.deadLetters)
    .values([
      {
        id: "dl_api_1",
        workspaceId: DEMO_WORKSPACE_ID,
        queue: "omnisupport-outbound",
        body: deliver,
        error: "retry budget exhausted",
        attempts: 6,
        createdAt: 1_000,
      },
      {
        id: "dl_api_other_ws",
        workspaceId: "ws_other",
        queue: "omnisupport-outbound",
        body: { ...deliver, workspaceId: "ws_other" },
        error: "x",
        attempts: 1,
        createdAt: 2_000,
      },
    ])
    .onConflictDoNothing();
});

afterEach(() => vi.restoreAllMocks());

describe("dead letters", () => {
  it("lists the workspace's dead letters to admins only", async () => {
    const res = await request("/dead-letters", await loginAdmin());
    expect(res.status).toBe(200);
    const body: { items: Array<{ id: string; body: Record<string, unknown> }> } = await res.json();
    expect(body.items.map((d) => d.id)).toContain("dl_api_1");
    expect(body.items.map((d) => d.id)).not.toContain("dl_api_other_ws");
    expect((await request("/dead-letters", await loginOperator())).status).toBe(403);
  });

  it("replays a dead letter once onto its queue and stamps replayedAt", async () => {
    const sendSpy = vi
      .spyOn(env.OUTBOUND_QUEUE, "send")
      .mockResolvedValue({ metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } });
    const token = await loginAdmin();
    const res = await request("/dead-letters/dl_api_1/replay", token, { method: "POST" });
    expect(res.status).toBe(200);
    const body: { replayedAt: number | null } = await res.json();
    expect(body.replayedAt).toEqual(expect.any(Number));
    expect(sendSpy).toHaveBeenCalledTimes(1);
    expect(sendSpy.mock.calls[0]?.[0]).toEqual({ ...deliver, attempt: 6 });
    const row = await rawDb(env.DB)
      .select()
      .from(schema.deadLetters)
      .where(eq(schema.deadLetters.id, "dl_api_1"))
      .get();
    expect(row?.replayedAt).toEqual(body.replayedAt);
    expect((await request("/dead-letters/dl_api_1/replay", token, { method: "POST" })).status).toBe(409);
    expect(sendSpy).toHaveBeenCalledTimes(1);
  });

  it("cannot replay another workspace's dead letter", async () => {
    expect((await request("/dead-letters/dl_api_other_ws/replay", await loginAdmin(), { method: "POST" })).status).toBe(
      404,
    );
  });
});

describe("telegram set-webhook", () => {
  it("registers this deployment's webhook URL with the inbox's secret token", async () => {
    const fetchMock = mockFetch(() => json({ ok: true, result: true, description: "Webhook was set" }));
    const res = await request("/inboxes/demo-telegram/telegram/set-webhook", await loginAdmin(), { method: "POST" });
    fetchMock.restore();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, url: "http://localhost:8787/webhooks/telegram/demo-telegram" });
    expect(fetchMock.calls).toHaveLength(1);
    const [call] = fetchMock.calls;
    expect(call?.url).toBe("https://api.telegram.org/bot123456789:dev-telegram-bot-token-not-real/setWebhook");
    expect(call ? bodyOf(call) : null).toEqual({
      url: "http://localhost:8787/webhooks/telegram/demo-telegram",
      secret_token: "dev-telegram-secret",
      allowed_updates: ["message", "edited_message", "callback_query"],
    });
  });

  it("generates and stores a secret token when the inbox has none", async () => {
    const key = getConfig(env).encryptionKey;
    await rawDb(env.DB)
      .insert(schema.inboxes)
      .values({
        id: "tg-no-secret",
        workspaceId: DEMO_WORKSPACE_ID,
        name: "bot 2",
        channel: "telegram",
        settings: {},
        secretsEnc: await encryptJson({ botToken: "42:other" }, key),
      })
      .onConflictDoNothing();
    const fetchMock = mockFetch(() => json({ ok: true, result: true }));
    const res = await request("/inboxes/tg-no-secret/telegram/set-webhook", await loginAdmin(), { method: "POST" });
    fetchMock.restore();
    expect(res.status).toBe(200);
    const row = await rawDb(env.DB).select().from(schema.inboxes).where(eq(schema.inboxes.id, "tg-no-secret")).get();
    const secrets = await decryptJson(row?.secretsEnc ?? null, key);
    expect(secrets.secretToken).toMatch(/^[0-9a-f]{64}$/);
    const sent = fetchMock.calls[0] ? bodyOf(fetchMock.calls[0]) : {};
    expect(sent.secret_token).toBe(secrets.secretToken);
  });

  it("reports a provider refusal as 422, a provider failure as 502 and a non-Telegram inbox as 404", async () => {
    const token = await loginAdmin();
    const refused = mockFetch(() => json({ ok: false, error_code: 401, description: "Unauthorized" }, 401));
    const res = await request("/inboxes/demo-telegram/telegram/set-webhook", token, { method: "POST" });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("provider_rejected");
    refused.restore();
    const down = mockFetch(() => json({ ok: false, error_code: 502, description: "Bad Gateway" }, 502));
    expect((await request("/inboxes/demo-telegram/telegram/set-webhook", token, { method: "POST" })).status).toBe(502);
    down.restore();
    expect((await request("/inboxes/demo-whatsapp/telegram/set-webhook", token, { method: "POST" })).status).toBe(404);
  });
});
