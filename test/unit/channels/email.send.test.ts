/**
 * Outbound email MIME: the built reply must be valid RFC 5322/MIME, which we check by
 * parsing it back with postal-mime (an independent parser) and by line-level rules.
 */
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { encodeHeaderValue, quotedPrintable } from "../../../workers/channels/email/mime.ts";
import { parseEmail } from "../../../workers/channels/email/parse.ts";
import {
  buildHttpReply,
  buildReplyMime,
  newMessageId,
  replySubject,
  replyThreadingHeaders,
} from "../../../workers/channels/email/send.ts";
import { loadEml } from "./support.ts";

const DATE = new Date("2024-01-15T12:30:05Z");

function assertWireRules(raw: string): void {
  // Every line ends in CRLF and stays within the RFC 5322 recommended 78 chars.
  expect(raw.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  for (const line of raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(78);
  // eslint-disable-next-line no-control-regex -- the assertion is exactly that no control characters appear
  expect(raw).toMatch(/^[\x00-\x7f]*$/);
}

describe("buildReplyMime", () => {
  it("builds a threaded reply that round-trips through a MIME parser", async () => {
    const inbound = await parseEmail(loadEml("thread_3_outlook_reply.eml"));
    const raw = buildReplyMime({
      from: { name: "Acme Support", address: "support@acme.example" },
      to: inbound.sender.email ?? "",
      subject: inbound.email?.subject ?? "",
      text: "We have shipped a replacement mug.\nTracking: 1Z999.",
      inReplyTo: inbound.email?.messageId,
      references: inbound.email?.references,
      messageId: "<reply-1@acme.example>",
      date: DATE,
    });
    assertWireRules(raw);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe("Re: Damaged mug");
    expect(parsed.messageId).toBe("<reply-1@acme.example>");
    expect(parsed.inReplyTo).toBe("<thread-3@customer.example>");
    expect(parsed.references?.split(/\s+/)).toEqual([
      "<thread-1@customer.example>",
      "<thread-2@customer.example>",
      "<thread-3@customer.example>",
    ]);
    expect(parsed.from).toEqual({ name: "Acme Support", address: "support@acme.example" });
    expect(parsed.text?.trim()).toBe("We have shipped a replacement mug.\nTracking: 1Z999.");
    expect(raw).toContain("Date: Mon, 15 Jan 2024 12:30:05 +0000\r\n");
    expect(raw).not.toContain("Auto-Submitted");
    // Our reply threads with the customer's messages under the same root.
    const back = await parseEmail(raw);
    expect(back.threadKey).toBe(inbound.threadKey);
  });

  it("encodes non-ASCII subject, name and body (quoted-printable and base64)", async () => {
    for (const transferEncoding of ["quoted-printable", "base64"] as const) {
      const text = `Здравствуйте, Иван! Деньги вернём в течение 3 дней. ${"Очень длинная строка ".repeat(8)}\nКонец 😀  `;
      const raw = buildReplyMime({
        from: { name: "Поддержка Acme", address: "support@acme.example" },
        to: { name: "Иван Петров", address: "ivan@customer.example" },
        subject: "Вопрос по заказу №4005 — срочно, пожалуйста, посмотрите как можно быстрее",
        text,
        inReplyTo: "ru-1@customer.example",
        messageId: "<reply-ru@acme.example>",
        date: DATE,
        transferEncoding,
        autoSubmitted: true,
      });
      assertWireRules(raw);
      expect(raw).toContain(`Content-Transfer-Encoding: ${transferEncoding}\r\n`);
      expect(raw).toContain("Auto-Submitted: auto-replied\r\n");
      const parsed = await PostalMime.parse(raw);
      expect(parsed.subject).toBe("Re: Вопрос по заказу №4005 — срочно, пожалуйста, посмотрите как можно быстрее");
      expect(parsed.to).toEqual([{ name: "Иван Петров", address: "ivan@customer.example" }]);
      expect(parsed.from).toEqual({ name: "Поддержка Acme", address: "support@acme.example" });
      expect(parsed.inReplyTo).toBe("<ru-1@customer.example>");
      expect(parsed.text?.replace(/\r\n/g, "\n").replace(/\n$/, "")).toBe(text);
    }
  });

  it("folds long ASCII subjects and keeps them intact after parsing", async () => {
    const subject = "Question about my order with a very long subject line that keeps going and going and going";
    const raw = buildReplyMime({
      from: "support@acme.example",
      to: "jane@customer.example",
      subject,
      text: "ok",
      messageId: "<s@acme.example>",
      date: DATE,
    });
    assertWireRules(raw);
    expect((await PostalMime.parse(raw)).subject).toBe(`Re: ${subject}`);
  });

  it("adds exactly one Re: prefix", () => {
    expect(replySubject("Damaged mug")).toBe("Re: Damaged mug");
    expect(replySubject("RE: Re: re:Damaged mug")).toBe("Re: Damaged mug");
    expect(replySubject("Aw: Ответ: вопрос")).toBe("Re: вопрос");
    expect(replySubject("Re[2]: status")).toBe("Re: status");
    expect(replySubject("Reply needed")).toBe("Re: Reply needed");
  });

  it("does not duplicate the parent in References", () => {
    expect(replyThreadingHeaders("<b@x>", ["<a@x>", "<b@x>"])).toEqual({
      inReplyTo: "<b@x>",
      references: ["<a@x>", "<b@x>"],
    });
    expect(replyThreadingHeaders(undefined, [])).toEqual({ references: [] });
  });

  it("HTTP provider message carries the same threading headers", () => {
    const msg = buildHttpReply({
      from: "support@acme.example",
      to: "jane@customer.example",
      subject: "Re: Damaged mug",
      text: "Hi",
      inReplyTo: "<t3@x>",
      references: ["<t1@x>", "<t2@x>"],
      messageId: "<r@acme.example>",
    });
    expect(msg).toEqual({
      from: "support@acme.example",
      to: "jane@customer.example",
      subject: "Re: Damaged mug",
      text: "Hi",
      headers: { "Message-ID": "<r@acme.example>", "In-Reply-To": "<t3@x>", References: "<t1@x> <t2@x> <t3@x>" },
    });
  });

  it("newMessageId is unique and bracketed", () => {
    const a = newMessageId("acme.example");
    expect(a).toMatch(/^<[0-9a-f-]{36}@acme\.example>$/);
    expect(newMessageId("acme.example")).not.toBe(a);
  });
});

describe("MIME encoders", () => {
  it("RFC 2047 words never split a multibyte character and stay ≤ 75 chars", () => {
    const value = encodeHeaderValue("ё".repeat(100));
    const words = value.split("\r\n ");
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      const b64 = /^=\?UTF-8\?B\?(.*)\?=$/.exec(w)?.[1] ?? "";
      expect(
        new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))),
      ).toMatch(/^ё+$/);
    }
    expect(encodeHeaderValue("plain ascii")).toBe("plain ascii");
  });

  it("quoted-printable escapes =, trailing space and non-ASCII", () => {
    expect(quotedPrintable("a=b ")).toBe("a=3Db=20");
    expect(quotedPrintable("é")).toBe("=C3=A9");
    const long = quotedPrintable("x".repeat(200));
    expect(long.split("\r\n").every((l) => l.length <= 76)).toBe(true);
    expect(long.replace(/=\r\n/g, "")).toBe("x".repeat(200));
  });
});
