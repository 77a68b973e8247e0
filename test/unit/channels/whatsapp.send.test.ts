/** WhatsApp Cloud API sender against a local fake Graph API server checking real request shapes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "../../../workers/channels/common/errors.ts";
import {
  downloadWhatsAppMedia,
  interactiveFor,
  isWithinCustomerServiceWindow,
  whatsappSend,
  whatsappSendTemplate,
} from "../../../workers/channels/whatsapp/send.ts";
import { jsonBody, startFakeServer, type FakeServer } from "./support.ts";

let server: FakeServer;
let cfg: { token: string; phoneNumberId: string; apiBase: string; now: () => number };

beforeAll(async () => {
  server = await startFakeServer();
  cfg = { token: "EAAG-test-token", phoneNumberId: "1122334455667", apiBase: server.baseUrl, now: () => 0 };
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const ok = (id: string) => ({
  status: 200,
  json: {
    messaging_product: "whatsapp",
    contacts: [{ input: "972987654321", wa_id: "972987654321" }],
    messages: [{ id }],
  },
});
const graphError = (status: number, code: number, message: string, headers?: Record<string, string>) => ({
  status,
  json: { error: { message, type: "OAuthException", code, fbtrace_id: "AbCdEf" } },
  ...(headers ? { headers } : {}),
});

async function failure(): Promise<ChannelSendError> {
  try {
    await whatsappSend(fetch, cfg, "+972987654321", { text: "hi" });
  } catch (err) {
    if (err instanceof ChannelSendError) return err;
    throw err;
  }
  throw new Error("expected ChannelSendError");
}

describe("whatsappSend", () => {
  it("POSTs a text message with bearer auth and reply context", async () => {
    server.handle(() => ok("wamid.HBgLOTcy"));
    const res = await whatsappSend(fetch, cfg, "+972987654321", {
      text: "Your order shipped.",
      replyToChannelMessageId: "wamid.xyzxyz",
    });
    expect(res).toEqual({ ok: true, providerMessageId: "wamid.HBgLOTcy" });
    const [req] = server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/v21.0/1122334455667/messages");
    expect(req?.headers.authorization).toBe("Bearer EAAG-test-token");
    expect(jsonBody(req)).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "972987654321",
      context: { message_id: "wamid.xyzxyz" },
      type: "text",
      text: { body: "Your order shipped.", preview_url: false },
    });
  });

  it("renders ≤ 3 buttons as reply buttons with titles truncated to 20 chars", async () => {
    server.handle(() => ok("wamid.btn"));
    await whatsappSend(fetch, cfg, "972987654321", {
      text: "Cancel order #1042?",
      buttons: [
        { title: "Yes, cancel my order right now", payload: "confirm:act_1" },
        { title: "Нет, оставить заказ как есть", payload: "reject:act_1" },
      ],
    });
    expect(jsonBody(server.requests[0])).toMatchObject({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Cancel order #1042?" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "confirm:act_1", title: "Yes, cancel my orde…" } },
            { type: "reply", reply: { id: "reject:act_1", title: "Нет, оставить заказ…" } },
          ],
        },
      },
    });
  });

  it("uses a list for 4–10 options and refuses more", () => {
    const opts = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `Option ${i}`, payload: `p${i}` }));
    expect(interactiveFor("Pick", opts(4))).toMatchObject({
      type: "list",
      action: { button: "Choose", sections: [{ rows: [{ id: "p0", title: "Option 0" }, {}, {}, {}] }] },
    });
    expect(() => interactiveFor("Pick", opts(11))).toThrow(ChannelSendError);
  });

  it("sends templates with language and components", async () => {
    server.handle(() => ok("wamid.tpl"));
    await whatsappSendTemplate(fetch, cfg, "972987654321", {
      name: "order_update",
      languageCode: "en_US",
      components: [{ type: "body", parameters: [{ type: "text", text: "#1042" }] }],
    });
    expect(jsonBody(server.requests[0])).toMatchObject({
      to: "972987654321",
      type: "template",
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [{ type: "body", parameters: [{ type: "text", text: "#1042" }] }],
      },
    });
  });

  it("throttling codes are retryable with backoff", async () => {
    server.handle(() => graphError(429, 130429, "(#130429) Rate limit hit"));
    expect(await failure()).toMatchObject({ retryable: true, status: 429, code: 130429, retryAfterMs: 1000 });
    server.handle(() => graphError(400, 80007, "(#80007) Rate limit issues"));
    expect(await failure()).toMatchObject({ retryable: true, code: 80007 });
    server.handle(() => graphError(400, 4, "(#4) Application request limit reached", { "retry-after": "20" }));
    expect(await failure()).toMatchObject({ retryable: true, code: 4, retryAfterMs: 20_000 });
  });

  it("5xx is retryable; policy errors are not", async () => {
    server.handle(() => graphError(500, 131000, "Something went wrong"));
    expect(await failure()).toMatchObject({ retryable: true, status: 500 });
    server.handle(() => graphError(400, 131047, "Re-engagement message"));
    const outside = await failure();
    expect(outside).toMatchObject({ retryable: false, code: 131047 });
    expect(outside.retryAfterMs).toBeUndefined();
    server.handle(() => graphError(401, 190, "Invalid OAuth access token"));
    expect(await failure()).toMatchObject({ retryable: false, status: 401 });
  });
});

describe("downloadWhatsAppMedia", () => {
  it("resolves the media id to a URL and downloads the bytes with the bearer token", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    server.handle((req, base) =>
      req.path === "/v21.0/65463453"
        ? {
            status: 200,
            json: {
              messaging_product: "whatsapp",
              url: `${base}/whatsapp_business/attachments/?mid=65463453&ext=1`,
              mime_type: "image/jpeg",
              sha256: "x",
              file_size: 7,
              id: "65463453",
            },
          }
        : { status: 200, bytes: png },
    );
    const media = await downloadWhatsAppMedia(fetch, cfg, "65463453");
    expect(media.mimeType).toBe("image/jpeg");
    expect(media.bytes).toEqual(png);
    expect(server.requests.map((r) => [r.method, r.headers.authorization])).toEqual([
      ["GET", "Bearer EAAG-test-token"],
      ["GET", "Bearer EAAG-test-token"],
    ]);
    expect(server.requests[1]?.path).toBe("/whatsapp_business/attachments/?mid=65463453&ext=1");
  });

  it("surfaces an expired media id as a non-retryable error", async () => {
    server.handle(() => graphError(404, 100, "Unsupported get request"));
    await expect(downloadWhatsAppMedia(fetch, cfg, "gone")).rejects.toMatchObject({ retryable: false, status: 404 });
  });
});

describe("isWithinCustomerServiceWindow", () => {
  const H = 60 * 60 * 1000;
  const now = 1_700_000_000_000;
  it("is open for 24 hours after the last inbound message", () => {
    expect(isWithinCustomerServiceWindow(now - 23 * H, now)).toBe(true);
    expect(isWithinCustomerServiceWindow(now - 24 * H + 1, now)).toBe(true);
    expect(isWithinCustomerServiceWindow(now - 24 * H, now)).toBe(false);
    expect(isWithinCustomerServiceWindow(now + 5000, now)).toBe(true);
    expect(isWithinCustomerServiceWindow(undefined, now)).toBe(false);
    expect(isWithinCustomerServiceWindow(null, now)).toBe(false);
  });
});
