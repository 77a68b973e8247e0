/**
 * Issue 20, item 6: attachments are sealed in R2 with the workspace's data key (envelope
 * encryption). The raw bucket holds no plaintext; the signed-link route serves the file
 * intact; after a key rotation old and new objects both open; another workspace's keys
 * open nothing; objects stored before encryption still serve (migration path).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { signAttachment } from "../../../workers/lib/attachment-url.ts";
import { getConfig } from "../../../workers/lib/config.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { getAttachment } from "../../../workers/services/attachment-store.ts";
import { addDataKey } from "../../../workers/services/data-keys.ts";
import { call, loginAdmin, loginOperator, seedDemo } from "../helpers.ts";
import { clientId, isType, openSocket, widgetSession, type WidgetSession } from "../ws.ts";

/** A 1×1 PNG. */
const PNG = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (ch) => ch.charCodeAt(0),
);

let visitor: WidgetSession;

async function upload(): Promise<string> {
  const form = new FormData();
  form.append("file", new File([PNG], "bowl.png", { type: "image/png" }));
  const res = await call("/api/widget/upload", { method: "POST", body: form, token: visitor.visitorToken });
  expect(res.status).toBe(200);
  const body: { key: string; size: number } = await res.json();
  expect(body.size).toBe(PNG.length);
  return body.key;
}

async function download(key: string): Promise<Response> {
  const token = await signAttachment(getConfig(env).jwtSecret, {
    key,
    conversationId: visitor.conversationId,
    expiresAt: Date.now() + 60_000,
  });
  return call(`/api/files/${token}`);
}

/** Whether `needle` occurs anywhere in `hay`. */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

async function raw(key: string) {
  const obj = await env.ATTACHMENTS.get(key);
  if (!obj) throw new Error(`no object ${key}`);
  return { bytes: new Uint8Array(await obj.arrayBuffer()), custom: obj.customMetadata ?? {} };
}

beforeAll(async () => {
  await seedDemo();
  visitor = await widgetSession();
});

describe("attachments at rest", () => {
  it("are not plaintext in R2 but download intact", async () => {
    const key = await upload();
    const stored = await raw(key);
    expect(stored.custom.enc).toBe("aes256gcm.chunked.v1");
    expect(Number(stored.custom.kv)).toBeGreaterThanOrEqual(1);
    expect(stored.custom.size).toBe(String(PNG.length));
    expect(stored.bytes.length).toBe(PNG.length + 28);
    // Not the file, nor any 8-byte run of it (the PNG signature included).
    for (let i = 0; i + 8 <= PNG.length; i += 8) expect(contains(stored.bytes, PNG.slice(i, i + 8))).toBe(false);

    const res = await download(key);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });

  it("a message may still reference the upload by its plaintext size", async () => {
    const key = await upload();
    const socket = await openSocket(`${visitor.socketPath}?token=${visitor.visitorToken}`);
    await socket.next(isType("welcome"));
    const id = clientId();
    socket.send({
      type: "send",
      clientId: id,
      text: "photo",
      attachments: [{ key, name: "bowl.png", mimeType: "image/png", size: PNG.length }],
    });
    const ack = await socket.next((f) => (f.type === "ack" || f.type === "error") && f.clientId === id);
    expect(ack.type).toBe("ack");
    socket.close();
  });

  it("rotation: admin only, returns the version only; new objects use it and old ones still open", async () => {
    const before = await upload();
    const oldVersion = Number((await raw(before)).custom.kv);

    expect(
      (await call("/api/settings/encryption/rotate", { method: "POST", token: await loginOperator() })).status,
    ).toBe(403);
    const res = await call("/api/settings/encryption/rotate", { method: "POST", token: await loginAdmin() });
    expect(res.status).toBe(200);
    const body: Record<string, unknown> = await res.json();
    expect(Object.keys(body)).toEqual(["version"]);
    expect(body.version).toBe(oldVersion + 1);

    const after = await upload();
    expect(Number((await raw(after)).custom.kv)).toBe(oldVersion + 1);
    for (const key of [before, after]) {
      const r = await download(key);
      expect(r.status).toBe(200);
      expect(new Uint8Array(await r.arrayBuffer())).toEqual(PNG);
    }
  });

  it("another workspace's keys open nothing, even under its own prefix", async () => {
    const key = await upload();
    expect((await getAttachment(env, DEMO_WORKSPACE_ID, key))?.bytes).toEqual(PNG);
    const other = "ws_other_enc";
    await addDataKey(env, other, null);
    await addDataKey(env, other, null);
    expect(await getAttachment(env, other, key)).toBeNull();
    // The sealed bytes copied under the other workspace's prefix, metadata and all: still nothing.
    const stored = await raw(key);
    const copy = `${other}/conv_x/att_copy-bowl.png`;
    await env.ATTACHMENTS.put(copy, stored.bytes, { customMetadata: stored.custom });
    expect(await getAttachment(env, other, copy)).toBeNull();
    expect((await download(copy)).status).toBe(404);
  });

  it("objects stored before encryption (no key id) still serve", async () => {
    const legacy = `${DEMO_WORKSPACE_ID}/${visitor.conversationId}/att_legacy-old.png`;
    await env.ATTACHMENTS.put(legacy, PNG, { httpMetadata: { contentType: "image/png" } });
    const res = await download(legacy);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
  });
});
