import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { call, loginAnalyst, seedDemo } from "./helpers.ts";

beforeAll(async () => {
  await seedDemo();
  const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
  const now = Date.now();
  await tdb.insert(schema.conversations, [
    {
      id: "conv_r1",
      inboxId: "demo-telegram",
      contactId: "c",
      identityId: "i",
      channel: "telegram",
      threadKey: "r1",
      createdAt: now - 3_600_000,
      firstRespondedAt: now - 3_590_000,
      csatScore: 5,
      npsScore: 10,
    },
    {
      id: "conv_r2",
      inboxId: "demo-whatsapp",
      contactId: "c",
      identityId: "i",
      channel: "whatsapp",
      threadKey: "r2",
      createdAt: now - 40 * 86_400_000,
    },
  ]);
  await tdb.insert(schema.messages, [
    { id: "m_r1", conversationId: "conv_r1", seq: 1, type: "incoming", senderType: "contact", content: "hi" },
  ]);
});

describe("GET /api/reports/summary", () => {
  it("summarises the last 30 days for an analyst", async () => {
    const token = await loginAnalyst();
    const res = await call("/api/reports/summary", { token });
    expect(res.status).toBe(200);
    const body: { total: number; byChannel: Record<string, number>; csat: { average: number } } = await res.json();
    expect(body.byChannel.telegram).toBe(1);
    expect(body.byChannel.whatsapp).toBeUndefined();
    expect(body.csat.average).toBe(5);
  });
  it("exports CSV and rejects an inverted period", async () => {
    const token = await loginAnalyst();
    const csv = await call("/api/reports/summary?format=csv", { token });
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(await csv.text()).toMatch(/^metric,value\n/);
    expect((await call("/api/reports/summary?from=200&to=100", { token })).status).toBe(400);
    expect((await call("/api/reports/summary")).status).toBe(401);
  });
});
