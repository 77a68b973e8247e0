/**
 * WhatsApp Cloud API webhook parsing against pywa's test fixtures (MIT,
 * test/fixtures/webhooks/whatsapp, provenance in SOURCE.txt).
 */
import { describe, expect, it } from "vitest";
import { WebhookParseError } from "../../../workers/channels/common/errors.ts";
import { parseWhatsAppWebhook } from "../../../workers/channels/whatsapp/parse.ts";
import { fixtureNames, loadFixture } from "./support.ts";

const parse = (name: string) => parseWhatsAppWebhook(loadFixture("whatsapp", name));
const one = (name: string) => {
  const res = parse(name);
  expect(res.messages).toHaveLength(1);
  expect(res.statuses).toEqual([]);
  return res.messages[0];
};
const sender = { externalId: "972987654321", name: "Test Name", phone: "+972987654321" };

const expectations: Record<string, () => void> = {
  "text_message.json": () => {
    expect(one("text_message.json")).toEqual({
      channel: "whatsapp",
      channelMessageId: "wamid.xyzxyz",
      threadKey: "972987654321",
      sender,
      text: "Body Text",
      attachments: [],
      sentAt: 1697043223000,
    });
  },
  "image_message.json": () => {
    const m = one("image_message.json");
    expect(m?.attachments).toEqual([{ kind: "image", providerRef: "65463453", mimeType: "image/jpeg" }]);
    expect(m?.sender).toEqual(sender);
  },
  "document_message.json": () => {
    const m = one("document_message.json");
    expect(m?.text).toBe("caption");
    expect(m?.attachments).toEqual([
      {
        kind: "file",
        providerRef: "1234567890987654321",
        mimeType: "application/pdf",
        fileName: "filename.pdf",
        caption: "caption",
      },
    ]);
    // context.forwarded without an id is not a reply.
    expect(m?.replyToChannelMessageId).toBeUndefined();
  },
  "voice_message.json": () => {
    const m = one("voice_message.json");
    expect(m?.attachments).toEqual([
      { kind: "audio", providerRef: "1234567890987654321", mimeType: "audio/ogg; codecs=opus" },
    ]);
  },
  "location_message.json": () => {
    const m = one("location_message.json");
    expect(m?.attachments).toEqual([{ kind: "location", latitude: 12.25089, longitude: 43.90539 }]);
    expect(m?.sentAt).toBe(1697044557000);
  },
  "reply_message.json": () => {
    const m = one("reply_message.json");
    expect(m?.text).toBe("replied text");
    expect(m?.replyToChannelMessageId).toBe("wamid.xyzxyz==");
  },
  "interactive_button_reply.json": () => {
    const m = one("interactive_button_reply.json");
    expect(m?.action).toEqual({ kind: "button", payload: "callback_data", title: "title" });
    expect(m?.text).toBe("title");
    expect(m?.replyToChannelMessageId).toBe("wamid.xyzxyz");
  },
  "interactive_list_reply.json": () => {
    const m = one("interactive_list_reply.json");
    expect(m?.channelMessageId).toBe("wamid.zyzxyz");
    expect(m?.action).toEqual({ kind: "list_reply", payload: "callback_data", title: "title" });
  },
  "template_quick_reply_button.json": () => {
    const m = one("template_quick_reply_button.json");
    expect(m?.channelMessageId).toBe("wamid.xsidjw");
    expect(m?.action).toEqual({ kind: "quick_reply", payload: "callback_data", title: "title" });
    expect(m?.replyToChannelMessageId).toBe("wamid.xyzxyz==");
  },
  "status_sent.json": () => {
    expect(parse("status_sent.json")).toEqual({
      messages: [],
      statuses: [{ channel: "whatsapp", channelMessageId: "wamid.xyzxyz", status: "sent", at: 1698266945000 }],
      ignored: [],
    });
  },
  "status_delivered.json": () => {
    expect(parse("status_delivered.json").statuses).toEqual([
      { channel: "whatsapp", channelMessageId: "wamid.xyzxyz", status: "delivered", at: 1698266945000 },
    ]);
  },
  "status_read.json": () => {
    expect(parse("status_read.json").statuses).toEqual([
      { channel: "whatsapp", channelMessageId: "wamid.xyzxyz", status: "read", at: 1689380458000 },
    ]);
  },
  "status_failed.json": () => {
    expect(parse("status_failed.json").statuses).toEqual([
      {
        channel: "whatsapp",
        channelMessageId: "wamid.xyzxyz",
        status: "failed",
        at: 1689380458000,
        error: "130472: User's number is part of an experiment",
      },
    ]);
  },
};

describe("parseWhatsAppWebhook fixtures", () => {
  it("has an expectation for every fixture in the dataset", () => {
    expect(fixtureNames("whatsapp")).toEqual(Object.keys(expectations).sort());
  });
  it.each(Object.keys(expectations))("%s", (name) => {
    expectations[name]?.();
  });
});

describe("parseWhatsAppWebhook beyond the fixtures", () => {
  const envelope = (value: unknown, field = "messages") => ({
    object: "whatsapp_business_account",
    entry: [{ id: "1", changes: [{ field, value }] }],
  });

  it("ignores non-message fields and unsupported message types", () => {
    expect(parseWhatsAppWebhook(envelope({ event: "APPROVED" }, "message_template_status_update")).ignored).toEqual([
      "whatsapp:field:message_template_status_update",
    ]);
    const reaction = parseWhatsAppWebhook(
      envelope({
        messages: [{ from: "15550001111", id: "wamid.r", timestamp: "1", type: "reaction", reaction: { emoji: "👍" } }],
      }),
    );
    expect(reaction).toEqual({ messages: [], statuses: [], ignored: ["whatsapp:message:reaction"] });
  });

  it("parses video with caption and keeps messages of several entries", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                messages: [
                  {
                    from: "15550001111",
                    id: "a",
                    timestamp: "10",
                    type: "video",
                    video: { id: "v1", mime_type: "video/mp4", caption: "look" },
                  },
                ],
              },
            },
          ],
        },
        {
          id: "2",
          changes: [
            {
              field: "messages",
              value: {
                messages: [{ from: "15550002222", id: "b", timestamp: "11", type: "text", text: { body: "hi" } }],
              },
            },
          ],
        },
      ],
    };
    const res = parseWhatsAppWebhook(body);
    expect(res.messages.map((m) => m.channelMessageId)).toEqual(["a", "b"]);
    expect(res.messages[0]?.attachments).toEqual([
      { kind: "video", providerRef: "v1", mimeType: "video/mp4", caption: "look" },
    ]);
    expect(res.messages[0]?.sender).toEqual({ externalId: "15550001111", phone: "+15550001111" });
  });

  it.each([
    ["messenger object", { object: "page", entry: [] }],
    ["missing entry", { object: "whatsapp_business_account" }],
    ["message without id", envelope({ messages: [{ from: "1", timestamp: "1", type: "text" }] })],
    [
      "non-numeric timestamp",
      envelope({ messages: [{ from: "1", id: "x", timestamp: "yesterday", type: "text", text: { body: "a" } }] }),
    ],
    ["statuses not an array", envelope({ statuses: {} })],
  ])("rejects %s with WebhookParseError", (_label, body) => {
    expect(() => parseWhatsAppWebhook(body)).toThrow(WebhookParseError);
  });
});
