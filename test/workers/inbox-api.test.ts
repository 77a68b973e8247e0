import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { call, loginAdmin, loginAnalyst, loginOperator, seedDemo } from "./helpers.ts";
import { clientId, isType, openSocket, widgetSession } from "./ws.ts";

beforeAll(async () => {
  await seedDemo();
  const tdb = new TenantDb(rawDb(env.DB), "ws_demo");
  await tdb.insert(schema.contacts, { id: "ct_page", name: "Pager", customerRef: "cus_001" });
  const rows = Array.from({ length: 7 }, (_, i) => ({
    id: `conv_page_${i}`,
    inboxId: i % 2 ? "demo-telegram" : "demo-whatsapp",
    contactId: "ct_page",
    identityId: "cid_x",
    channel: i % 2 ? "telegram" : "whatsapp",
    threadKey: `t${i}`,
    status: (i === 6 ? "resolved" : "open") as "open" | "resolved",
    category: i < 3 ? "shipping_inquiry" : "payment_issue",
    tags: i === 2 ? ["vip", "late"] : ["late"],
    assigneeId: i === 4 ? "op_olga" : null,
    updatedAt: 1_800_000_000_000 + i,
  }));
  await tdb.insert(schema.conversations, rows);
});

describe("GET /api/conversations", () => {
  it("pages with a cursor without gaps or repeats, newest activity first", async () => {
    const token = await loginOperator();
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `/api/conversations?contactId=ct_page&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const body: { items: Array<{ id: string }>; nextCursor: string | null } = await (await call(q, { token })).json();
      ids.push(...body.items.map((x) => x.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(ids).toEqual([
      "conv_page_6",
      "conv_page_5",
      "conv_page_4",
      "conv_page_3",
      "conv_page_2",
      "conv_page_1",
      "conv_page_0",
    ]);
  });

  it("filters by status, channel, assignee, category and tag", async () => {
    const token = await loginOperator();
    const get = async (q: string) =>
      (
        (await (await call(`/api/conversations?contactId=ct_page&${q}`, { token })).json()) as {
          items: Array<{ id: string }>;
        }
      ).items
        .map((x) => x.id)
        .sort();
    expect(await get("status=resolved")).toEqual(["conv_page_6"]);
    expect(await get("channel=telegram")).toEqual(["conv_page_1", "conv_page_3", "conv_page_5"]);
    expect(await get("assigneeId=op_olga")).toEqual(["conv_page_4"]);
    expect(await get("category=shipping_inquiry")).toEqual(["conv_page_0", "conv_page_1", "conv_page_2"]);
    expect(await get("tag=vip")).toEqual(["conv_page_2"]);
    expect(await get("tag=vi")).toEqual([]);
  });

  it("rejects a forged cursor with 400", async () => {
    const token = await loginOperator();
    expect((await call("/api/conversations?cursor=%%%garbage", { token })).status).toBe(400);
  });
});

describe("typing, read receipts and attachments", () => {
  it("relays typing and read receipts between customer and operator", async () => {
    const s = await widgetSession();
    const op = await loginOperator();
    await call(`/api/conversations/${s.conversationId}/commands`, {
      method: "POST",
      token: op,
      json: { command: "assign", operatorId: "op_operator" },
    });
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const o = await openSocket(`${s.socketPath}?token=${op}`);
    await c.next(isType("sync"));
    await o.next(isType("sync"));
    c.send({ type: "typing", on: true });
    expect(await o.next(isType("typing"))).toMatchObject({ from: "contact", on: true });
    c.send({ type: "send", clientId: clientId(), text: "hello" });
    const ack = await c.next(isType("ack"));
    o.send({ type: "read", seq: ack.seq });
    expect(await c.next(isType("read"))).toMatchObject({ by: "operator", seq: ack.seq });
    o.send({ type: "typing", on: true });
    expect(await c.next(isType("typing"))).toMatchObject({ from: "operator", name: "Noa Operator" });
    c.close();
    o.close();
  });

  it("stores image uploads in R2 after sniffing the bytes, and refuses other files and oversize uploads", async () => {
    const s = await widgetSession();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const upload = (bytes: Uint8Array<ArrayBuffer>, name: string, token = s.visitorToken) => {
      const fd = new FormData();
      fd.append("file", new File([bytes], name, { type: "image/png" }));
      return call("/api/widget/upload", { method: "POST", body: fd, headers: { authorization: `Bearer ${token}` } });
    };
    const ok = await upload(png, "damage.png");
    expect(ok.status).toBe(200);
    const ref: { key: string; mimeType: string } = await ok.json();
    expect(ref.mimeType).toBe("image/png");
    expect(ref.key.startsWith(`ws_demo/${s.conversationId}/`)).toBe(true);
    expect(await env.ATTACHMENTS.head(ref.key)).not.toBeNull();
    const exe = await upload(new TextEncoder().encode("MZ\x90\x00 not an image"), "photo.png");
    expect(exe.status).toBe(400);
    const big = await upload(new Uint8Array(5 * 1024 * 1024 + 10).fill(7), "huge.png");
    expect(big.status).toBe(413);
    expect((await upload(png, "x.png", "bad-token")).status).toBe(401);
    const listed = await env.ATTACHMENTS.list({ prefix: `ws_demo/${s.conversationId}/` });
    expect(listed.objects).toHaveLength(1);
    // An attachment of another conversation cannot be referenced in a message.
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({
      type: "send",
      clientId: clientId(),
      text: "see photo",
      attachments: [{ key: "ws_demo/conv_other/att-x.png", name: "x.png", mimeType: "image/png", size: 10 }],
    });
    expect((await c.next(isType("error"))).code).toBe("invalid_attachment");
    c.close();
  });
});

describe("canned responses", () => {
  it("renders variables for the conversation's contact, subscription and operator", async () => {
    const token = await loginOperator();
    const res = await call("/api/canned-responses/render", {
      method: "POST",
      token,
      json: { conversationId: "conv_page_0", shortCode: "nextbox" },
    });
    expect(res.status).toBe(200);
    const body: { text: string; missing: string[] } = await res.json();
    const sub = await new TenantDb(rawDb(env.DB), "ws_demo").first(schema.storeSubscriptions, undefined);
    expect(body.text).toContain(String(sub?.nextBoxDate ?? ""));
    expect(body.missing).toEqual([]);
    const hello: { text: string } = await (
      await call("/api/canned-responses/render", {
        method: "POST",
        token,
        json: { conversationId: "conv_page_0", shortCode: "hello" },
      })
    ).json();
    expect(hello.text).toBe("Hi Pager, thanks for reaching out to Lev Haolam! I'm Noa and I'll help you today.");
    const analyst = await loginAnalyst();
    expect(
      (
        await call("/api/canned-responses/render", {
          method: "POST",
          token: analyst,
          json: { conversationId: "conv_page_0", shortCode: "hello" },
        })
      ).status,
    ).toBe(403);
    const admin = await loginAdmin();
    expect(
      (
        await call("/api/canned-responses/render", {
          method: "POST",
          token: admin,
          json: { conversationId: "conv_nope", shortCode: "hello" },
        })
      ).status,
    ).toBe(404);
  });
});

describe("widget sessions", () => {
  it("resumes the token's conversation after a reload, and vouched identities need a valid HMAC", async () => {
    const { hmacSha256, toHex } = await import("../../workers/lib/encoding.ts");
    const email = "john.smith@example.com";
    const hash = toHex(await hmacSha256("dev-identity-secret", email));
    const first = await call("/api/widget/session", {
      method: "POST",
      json: { widgetKey: "demo-widget-key", identity: { email, name: "John", hash } },
    });
    expect(first.status).toBe(200);
    const a: { visitorToken: string; conversationId: string } = await first.json();
    const again = await call("/api/widget/session", {
      method: "POST",
      json: { widgetKey: "demo-widget-key", visitorToken: a.visitorToken },
    });
    expect(((await again.json()) as { conversationId: string }).conversationId).toBe(a.conversationId);
    const forged = await call("/api/widget/session", {
      method: "POST",
      json: { widgetKey: "demo-widget-key", identity: { email, hash: "0".repeat(64) } },
    });
    expect(forged.status).toBe(401);
    const unknown = await call("/api/widget/session", { method: "POST", json: { widgetKey: "nope" } });
    expect(unknown.status).toBe(404);
  });
});
