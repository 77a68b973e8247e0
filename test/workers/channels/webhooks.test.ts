/**
 * The webhook edge through the real routes: every published fixture is accepted and
 * journaled; authentication and parsing failures are refused and store nothing; the
 * same update delivered twice is stored once; Meta's GET handshake and HMAC vectors.
 * Fixtures: test/fixtures/webhooks (see its SOURCE.txt files).
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import vectors from "../../fixtures/webhooks/signature_vectors.json";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { getConfig } from "../../../workers/lib/config.ts";
import { encryptJson } from "../../../workers/lib/secrets.ts";
import { utf8 } from "../../../workers/channels/common/crypto.ts";
import { verifyMetaSignature, verifyMetaSignatureSha1 } from "../../../workers/channels/common/meta.ts";
import { parseTelegramUpdate } from "../../../workers/channels/telegram/parse.ts";
import { parseWhatsAppWebhook } from "../../../workers/channels/whatsapp/parse.ts";
import { parseMessengerWebhook } from "../../../workers/channels/messenger/parse.ts";
import type { ParsedWebhook } from "../../../workers/channels/types.ts";
import { seedDemo } from "../helpers.ts";
import {
  counts,
  eventsFor,
  fixture,
  fixtures,
  json,
  META_VERIFY_TOKEN,
  metaSignature,
  mockFetch,
  postMeta,
  postTelegram,
  send,
} from "./support.ts";

beforeAll(async () => {
  await seedDemo();
});

/** (kind, provider id) pairs a body should leave in the journal, computed with the same parsers. */
function idsOf(parsed: ParsedWebhook): Array<["message" | "status", string]> {
  const out: Array<["message" | "status", string]> = [];
  for (const m of parsed.messages) out.push(["message", m.channelMessageId]);
  for (const s of parsed.statuses) out.push(["status", s.channelMessageId]);
  return out;
}

async function expectJournaled(ids: Array<["message" | "status", string]>): Promise<void> {
  expect(ids.length).toBeGreaterThan(0);
  for (const [kind, id] of ids)
    expect(
      (await eventsFor(id)).filter((e) => e.kind === kind && e.inboxId.startsWith("demo-")).length,
      `${kind} ${id}`,
    ).toBe(1);
}

// Provider APIs (media downloads, callback answers) are unreachable offline; answer 404 so
// processing takes its best-effort path without touching the network.
let fetchMock: ReturnType<typeof mockFetch>;
beforeEach(() => {
  fetchMock = mockFetch(() => json({ error: { message: "not found", code: 100 } }, 404));
});
afterEach(() => fetchMock.restore());

describe("every published fixture is accepted through the real route", () => {
  it("has fixtures for all three providers", () => {
    expect(fixtures("telegram").length).toBeGreaterThanOrEqual(7);
    expect(fixtures("whatsapp").length).toBeGreaterThanOrEqual(13);
    expect(fixtures("messenger").length).toBeGreaterThanOrEqual(6);
  });

  it.each(fixtures("telegram"))("telegram %s", async (_name, body) => {
    const res = await postTelegram(body);
    expect(res.status).toBe(200);
    await expectJournaled(idsOf(parseTelegramUpdate(JSON.parse(body))));
  });

  it.each(fixtures("whatsapp"))("whatsapp %s", async (_name, body) => {
    const res = await postMeta("whatsapp", body);
    expect(res.status).toBe(200);
    await expectJournaled(idsOf(parseWhatsAppWebhook(JSON.parse(body))));
  });

  it.each(fixtures("messenger").filter(([n]) => n !== "postback_dashboard_test_format.json"))(
    "messenger %s",
    async (_name, body) => {
      const res = await postMeta("messenger", body);
      expect(res.status).toBe(200);
      await expectJournaled(idsOf(parseMessengerWebhook(JSON.parse(body))));
    },
  );

  it("rejects the Messenger App Dashboard test sample with 400 and stores nothing", async () => {
    const before = await counts();
    const res = await postMeta("messenger", fixture("messenger", "postback_dashboard_test_format.json"));
    expect(res.status).toBe(400);
    const body: { error: { code: string } } = await res.json();
    expect(body.error.code).toBe("dashboard_test_sample");
    expect(await counts()).toEqual(before);
  });
});

describe("refused requests store nothing", () => {
  const tg = fixture("telegram", "message_text.json");
  const wa = fixture("whatsapp", "text_message.json");

  const cases: Array<[string, () => Promise<Response>, number]> = [
    ["telegram without the secret header", () => postTelegram(tg, { secret: null }), 401],
    ["telegram with a wrong secret", () => postTelegram(tg, { secret: "dev-telegram-secreT" }), 401],
    ["telegram to an unknown inbox", () => postTelegram(tg, { inboxId: "no-such-inbox" }), 404],
    ["telegram to an inbox of another channel", () => postTelegram(tg, { inboxId: "demo-whatsapp" }), 404],
    ["telegram with malformed JSON", () => postTelegram('{"update_id": 1, "message":'), 400],
    [
      "telegram with JSON that is not an update",
      () => postTelegram(JSON.stringify({ update_id: "x", message: 5 })),
      400,
    ],
    ["whatsapp without a signature", () => postMeta("whatsapp", wa, { signature: null }), 401],
    [
      "whatsapp with a tampered body",
      async () => {
        const signature = await metaSignature(wa);
        return postMeta("whatsapp", wa.replace("Body Text", "Body Texx"), { signature });
      },
      403,
    ],
    [
      "whatsapp signed with another secret",
      async () => postMeta("whatsapp", wa, { signature: await metaSignature(wa, "another-secret") }),
      403,
    ],
    ["whatsapp with a garbled signature header", () => postMeta("whatsapp", wa, { signature: "sha256=zz" }), 403],
    [
      "whatsapp with a sha1 header in place of sha256",
      () => postMeta("whatsapp", wa, { signature: "sha1=0d814d436b45c33ef664a317ff4b8dc2d3d8fe2a" }),
      403,
    ],
    ["whatsapp with malformed JSON (correctly signed)", () => postMeta("whatsapp", "{not json"), 400],
    [
      "whatsapp with a body of the wrong shape (correctly signed)",
      () => postMeta("whatsapp", JSON.stringify({ object: "whatsapp_business_account", entry: "nope" })),
      400,
    ],
    [
      "messenger with a tampered body",
      async () => {
        const body = fixture("messenger", "message_text.json");
        const signature = await metaSignature(body);
        return postMeta("messenger", body.replace('"text": "text"', '"text": "hacked"'), { signature });
      },
      403,
    ],
  ];

  it.each(cases)("%s", async (_label, run, status) => {
    const before = await counts();
    const res = await run();
    expect(res.status).toBe(status);
    const body: { error: { code: string; message: string } } = await res.json();
    expect(body.error.code).toEqual(expect.any(String));
    expect(await counts()).toEqual(before);
  });
});

describe("Meta GET verification", () => {
  it("echoes the challenge for the right verify token", async () => {
    for (const channel of ["whatsapp", "messenger"]) {
      const res = await send(
        `/webhooks/${channel}/demo-${channel}?hub.mode=subscribe&hub.verify_token=${META_VERIFY_TOKEN}&hub.challenge=1158201444`,
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("1158201444");
    }
  });

  it("refuses a wrong token (403), a wrong mode (403) and missing parameters (400), storing nothing", async () => {
    const before = await counts();
    expect(
      (await send("/webhooks/whatsapp/demo-whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")).status,
    ).toBe(403);
    expect(
      (
        await send(
          `/webhooks/messenger/demo-messenger?hub.mode=unsubscribe&hub.verify_token=${META_VERIFY_TOKEN}&hub.challenge=1`,
        )
      ).status,
    ).toBe(403);
    expect((await send("/webhooks/whatsapp/demo-whatsapp?hub.mode=subscribe&hub.challenge=1")).status).toBe(400);
    expect(
      (
        await send(
          `/webhooks/whatsapp/unknown?hub.mode=subscribe&hub.verify_token=${META_VERIFY_TOKEN}&hub.challenge=1`,
        )
      ).status,
    ).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe("signature vectors", () => {
  it("verifies the published vectors", async () => {
    const [sha1, sha256] = vectors.published;
    expect(sha1 && sha256).toBeTruthy();
    if (!sha1 || !sha256) return;
    expect(await verifyMetaSignatureSha1(utf8(sha1.body), sha1.value, sha1.secret)).toBe(true);
    expect(await verifyMetaSignature(utf8(sha256.body), sha256.value, sha256.secret)).toBe(true);
    expect(await verifyMetaSignature(utf8(`${sha256.body} `), sha256.value, sha256.secret)).toBe(false);
  });

  it("accepts the computed vectors through the route of an inbox whose app secret is theirs", async () => {
    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    const secretsEnc = await encryptJson(
      { accessToken: "t", appSecret: "test_app_secret", verifyToken: "v", pageAccessToken: "t" },
      getConfig(env).encryptionKey,
    );
    await tdb.db
      .insert(schema.inboxes)
      .values([
        {
          id: "vector-whatsapp",
          workspaceId: DEMO_WORKSPACE_ID,
          name: "vectors",
          channel: "whatsapp",
          settings: { phoneNumberId: "1" },
          secretsEnc,
        },
        {
          id: "vector-messenger",
          workspaceId: DEMO_WORKSPACE_ID,
          name: "vectors",
          channel: "messenger",
          settings: {},
          secretsEnc,
        },
      ])
      .onConflictDoNothing();
    const computed = vectors.computed_by_us.filter((v) => "file" in v && v.file);
    expect(computed.length).toBe(3);
    for (const v of computed) {
      if (!("file" in v) || !v.body || !v.file) continue;
      const channel = v.file.startsWith("whatsapp") ? "whatsapp" : "messenger";
      const res = await send(`/webhooks/${channel}/vector-${channel}`, {
        method: "POST",
        headers: { "x-hub-signature-256": v["X-Hub-Signature-256"] },
        body: v.body,
      });
      expect(res.status, v.file).toBe(200);
    }
  });
});

describe("dedupe", () => {
  it("stores the same update once when it is delivered twice", async () => {
    const update = JSON.stringify({
      update_id: 777001,
      message: {
        message_id: 42,
        date: 1700000000,
        chat: { id: 5550001, type: "private" },
        from: { id: 5550001, is_bot: false, first_name: "Dup" },
        text: "twice",
      },
    });
    const first = await postTelegram(update);
    const second = await postTelegram(update);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await second.json()).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await eventsFor("5550001:42")).toHaveLength(1);
    const stored = await rawDb(env.DB).select().from(schema.messages).all();
    expect(stored.filter((m) => m.channelMessageId === "5550001:42")).toHaveLength(1);
  });

  it("stores a WhatsApp batch redelivered by Meta once", async () => {
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "1", phone_number_id: "106540352242922" },
                contacts: [{ profile: { name: "Dana" }, wa_id: "972509990001" }],
                messages: [
                  {
                    from: "972509990001",
                    id: "wamid.dedupe-1",
                    timestamp: "1700000000",
                    type: "text",
                    text: { body: "hi" },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    expect((await postMeta("whatsapp", body)).status).toBe(200);
    const before = await counts();
    expect((await postMeta("whatsapp", body)).status).toBe(200);
    expect(await counts()).toEqual(before);
    expect(await eventsFor("wamid.dedupe-1")).toHaveLength(1);
  });
});
