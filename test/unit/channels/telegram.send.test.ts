/** Telegram Bot API sender against a local fake Bot API server checking real request shapes. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "../../../workers/channels/common/errors.ts";
import {
  answerCallbackQuery,
  getFileUrl,
  inlineKeyboard,
  setWebhook,
  telegramSend,
} from "../../../workers/channels/telegram/send.ts";
import { jsonBody, startFakeServer, type FakeServer } from "./support.ts";

const TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11";
let server: FakeServer;
let cfg: { token: string; apiBase: string };

beforeAll(async () => {
  server = await startFakeServer();
  cfg = { token: TOKEN, apiBase: server.baseUrl };
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const sentMessage = (chatId: number, messageId: number, text: string) => ({
  ok: true,
  result: {
    message_id: messageId,
    from: { id: 123456, is_bot: true, first_name: "Acme", username: "acme_bot" },
    chat: { id: chatId, first_name: "Ann", type: "private" },
    date: 1700000000,
    text,
  },
});

async function sendError(): Promise<ChannelSendError> {
  try {
    await telegramSend(fetch, cfg, 42, { text: "hi" });
  } catch (err) {
    if (err instanceof ChannelSendError) return err;
    throw err;
  }
  throw new Error("expected a ChannelSendError");
}

describe("telegramSend", () => {
  it("POSTs sendMessage with buttons and reply parameters", async () => {
    server.handle(() => ({ status: 200, json: sentMessage(42, 777, "Cancel order #1042?") }));
    const res = await telegramSend(fetch, cfg, 42, {
      text: "Cancel order #1042?",
      buttons: [
        { title: "Yes, cancel", payload: "confirm:act_1" },
        { title: "No", payload: "reject:act_1" },
      ],
      replyToChannelMessageId: "42:1365",
    });
    expect(res).toEqual({ ok: true, providerMessageId: "42:777" });
    const [req] = server.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(jsonBody(req)).toEqual({
      chat_id: 42,
      text: "Cancel order #1042?",
      reply_markup: {
        inline_keyboard: [
          [
            { text: "Yes, cancel", callback_data: "confirm:act_1" },
            { text: "No", callback_data: "reject:act_1" },
          ],
        ],
      },
      reply_parameters: { message_id: 1365, allow_sending_without_reply: true },
    });
  });

  it("sends attachments after the text by URL", async () => {
    server.handle((req) => ({
      status: 200,
      json: req.path.endsWith("sendMessage")
        ? sentMessage(42, 1, "see")
        : { ok: true, result: { message_id: 2, chat: { id: 42 }, date: 1 } },
    }));
    await telegramSend(fetch, cfg, 42, {
      text: "see",
      attachments: [{ url: "https://cdn.example/a.png", mimeType: "image/png" }, { url: "https://cdn.example/i.pdf" }],
    });
    expect(server.requests.map((r) => r.path.split("/").at(-1))).toEqual(["sendMessage", "sendPhoto", "sendDocument"]);
    expect(jsonBody(server.requests[1])).toEqual({ chat_id: 42, photo: "https://cdn.example/a.png" });
    expect(jsonBody(server.requests[2])).toEqual({ chat_id: 42, document: "https://cdn.example/i.pdf" });
  });

  it("429 → retryable with retry_after in ms", async () => {
    server.handle(() => ({
      status: 429,
      json: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 35",
        parameters: { retry_after: 35 },
      },
    }));
    const err = await sendError();
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 35_000, status: 429, code: 429, channel: "telegram" });
  });

  it("500 → retryable", async () => {
    server.handle(() => ({ status: 502, json: undefined }));
    expect(await sendError()).toMatchObject({ retryable: true, status: 502 });
  });

  it("403 blocked and 400 bad request → not retryable", async () => {
    server.handle(() => ({
      status: 403,
      json: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    }));
    const blocked = await sendError();
    expect(blocked).toMatchObject({ retryable: false, status: 403 });
    expect(blocked.message).toContain("bot was blocked");
    server.handle(() => ({
      status: 400,
      json: { ok: false, error_code: 400, description: "Bad Request: chat not found" },
    }));
    expect(await sendError()).toMatchObject({ retryable: false, status: 400 });
  });

  it("rejects callback_data over 64 bytes before calling the API", () => {
    expect(() => inlineKeyboard([{ title: "x", payload: "я".repeat(33) }])).toThrow(ChannelSendError);
    expect(inlineKeyboard([{ title: "x", payload: "я".repeat(32) }])?.inline_keyboard[0]).toHaveLength(1);
    expect(
      inlineKeyboard(["a", "b", "c", "d"].map((p) => ({ title: p, payload: p })))?.inline_keyboard.map((r) => r.length),
    ).toEqual([3, 1]);
  });
});

describe("other Bot API calls", () => {
  it("answerCallbackQuery", async () => {
    server.handle(() => ({ status: 200, json: { ok: true, result: true } }));
    await answerCallbackQuery(fetch, cfg, "4382bfdwdsb323b2d9", "Done");
    expect(server.requests[0]?.path).toBe(`/bot${TOKEN}/answerCallbackQuery`);
    expect(jsonBody(server.requests[0])).toEqual({ callback_query_id: "4382bfdwdsb323b2d9", text: "Done" });
  });

  it("setWebhook sends url, secret_token and allowed_updates; validates the secret", async () => {
    server.handle(() => ({ status: 200, json: { ok: true, result: true, description: "Webhook was set" } }));
    await setWebhook(fetch, cfg, "https://support.example/webhooks/telegram/inbox_1", "s3cr3t_Token-1", [
      "message",
      "callback_query",
    ]);
    expect(jsonBody(server.requests[0])).toEqual({
      url: "https://support.example/webhooks/telegram/inbox_1",
      secret_token: "s3cr3t_Token-1",
      allowed_updates: ["message", "callback_query"],
    });
    await expect(setWebhook(fetch, cfg, "https://x", "has space")).rejects.toThrow(ChannelSendError);
    expect(server.requests).toHaveLength(1);
  });

  it("getFileUrl resolves file_path", async () => {
    server.handle(() => ({
      status: 200,
      json: {
        ok: true,
        result: { file_id: "AwAD", file_unique_id: "u", file_size: 23000, file_path: "voice/file_7.oga" },
      },
    }));
    expect(await getFileUrl(fetch, cfg, "AwAD")).toBe(`${server.baseUrl}/file/bot${TOKEN}/voice/file_7.oga`);
    expect(jsonBody(server.requests[0])).toEqual({ file_id: "AwAD" });
  });
});
