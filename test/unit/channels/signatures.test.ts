/**
 * Webhook authentication: every vector in test/fixtures/webhooks/signature_vectors.json
 * (published vectors from bottender and whatsapp_sdk docs, plus vectors computed from the
 * pywa/bottender fixtures) must verify; tampering, wrong secrets and missing headers fail.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  bytesToHex,
  hexToBytes,
  hmacSha256Hex,
  timingSafeEqual,
  utf8,
} from "../../../workers/channels/common/crypto.ts";
import {
  verifyMetaChallenge,
  verifyMetaSignature,
  verifyMetaSignatureSha1,
} from "../../../workers/channels/common/meta.ts";
import { verifyTelegram } from "../../../workers/channels/telegram/verify.ts";
import { WEBHOOKS_DIR } from "./support.ts";

const Vectors = z.object({
  published: z.array(z.object({ secret: z.string(), body: z.string(), header: z.string(), value: z.string() })),
  computed_by_us: z.array(
    z.object({
      file: z.string().optional(),
      case: z.string().optional(),
      secret: z.string().optional(),
      body: z.string().optional(),
      "X-Hub-Signature-256": z.string(),
    }),
  ),
});
const vectors = Vectors.parse(JSON.parse(readFileSync(`${WEBHOOKS_DIR}/signature_vectors.json`, "utf8")));

/** The last computed vector only names its inputs in prose: "rawBody with FAKE_SECRET, sha256". */
function computedInputs(v: (typeof vectors.computed_by_us)[number]): { secret: string; body: string } {
  if (v.secret !== undefined && v.body !== undefined) return { secret: v.secret, body: v.body };
  const m = /^(\S+) with (\S+), sha256$/.exec(v.case ?? "");
  if (!m?.[1] || !m[2]) throw new Error(`cannot derive inputs for vector ${JSON.stringify(v)}`);
  return { body: m[1], secret: m[2] };
}

function tamper(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

describe("crypto primitives", () => {
  it("timingSafeEqual compares content and length", () => {
    expect(timingSafeEqual(utf8("abc"), utf8("abc"))).toBe(true);
    expect(timingSafeEqual(utf8("abc"), utf8("abd"))).toBe(false);
    expect(timingSafeEqual(utf8("abc"), utf8("abcd"))).toBe(false);
    expect(timingSafeEqual(utf8("abcd"), utf8("abc"))).toBe(false);
    // A prefix padded with zero bytes must not compare equal to the shorter value.
    expect(timingSafeEqual(new Uint8Array([1, 2, 0]), new Uint8Array([1, 2]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(), new Uint8Array())).toBe(true);
  });

  it("hex round-trips and rejects non-hex", () => {
    const bytes = new Uint8Array([0, 15, 16, 255]);
    expect(bytesToHex(bytes)).toBe("000f10ff");
    expect(hexToBytes("000F10ff")).toEqual(bytes);
    expect(hexToBytes("abc")).toBeNull();
    expect(hexToBytes("zz")).toBeNull();
  });

  it("hmacSha256Hex matches the published whatsapp_sdk vector", async () => {
    expect(await hmacSha256Hex("secret", utf8("test"))).toBe(
      "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914",
    );
  });

  it("keeps imported keys apart per secret and per hash (the key cache)", async () => {
    const body = utf8("same body");
    const header = `sha256=${await hmacSha256Hex("secret-a", body)}`;
    // Interleaved, repeated: a key remembered for one secret never verifies for another.
    for (let i = 0; i < 3; i++) {
      expect(await verifyMetaSignature(body, header, "secret-a")).toBe(true);
      expect(await verifyMetaSignature(body, header, "secret-b")).toBe(false);
    }
    expect(await verifyMetaSignatureSha1(body, header.replace("sha256=", "sha1="), "secret-a")).toBe(false);
    // More secrets than the cache holds: still right after it was cleared.
    for (let i = 0; i < 70; i++) await hmacSha256Hex(`other-${i}`, body);
    expect(await verifyMetaSignature(body, header, "secret-a")).toBe(true);
  });
});

describe("Meta X-Hub-Signature vectors", () => {
  it.each(vectors.published)("published $header for body $body verifies", async (v) => {
    const verify = v.header === "X-Hub-Signature-256" ? verifyMetaSignature : verifyMetaSignatureSha1;
    expect(await verify(utf8(v.body), v.value, v.secret)).toBe(true);
    expect(await verify(utf8(`${v.body}x`), v.value, v.secret)).toBe(false);
    expect(await verify(utf8(v.body), v.value, `${v.secret}x`)).toBe(false);
  });

  it.each(vectors.computed_by_us)("computed vector $file$case verifies and rejects tampering", async (v) => {
    const { secret, body } = computedInputs(v);
    const raw = utf8(body);
    const header = v["X-Hub-Signature-256"];
    expect(await verifyMetaSignature(raw, header, secret)).toBe(true);
    // Upper-case hex is the same signature.
    expect(await verifyMetaSignature(raw, `sha256=${header.slice(7).toUpperCase()}`, secret)).toBe(true);
    expect(await verifyMetaSignature(tamper(raw, 0), header, secret)).toBe(false);
    expect(await verifyMetaSignature(tamper(raw, raw.length - 1), header, secret)).toBe(false);
    expect(await verifyMetaSignature(raw, header, "wrong_secret")).toBe(false);
    expect(await verifyMetaSignature(raw, null, secret)).toBe(false);
    expect(await verifyMetaSignature(raw, header.slice(0, -2), secret)).toBe(false);
    expect(await verifyMetaSignature(raw, header.replace("sha256=", "sha1="), secret)).toBe(false);
    expect(await verifyMetaSignature(raw, header, "")).toBe(false);
  });

  it("computed vectors were signed over the compact JSON of their fixture files", () => {
    for (const v of vectors.computed_by_us) {
      if (!v.file || !v.body) continue;
      const fileJson: unknown = JSON.parse(readFileSync(`${WEBHOOKS_DIR}/${v.file}`, "utf8"));
      expect(JSON.stringify(fileJson)).toBe(v.body);
    }
  });

  it("re-serialised JSON with different whitespace does not verify (raw bytes only)", async () => {
    const v = vectors.computed_by_us.find((x) => x.file === "whatsapp/text_message.json");
    if (!v?.body || !v.secret) throw new Error("vector missing");
    const pretty = JSON.stringify(JSON.parse(v.body), null, 2);
    expect(await verifyMetaSignature(utf8(pretty), v["X-Hub-Signature-256"], v.secret)).toBe(false);
  });
});

describe("Meta GET challenge", () => {
  const url = (q: string) => new URL(`https://example.com/webhooks/whatsapp?${q}`);

  it("echoes the challenge for the right token", () => {
    expect(
      verifyMetaChallenge(url("hub.mode=subscribe&hub.verify_token=tok123&hub.challenge=1158201444"), "tok123"),
    ).toEqual({ ok: true, challenge: "1158201444" });
  });

  it("403 for a wrong token or mode", () => {
    expect(verifyMetaChallenge(url("hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1"), "tok123")).toEqual({
      ok: false,
      status: 403,
    });
    expect(verifyMetaChallenge(url("hub.mode=unsubscribe&hub.verify_token=tok123&hub.challenge=1"), "tok123")).toEqual({
      ok: false,
      status: 403,
    });
    expect(verifyMetaChallenge(url("hub.mode=subscribe&hub.verify_token=&hub.challenge=1"), "")).toEqual({
      ok: false,
      status: 403,
    });
  });

  it("400 when a parameter is missing", () => {
    expect(verifyMetaChallenge(url("hub.mode=subscribe&hub.verify_token=tok123"), "tok123")).toEqual({
      ok: false,
      status: 400,
    });
    expect(verifyMetaChallenge(url("hub.verify_token=tok123&hub.challenge=1"), "tok123")).toEqual({
      ok: false,
      status: 400,
    });
    expect(verifyMetaChallenge(url(""), "tok123")).toEqual({ ok: false, status: 400 });
  });
});

describe("Telegram secret token", () => {
  const secret = "s3cr3t_Token-1";
  it("accepts the matching header", () => {
    expect(verifyTelegram(new Headers({ "X-Telegram-Bot-Api-Secret-Token": secret }), secret)).toBe(true);
  });
  it("rejects missing, wrong, prefix and empty-secret cases", () => {
    expect(verifyTelegram(new Headers(), secret)).toBe(false);
    expect(verifyTelegram(new Headers({ "X-Telegram-Bot-Api-Secret-Token": "other" }), secret)).toBe(false);
    expect(verifyTelegram(new Headers({ "X-Telegram-Bot-Api-Secret-Token": secret.slice(0, -1) }), secret)).toBe(false);
    expect(verifyTelegram(new Headers({ "X-Telegram-Bot-Api-Secret-Token": "" }), "")).toBe(false);
  });
});
