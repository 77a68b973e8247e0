/**
 * Flow options on every channel, against the real payload shapes: what the channel
 * senders build from the rendered buttons, and the provider's button-press webhook
 * (fixtures in test/fixtures/webhooks, see SOURCE.txt) parsed back into an answer the
 * interpreter accepts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderForChannel } from "../../../workers/flows/render.ts";
import { advance, initialState, type FlowInput } from "../../../workers/flows/engine.ts";
import { inlineKeyboard } from "../../../workers/channels/telegram/send.ts";
import { interactiveFor } from "../../../workers/channels/whatsapp/send.ts";
import { quickRepliesFor } from "../../../workers/channels/messenger/send.ts";
import { parseTelegramUpdate } from "../../../workers/channels/telegram/parse.ts";
import { parseWhatsAppWebhook } from "../../../workers/channels/whatsapp/parse.ts";
import { parseMessengerWebhook } from "../../../workers/channels/messenger/parse.ts";
import type { InboundMessage } from "../../../workers/channels/types.ts";
import { ctx, graph, t } from "./support.ts";

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/webhooks/${name}`, import.meta.url), "utf8");

function menu(n: number) {
  return graph({
    start: "m",
    nodes: [
      {
        id: "m",
        type: "buttons",
        text: t("Pick one"),
        buttons: Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}`, title: t(`Option ${i + 1}`) })),
      },
      { id: "end", type: "end" },
    ],
    edges: Array.from({ length: n }, (_, i) => ({ id: `e${i}`, from: "m", to: "end", on: `o${i + 1}` })),
  });
}

function firstMessage(n: number) {
  const g = menu(n);
  const r = advance(g, initialState("f", 1, g), { type: "start" }, ctx());
  const msg = r.outputs.find((o) => o.kind === "message");
  if (!msg || msg.kind !== "message") throw new Error("no message");
  return { g, state: r.state, msg };
}

/** A channel's button press as the room sees it: the action payload, else the text. */
function toInput(m: InboundMessage | undefined): FlowInput {
  if (!m) throw new Error("no message parsed");
  return m.action ? { type: "button", payload: m.action.payload } : { type: "text", text: m.text };
}

describe("flow options per channel", () => {
  it("Telegram: an inline keyboard whose callback_data comes back in callback_query.data", () => {
    const { g, state, msg } = firstMessage(3);
    const r = renderForChannel("telegram", msg.text, msg.buttons);
    const keyboard = inlineKeyboard(r.buttons);
    expect(keyboard?.inline_keyboard.flat()).toEqual([
      { text: "Option 1", callback_data: "flow:o1" },
      { text: "Option 2", callback_data: "flow:o2" },
      { text: "Option 3", callback_data: "flow:o3" },
    ]);
    const update = fixture("telegram_callback_query.json").replace('"data": "data"', '"data": "flow:o2"');
    const parsed = parseTelegramUpdate(JSON.parse(update));
    const next = advance(g, state, toInput(parsed.messages[0]), ctx());
    expect(next.state.status).toBe("ended");
    expect(next.consumed).toBe(true);
  });

  it("WhatsApp: reply buttons up to 3, a list beyond; both replies map back", () => {
    const three = firstMessage(3);
    const r3 = renderForChannel("whatsapp", three.msg.text, three.msg.buttons);
    expect(interactiveFor(r3.text, r3.buttons)).toMatchObject({
      type: "button",
      action: { buttons: [{ type: "reply", reply: { id: "flow:o1", title: "Option 1" } }, {}, {}] },
    });
    const five = firstMessage(5);
    const r5 = renderForChannel("whatsapp", five.msg.text, five.msg.buttons);
    const list = interactiveFor(r5.text, r5.buttons);
    expect(list).toMatchObject({ type: "list" });
    expect(JSON.stringify(list)).toContain('"id":"flow:o5"');

    const button = parseWhatsAppWebhook(
      JSON.parse(fixture("whatsapp_button_reply.json").replace('"callback_data"', '"flow:o3"')),
    );
    expect(advance(three.g, three.state, toInput(button.messages[0]), ctx()).state.status).toBe("ended");
    const row = parseWhatsAppWebhook(
      JSON.parse(fixture("whatsapp_list_reply.json").replace('"callback_data"', '"flow:o5"')),
    );
    expect(advance(five.g, five.state, toInput(row.messages[0]), ctx()).state.status).toBe("ended");
  });

  it("Messenger: quick replies whose payload comes back in quick_reply.payload", () => {
    const { g, state, msg } = firstMessage(4);
    const r = renderForChannel("messenger", msg.text, msg.buttons);
    expect(quickRepliesFor(r.buttons)).toEqual([
      { content_type: "text", title: "Option 1", payload: "flow:o1" },
      { content_type: "text", title: "Option 2", payload: "flow:o2" },
      { content_type: "text", title: "Option 3", payload: "flow:o3" },
      { content_type: "text", title: "Option 4", payload: "flow:o4" },
    ]);
    const parsed = parseMessengerWebhook(
      JSON.parse(fixture("messenger_quick_reply.json").replace("<DEVELOPER_DEFINED_PAYLOAD>", "flow:o4")),
    );
    expect(advance(g, state, toInput(parsed.messages[0]), ctx()).state.status).toBe("ended");
  });

  it("Email: numbered plain text, and the number is the answer", () => {
    const { g, state, msg } = firstMessage(3);
    const r = renderForChannel("email", msg.text, msg.buttons);
    expect(r).toEqual({
      text: "Pick one\n\n1. Option 1\n2. Option 2\n3. Option 3\n\nReply with the number of your choice.",
      buttons: [],
    });
    expect(advance(g, state, { type: "text", text: "3" }, ctx()).state.status).toBe("ended");
    // Russian prompt for Russian conversations.
    expect(renderForChannel("email", "x", msg.buttons, "ru").text).toContain("Ответьте номером варианта.");
  });

  it("beyond a channel's limit options become numbered text; action buttons are left alone", () => {
    const { msg } = firstMessage(10);
    const many = [...msg.buttons, ...msg.buttons.map((b) => ({ ...b, payload: `${b.payload}x` }))];
    expect(renderForChannel("messenger", "Pick", many).buttons).toEqual([]);
    expect(renderForChannel("widget", "Pick", msg.buttons).buttons).toHaveLength(10);
    const confirm = [
      { title: "Confirm", payload: "action:confirm:a1" },
      { title: "Cancel", payload: "action:cancel:a1" },
    ];
    expect(renderForChannel("email", "Skip the box?", confirm)).toEqual({ text: "Skip the box?", buttons: confirm });
  });
});
