/** Messenger Send API sender against a local fake Graph API server checking real request shapes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { messengerSend } from "../../../workers/channels/messenger/send.ts";
import { ChannelSendError } from "../../../workers/channels/common/errors.ts";
import { jsonBody, startFakeServer, type FakeServer } from "./support.ts";

let server: FakeServer;
let cfg: { pageAccessToken: string; apiBase: string; now: () => number };

beforeAll(async () => {
  server = await startFakeServer();
  cfg = { pageAccessToken: "EAAPage-token", apiBase: server.baseUrl, now: () => 0 };
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe("messengerSend", () => {
  it("POSTs /me/messages with RESPONSE type and quick replies", async () => {
    server.handle(() => ({
      status: 200,
      json: {
        recipient_id: "1412611362105802",
        message_id: "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P",
      },
    }));
    const res = await messengerSend(fetch, cfg, "1412611362105802", {
      text: "Cancel order #1042?",
      buttons: [
        { title: "Yes, cancel it right away", payload: "confirm:act_1" },
        { title: "No", payload: "reject:act_1" },
      ],
    });
    expect(res.providerMessageId).toMatch(/^m_AG5/);
    const [req] = server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/v21.0/me/messages");
    expect(req?.headers.authorization).toBe("Bearer EAAPage-token");
    expect(jsonBody(req)).toEqual({
      recipient: { id: "1412611362105802" },
      messaging_type: "RESPONSE",
      message: {
        text: "Cancel order #1042?",
        quick_replies: [
          { content_type: "text", title: "Yes, cancel it righ…", payload: "confirm:act_1" },
          { content_type: "text", title: "No", payload: "reject:act_1" },
        ],
      },
    });
  });

  it("sends attachments as separate template-free attachment messages", async () => {
    server.handle(() => ({ status: 200, json: { recipient_id: "U", message_id: "m_1" } }));
    await messengerSend(fetch, cfg, "U", {
      text: "Invoice",
      attachments: [{ url: "https://cdn.example/invoice.pdf", mimeType: "application/pdf" }],
    });
    expect(jsonBody(server.requests[1])).toEqual({
      recipient: { id: "U" },
      messaging_type: "RESPONSE",
      message: {
        attachment: { type: "file", payload: { url: "https://cdn.example/invoice.pdf", is_reusable: false } },
      },
    });
  });

  it("classifies Graph errors", async () => {
    const attempt = async () => {
      try {
        await messengerSend(fetch, cfg, "U", { text: "hi" });
      } catch (err) {
        if (err instanceof ChannelSendError) return err;
        throw err;
      }
      throw new Error("expected ChannelSendError");
    };
    server.handle(() => ({
      status: 400,
      json: {
        error: { message: "(#613) Calls to this api have exceeded the rate limit.", type: "OAuthException", code: 613 },
      },
      headers: { "retry-after": "5" },
    }));
    expect(await attempt()).toMatchObject({ retryable: true, code: 613, retryAfterMs: 5000, channel: "messenger" });
    server.handle(() => ({ status: 503, json: undefined }));
    expect(await attempt()).toMatchObject({ retryable: true, status: 503 });
    server.handle(() => ({
      status: 400,
      json: {
        error: {
          message: "(#551) This person isn't available right now.",
          type: "OAuthException",
          code: 551,
          error_subcode: 1545041,
        },
      },
    }));
    expect(await attempt()).toMatchObject({ retryable: false, code: 551 });
  });

  it("rejects invalid quick replies before calling the API", async () => {
    await expect(
      messengerSend(fetch, cfg, "U", {
        text: "x",
        buttons: Array.from({ length: 14 }, (_, i) => ({ title: `t${i}`, payload: `p${i}` })),
      }),
    ).rejects.toThrow(ChannelSendError);
    expect(server.requests).toHaveLength(0);
  });
});
