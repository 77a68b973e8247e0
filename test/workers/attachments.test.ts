import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ATTACHMENT_URL_TTL_MS, signAttachment } from "../../workers/lib/attachment-url.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { call, loginAnalyst, loginOperator, seedDemo } from "./helpers.ts";
import { widgetSession } from "./ws.ts";

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (ch) => ch.charCodeAt(0),
);

type Links = { items: Array<{ key: string; url: string; expiresAt: number }> };

async function uploadAs(visitorToken: string): Promise<string> {
  const form = new FormData();
  form.append("file", new File([PNG], "bowl.png", { type: "image/png" }));
  const res = await call("/api/widget/upload", { method: "POST", body: form, token: visitorToken });
  expect(res.status).toBe(200);
  const body: { key: string } = await res.json();
  return body.key;
}

let alice: { visitorToken: string; conversationId: string };
let bob: { visitorToken: string; conversationId: string };
let aliceKey = "";

beforeAll(async () => {
  await seedDemo();
  alice = await widgetSession();
  bob = await widgetSession();
  aliceKey = await uploadAs(alice.visitorToken);
});

describe("signed attachment links", () => {
  it("the visitor gets a short-lived link to their own file and it serves the image", async () => {
    const res = await call("/api/widget/attachment-urls", {
      method: "POST",
      token: alice.visitorToken,
      json: { keys: [aliceKey] },
    });
    expect(res.status).toBe(200);
    const links: Links = await res.json();
    const link = links.items[0];
    expect(link?.url).toMatch(/^\/api\/files\//);
    expect(link?.expiresAt).toBeLessThanOrEqual(Date.now() + ATTACHMENT_URL_TTL_MS);
    const file = await call(link?.url ?? "");
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/png");
    expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
  });

  it("another visitor cannot get a link to a file of someone else's conversation", async () => {
    const res = await call("/api/widget/attachment-urls", {
      method: "POST",
      token: bob.visitorToken,
      json: { keys: [aliceKey] },
    });
    expect(res.status).toBe(404);
  });

  it("staff get links through the conversation, scoped to it; analysts may read", async () => {
    const op = await loginOperator();
    const ok = await call(
      `/api/conversations/${alice.conversationId}/attachment-urls?key=${encodeURIComponent(aliceKey)}`,
      { token: op },
    );
    expect(ok.status).toBe(200);
    const wrongConv = await call(
      `/api/conversations/${bob.conversationId}/attachment-urls?key=${encodeURIComponent(aliceKey)}`,
      { token: op },
    );
    expect(wrongConv.status).toBe(404);
    const analyst = await loginAnalyst();
    const read = await call(
      `/api/conversations/${alice.conversationId}/attachment-urls?key=${encodeURIComponent(aliceKey)}`,
      { token: analyst },
    );
    expect(read.status).toBe(200);
    const anonymous = await call(
      `/api/conversations/${alice.conversationId}/attachment-urls?key=${encodeURIComponent(aliceKey)}`,
    );
    expect(anonymous.status).toBe(401);
  });

  it("an expired link is refused", async () => {
    const token = await signAttachment(getConfig(env).jwtSecret, {
      key: aliceKey,
      conversationId: alice.conversationId,
      expiresAt: Date.now() - 1,
    });
    const res = await call(`/api/files/${token}`);
    expect(res.status).toBe(403);
    const body: { error: { code: string } } = await res.json();
    expect(body.error.code).toBe("link_expired");
  });

  it("a link cannot be pointed at another file or stretched in time", async () => {
    const res = await call("/api/widget/attachment-urls", {
      method: "POST",
      token: alice.visitorToken,
      json: { keys: [aliceKey] },
    });
    const links: Links = await res.json();
    const token = (links.items[0]?.url ?? "").replace("/api/files/", "");
    const [payload, sig] = token.split(".");
    const forged = JSON.stringify({ k: aliceKey, c: alice.conversationId, e: Date.now() + 86_400_000 });
    const forgedPayload = btoa(forged).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    expect((await call(`/api/files/${forgedPayload}.${sig}`)).status).toBe(403);
    expect((await call(`/api/files/${payload}.AAAA`)).status).toBe(403);
    expect((await call(`/api/files/garbage`)).status).toBe(403);
  });

  it("bad requests are 4xx: no keys, no token", async () => {
    expect(
      (await call("/api/widget/attachment-urls", { method: "POST", token: alice.visitorToken, json: { keys: [] } }))
        .status,
    ).toBe(400);
    expect((await call("/api/widget/attachment-urls", { method: "POST", json: { keys: [aliceKey] } })).status).toBe(
      401,
    );
  });
});
