import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createWorkspace } from "../../workers/db/seed/demo.ts";
import { receiveEmail, type InboundEmail } from "../../workers/channels/email/handler.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { noticeMail } from "../../workers/lib/notice-mail.ts";
import { call, login, loginAdmin, seedDemo } from "../workers/helpers.ts";

let other = "";
beforeAll(async () => {
  await seedDemo();
  await createWorkspace(
    env,
    {
      id: "ws_thief",
      name: "Thief Shop",
      slug: "thief-shop",
      widgetKey: "thief-widget",
      operators: [
        {
          id: "op_thief",
          email: "admin@thief.test",
          password: "thief-admin-password",
          name: "Thief",
          handle: "thief",
          role: "admin",
        },
      ],
    },
    getConfig(env).encryptionKey,
  );
  other = await login("admin@thief.test", "thief-admin-password", "192.0.2.250");
});
afterEach(() => vi.restoreAllMocks());

function mail(to: string): InboundEmail & { rejected: string[] } {
  const raw = `From: Customer <customer@example.com>\r\nTo: ${to}\r\nSubject: Order\r\nMessage-ID: <${crypto.randomUUID()}@example.com>\r\n\r\nWhere is my order?\r\n`;
  const rejected: string[] = [];
  return {
    from: "customer@example.com",
    to,
    raw: new Response(raw).body ?? new ReadableStream(),
    rawSize: raw.length,
    setReject: (reason: string) => void rejected.push(reason),
    rejected,
  };
}

const inboxCount = async (ws: string) =>
  (
    await env.DB.prepare("SELECT count(*) AS n FROM inboxes WHERE workspace_id = ?1 AND channel = 'email'")
      .bind(ws)
      .first<{ n: number }>()
  )?.n ?? 0;

const createEmailInbox = (token: string, address: string) =>
  call("/api/inboxes", {
    method: "POST",
    token,
    json: { channel: "email", name: address, settings: { address } },
  });

describe("item 10: email inbox addresses cannot be claimed by another workspace", () => {
  it("refuses another workspace's inbox for a verified address, storing nothing; mail still goes to the owner", async () => {
    const before = await inboxCount("ws_thief");
    const res = await createEmailInbox(other, "Support@LevHaolam.test");
    expect(res.status).toBe(409);
    expect(await inboxCount("ws_thief")).toBe(before);
  });

  it("receives nothing for an address until the code mailed to it is entered", async () => {
    const codes: string[] = [];
    vi.spyOn(noticeMail, "send").mockImplementation(async (_env, _to, subject) => {
      const code = /\d{8}/.exec(subject)?.[0];
      if (code) codes.push(code);
    });
    const res = await createEmailInbox(other, "sales@unclaimed.test");
    expect(res.status).toBe(201);
    const { id }: { id: string } = await res.json();
    // Unverified: the mail is refused, nothing reaches the claimer.
    const first = mail("sales@unclaimed.test");
    expect(await receiveEmail(first, env)).toBe("rejected");
    // Guessing the code is limited: five wrong codes end the claim.
    for (let i = 0; i < 5; i++) {
      const wrong = await call(`/api/inboxes/${id}/email/verify`, {
        method: "POST",
        token: other,
        json: { code: String(10_000_000 + i) },
      });
      expect(wrong.status).toBe(400);
    }
    const right = codes[0] ?? "";
    const late = await call(`/api/inboxes/${id}/email/verify`, { method: "POST", token: other, json: { code: right } });
    expect(late.status).toBe(409);
    expect(await receiveEmail(mail("sales@unclaimed.test"), env)).toBe("rejected");
    // A fresh code, entered by whoever reads the mailbox, verifies it.
    expect((await call(`/api/inboxes/${id}/email/resend`, { method: "POST", token: other })).status).toBe(200);
    const ok = await call(`/api/inboxes/${id}/email/verify`, {
      method: "POST",
      token: other,
      json: { code: codes[1] ?? "" },
    });
    expect(ok.status).toBe(200);
    expect(await receiveEmail(mail("sales@unclaimed.test"), env)).toBe("accepted");
    // Now the demo workspace cannot take it.
    const admin = await loginAdmin();
    expect((await createEmailInbox(admin, "sales@unclaimed.test")).status).toBe(409);
  });
});
