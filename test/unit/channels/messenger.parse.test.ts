/**
 * Messenger webhook parsing against Meta reference examples and bottender/fbmessenger-api
 * fixtures (test/fixtures/webhooks/messenger, provenance in SOURCE.txt).
 */
import { describe, expect, it } from "vitest";
import { parseMessengerWebhook } from "../../../workers/channels/messenger/parse.ts";
import { WebhookParseError } from "../../../workers/channels/common/errors.ts";
import { fixtureNames, loadFixture } from "./support.ts";

const parse = (name: string) => parseMessengerWebhook(loadFixture("messenger", name));

const expectations: Record<string, () => void> = {
  "message_text.json": () => {
    expect(parse("message_text.json")).toEqual({
      messages: [
        {
          channel: "messenger",
          channelMessageId: "mid.1486464322190:cb04e5a654",
          threadKey: "1412611362105802",
          sender: { externalId: "1412611362105802" },
          text: "text",
          attachments: [],
          sentAt: 1486464322190,
        },
      ],
      statuses: [],
      ignored: [],
    });
  },
  "message_quick_reply.json": () => {
    const [m] = parse("message_quick_reply.json").messages;
    expect(m?.text).toBe("hello, world!");
    expect(m?.action).toEqual({ kind: "quick_reply", payload: "<DEVELOPER_DEFINED_PAYLOAD>", title: "hello, world!" });
  },
  "message_attachment_image.json": () => {
    const [m] = parse("message_attachment_image.json").messages;
    expect(m?.channelMessageId).toBe("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c");
    expect(m?.attachments).toEqual([{ kind: "image", url: "<ATTACHMENT_URL>", providerRef: "<ATTACHMENT_URL>" }]);
    expect(m?.sentAt).toBe(1518479195308);
  },
  "postback.json": () => {
    const [m] = parse("postback.json").messages;
    expect(m).toMatchObject({
      channelMessageId: "USER_ID:postback:1458692752478",
      threadKey: "USER_ID",
      text: "USER_DEFINED_PAYLOAD",
      action: { kind: "postback", payload: "USER_DEFINED_PAYLOAD" },
    });
  },
  "postback_get_started_referral.json": () => {
    const [m] = parse("postback_get_started_referral.json").messages;
    expect(m).toMatchObject({
      threadKey: "1476077422222289",
      text: "Get Started",
      action: { kind: "postback", payload: "__GET_STARTED__", title: "Get Started", ref: "aaaa" },
    });
  },
  "postback_dashboard_test_format.json": () => {
    // Dashboard "test" sample: not a real delivery envelope, rejected with a specific code.
    const run = () => parse("postback_dashboard_test_format.json");
    expect(run).toThrow(WebhookParseError);
    expect(run).toThrow(/App Dashboard test sample/);
    try {
      run();
    } catch (err) {
      expect(err).toBeInstanceOf(WebhookParseError);
      if (err instanceof WebhookParseError) expect(err.code).toBe("dashboard_test_sample");
    }
  },
};

describe("parseMessengerWebhook fixtures", () => {
  it("has an expectation for every fixture in the dataset", () => {
    expect(fixtureNames("messenger")).toEqual(Object.keys(expectations).sort());
  });
  it.each(Object.keys(expectations))("%s", (name) => {
    expectations[name]?.();
  });
});

describe("parseMessengerWebhook beyond the fixtures", () => {
  const page = (messaging: unknown[]) => ({ object: "page", entry: [{ id: "P", time: 1, messaging }] });
  const ev = (extra: Record<string, unknown>) => ({
    sender: { id: "U1" },
    recipient: { id: "P" },
    timestamp: 1000,
    ...extra,
  });

  it("ignores echoes of our own messages", () => {
    const res = parseMessengerWebhook(page([ev({ message: { mid: "m1", text: "hi", is_echo: true } })]));
    expect(res).toEqual({ messages: [], statuses: [], ignored: ["messenger:echo"] });
  });

  it("turns delivery and read watermarks into statuses", () => {
    const res = parseMessengerWebhook(
      page([ev({ delivery: { mids: ["m1", "m2"], watermark: 900 } }), ev({ read: { watermark: 950 } })]),
    );
    expect(res.statuses).toEqual([
      {
        channel: "messenger",
        channelMessageId: "m1",
        status: "delivered",
        at: 1000,
        watermark: { threadKey: "U1", upTo: 900 },
      },
      {
        channel: "messenger",
        channelMessageId: "m2",
        status: "delivered",
        at: 1000,
        watermark: { threadKey: "U1", upTo: 900 },
      },
      {
        channel: "messenger",
        channelMessageId: "U1:read:950",
        status: "read",
        at: 1000,
        watermark: { threadKey: "U1", upTo: 950 },
      },
    ]);
  });

  it("parses file, audio, video and location attachments and replies", () => {
    const res = parseMessengerWebhook(
      page([
        ev({
          message: {
            mid: "m9",
            reply_to: { mid: "m8" },
            attachments: [
              { type: "file", payload: { url: "https://cdn/f.pdf" } },
              { type: "audio", payload: { url: "https://cdn/a.mp4" } },
              { type: "video", payload: { url: "https://cdn/v.mp4" } },
              { type: "location", payload: { coordinates: { lat: 55.75, long: 37.61 } } },
              { type: "fallback", payload: { url: "https://example.com", title: "link" } },
            ],
          },
        }),
      ]),
    );
    const [m] = res.messages;
    expect(m?.replyToChannelMessageId).toBe("m8");
    expect(m?.attachments.map((a) => a.kind)).toEqual(["file", "audio", "video", "location"]);
    expect(m?.attachments[3]).toEqual({ kind: "location", latitude: 55.75, longitude: 37.61 });
  });

  it.each([
    ["whatsapp object", { object: "whatsapp_business_account", entry: [] }],
    [
      "string timestamp",
      {
        object: "page",
        entry: [
          {
            id: "P",
            messaging: [
              { sender: { id: "U" }, recipient: { id: "P" }, timestamp: "1", message: { mid: "m", text: "x" } },
            ],
          },
        ],
      },
    ],
    [
      "message without mid",
      {
        object: "page",
        entry: [
          {
            id: "P",
            messaging: [{ sender: { id: "U" }, recipient: { id: "P" }, timestamp: 1, message: { text: "x" } }],
          },
        ],
      },
    ],
    ["array body", []],
  ])("rejects %s with WebhookParseError", (_label, body) => {
    expect(() => parseMessengerWebhook(body)).toThrow(WebhookParseError);
  });
});
