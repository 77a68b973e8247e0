import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { call, loginAnalyst, loginOperator, seedDemo } from "./helpers.ts";

type Mentions = { items: Array<{ id: string; conversationId: string; authorName: string | null; text: string }> };

beforeAll(async () => {
  await seedDemo();
  const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
  await tdb.insert(schema.conversations, {
    id: "conv_mention",
    inboxId: "demo-telegram",
    contactId: "ct_mention",
    identityId: "cid_mention",
    channel: "telegram",
    threadKey: "mention",
    lastSeq: 5,
  });
  const note = (seq: number, content: string, senderId = "op_admin") => ({
    id: `msg_mention_${seq}`,
    conversationId: "conv_mention",
    seq,
    type: "note" as const,
    senderType: "operator" as const,
    senderId,
    content,
    createdAt: 1_800_000_000_000 + seq,
  });
  await tdb.insert(schema.messages, [
    note(1, "@NOA could you check the stock?"),
    note(2, "@noah is someone else"),
    note(3, "write to noa@example.com about it"),
    note(4, "thanks @noa!", "op_operator"),
    note(5, "Ping @Noa, the customer called again"),
  ]);
});

describe("GET /api/mentions", () => {
  it("lists notes that mention me, case-insensitively, newest first, with the author's name", async () => {
    const token = await loginOperator();
    const res = await call("/api/mentions", { token });
    expect(res.status).toBe(200);
    const body: Mentions = await res.json();
    expect(body.items.map((i) => i.id)).toEqual(["msg_mention_5", "msg_mention_1"]);
    expect(body.items[0]?.authorName).toBe("Avi Admin");
  });

  it("is per operator: another operator's mentions are not mine", async () => {
    const token = await loginAnalyst();
    const body: Mentions = await (await call("/api/mentions", { token })).json();
    expect(body.items).toEqual([]);
  });

  it("needs a login", async () => {
    expect((await call("/api/mentions")).status).toBe(401);
  });
});
