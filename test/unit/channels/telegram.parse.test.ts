/**
 * Telegram Update parsing against the official Bot API webhook examples and bottender's
 * callback_query fixture (test/fixtures/webhooks/telegram, provenance in SOURCE.txt).
 */
import { describe, expect, it } from "vitest";
import { WebhookParseError } from "../../../workers/channels/common/errors.ts";
import { parseTelegramUpdate } from "../../../workers/channels/telegram/parse.ts";
import { fixtureNames, loadFixture } from "./support.ts";

const NOW = 1_700_000_000_000;
const parse = (name: string) => parseTelegramUpdate(loadFixture("telegram", name), { now: () => NOW });

const expectations: Record<string, () => void> = {
  "message_text.json": () => {
    const { messages, statuses, ignored } = parse("message_text.json");
    expect(statuses).toEqual([]);
    expect(ignored).toEqual([]);
    expect(messages).toEqual([
      {
        channel: "telegram",
        channelMessageId: "1111111:1365",
        threadKey: "1111111",
        sender: { externalId: "1111111", name: "Test Firstname Test Lastname", username: "Testusername" },
        text: "/start",
        attachments: [],
        sentAt: 1441645532000,
      },
    ]);
  },
  "message_reply.json": () => {
    const [m] = parse("message_reply.json").messages;
    expect(m?.text).toBe("/start");
    expect(m?.replyToChannelMessageId).toBe("1111112:1334");
    expect(m?.channelMessageId).toBe("1111111:1365");
  },
  "edited_message.json": () => {
    const [m] = parse("edited_message.json").messages;
    expect(m?.editOf).toBe("1111111:1365");
    expect(m?.channelMessageId).toBe("1111111:1365:edit:1441646600");
    expect(m?.text).toBe("Edited text");
    expect(m?.sentAt).toBe(1441646600000);
  },
  "message_document.json": () => {
    const [m] = parse("message_document.json").messages;
    expect(m?.text).toBe("");
    expect(m?.attachments).toEqual([
      {
        kind: "file",
        providerRef: "AwADBAADbXXXXXXXXXXXGBdhD2l6_XX",
        mimeType: "application/pdf",
        fileName: "Testfile.pdf",
        size: 536392,
      },
    ]);
  },
  "message_voice.json": () => {
    const [m] = parse("message_voice.json").messages;
    expect(m?.attachments).toEqual([
      { kind: "audio", providerRef: "AwADBAADbXXXXXXXXXXXGBdhD2l6_XX", mimeType: "audio/ogg", size: 23000 },
    ]);
  },
  "callback_query_official_inline.json": () => {
    const [m] = parse("callback_query_official_inline.json").messages;
    expect(m).toMatchObject({
      channelMessageId: "4382bfdwdsb323b2d9",
      threadKey: "1111111",
      sender: { externalId: "1111111", username: "Testusername" },
      action: { kind: "button", payload: "Data from button callback" },
      sentAt: NOW,
    });
    // Inline-mode callbacks have no chat message to reply to.
    expect(m?.replyToChannelMessageId).toBeUndefined();
  },
  "callback_query_with_message.json": () => {
    const [m] = parse("callback_query_with_message.json").messages;
    expect(m).toMatchObject({
      channelMessageId: "123",
      threadKey: "427770117",
      replyToChannelMessageId: "427770117:666",
      sender: { externalId: "427770117", name: "user_first user_last", languageCode: "en" },
      action: { kind: "button", payload: "data" },
    });
  },
};

describe("parseTelegramUpdate fixtures", () => {
  it("has an expectation for every fixture in the dataset", () => {
    expect(fixtureNames("telegram")).toEqual(Object.keys(expectations).sort());
  });
  it.each(Object.keys(expectations))("%s", (name) => {
    expectations[name]?.();
  });
});

describe("parseTelegramUpdate shapes beyond the fixtures", () => {
  const base = {
    message_id: 7,
    date: 1700000000,
    chat: { id: 42, type: "private" },
    from: { id: 42, first_name: "Ann" },
  };

  it("keeps the largest photo size and uses the caption as text", () => {
    const { messages } = parseTelegramUpdate({
      update_id: 1,
      message: {
        ...base,
        caption: "broken box",
        photo: [
          { file_id: "small", file_unique_id: "a", width: 90, height: 90, file_size: 1000 },
          { file_id: "large", file_unique_id: "c", width: 1280, height: 1280, file_size: 90000 },
          { file_id: "medium", file_unique_id: "b", width: 320, height: 320, file_size: 9000 },
        ],
      },
    });
    expect(messages[0]?.text).toBe("broken box");
    expect(messages[0]?.attachments).toEqual([
      { kind: "image", providerRef: "large", size: 90000, caption: "broken box" },
    ]);
  });

  it("takes the phone from a self-shared contact only", () => {
    const own = parseTelegramUpdate({
      update_id: 2,
      message: { ...base, contact: { phone_number: "79161234567", first_name: "Ann", user_id: 42 } },
    });
    expect(own.messages[0]?.sender.phone).toBe("+79161234567");
    const other = parseTelegramUpdate({
      update_id: 3,
      message: { ...base, contact: { phone_number: "+1 (415) 555-0100", first_name: "Bob", user_id: 99 } },
    });
    expect(other.messages[0]?.sender.phone).toBeUndefined();
    expect(other.messages[0]?.text).toBe("Bob +1 (415) 555-0100");
  });

  it("ignores update kinds it does not handle", () => {
    const res = parseTelegramUpdate({ update_id: 4, my_chat_member: { chat: { id: 1 } } });
    expect(res).toEqual({ messages: [], statuses: [], ignored: ["telegram:my_chat_member"] });
  });

  it.each([
    ["a string", "hello"],
    ["null", null],
    ["an array", [1, 2]],
    ["no update_id", { message: base }],
    ["a string update_id", { update_id: "1", message: base }],
    ["a message without chat", { update_id: 5, message: { message_id: 1, date: 1 } }],
    ["a callback without id", { update_id: 6, callback_query: { from: { id: 1 } } }],
    ["a message that is a number", { update_id: 7, message: 12 }],
  ])("rejects %s with WebhookParseError", (_label, body) => {
    expect(() => parseTelegramUpdate(body)).toThrow(WebhookParseError);
  });
});
