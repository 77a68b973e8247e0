/**
 * Issue 17, bug 3: the verification mail built its headers by hand, so a non-ASCII shop
 * name went out raw in From (and would in Subject). Headers must be 7-bit (RFC 2047
 * encoded words) and decode back to the shop's name.
 */
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { codeMime } from "../../../../workers/ai/identify/mail.ts";

const headerBlock = (raw: string) => raw.slice(0, raw.indexOf("\r\n\r\n"));

describe("verification code mail", () => {
  it("encodes a Hebrew shop name in From and keeps every header 7-bit", async () => {
    const raw = codeMime("no-reply@shop.test", "dana@example.com", "123456", "לב העולם", new Date(0));
    const headers = headerBlock(raw);
    expect(/^[\x20-\x7e\r\n\t]*$/.test(headers)).toBe(true);
    expect(headers).toMatch(/^From: =\?UTF-8\?B\?/m);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from?.name).toBe("לב העולם");
    expect(parsed.from?.address).toBe("no-reply@shop.test");
    expect(parsed.subject).toBe("Your verification code: 123456");
    expect(parsed.text).toContain("Your לב העולם support verification code is 123456.");
  });

  it("is worded in the customer's language", async () => {
    const raw = codeMime("no-reply@shop.test", "dana@example.com", "654321", "Лев Хаолам", new Date(0), "ru");
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe("Ваш код подтверждения: 654321");
    expect(parsed.text).toContain("Ваш код подтверждения для поддержки Лев Хаолам: 654321.");
    expect(parsed.text).toContain("10 минут");
    expect(parsed.text).not.toMatch(/verification code/);
    const fr = await PostalMime.parse(
      codeMime("no-reply@shop.test", "dana@example.com", "654321", "Shop", new Date(0), "fr"),
    );
    expect(fr.subject).toBe("Votre code de vérification : 654321");
  });

  it("quotes an ASCII shop name with special characters", async () => {
    const raw = codeMime("no-reply@shop.test", "dana@example.com", "123456", 'Lev "Haolam", Inc.', new Date(0));
    const parsed = await PostalMime.parse(raw);
    expect(parsed.from?.name).toBe('Lev "Haolam", Inc.');
    expect(parsed.from?.address).toBe("no-reply@shop.test");
  });
});
