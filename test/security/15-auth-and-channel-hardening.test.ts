import * as OTPAuth from "otpauth";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { noticeMail } from "../../workers/lib/notice-mail.ts";
import { call, login, loginAdmin, seedDemo } from "../workers/helpers.ts";
import { clientId, isType, openSocket, widgetSession } from "../workers/ws.ts";

beforeAll(seedDemo);
afterEach(() => vi.restoreAllMocks());

const attempt = (json: Record<string, string>, ip: string) =>
  call("/api/auth/login", { method: "POST", json, headers: { "cf-connecting-ip": ip } });

/** A new operator with TOTP enabled; returns the credentials and the authenticator. */
async function totpOperator(handle: string) {
  const admin = await loginAdmin();
  const creds = { email: `${handle}@demo.test`, password: `password-of-${handle}` };
  const created = await call("/api/operators", {
    method: "POST",
    token: admin,
    json: { ...creds, name: handle, handle, role: "operator" },
  });
  expect(created.status).toBe(201);
  const token = await login(creds.email, creds.password, "192.0.2.200");
  const { secret }: { secret: string } = await (await call("/api/auth/totp/setup", { method: "POST", token })).json();
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
  const enable = await call("/api/auth/totp/enable", { method: "POST", token, json: { code: totp.generate() } });
  expect(enable.status).toBe(200);
  return { creds, totp };
}

describe("item 15: TOTP replay, login answers, verify tokens, attachments, lockout", () => {
  it("never accepts a TOTP code twice, even in parallel", async () => {
    const { creds, totp } = await totpOperator("replayer");
    const code = totp.generate({ timestamp: Date.now() + 30_000 });
    const statuses = await Promise.all(
      [1, 2, 3].map((i) => attempt({ ...creds, totp: code }, `192.0.2.${10 + i}`).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect((await attempt({ ...creds, totp: code }, "192.0.2.20")).status).toBe(401);
    // The enrolment code (already used) cannot log in either.
    expect((await attempt({ ...creds, totp: totp.generate() }, "192.0.2.21")).status).toBe(401);
  });

  it("answers a right password without the code exactly like a wrong password", async () => {
    const { creds } = await totpOperator("quiet");
    const right = await attempt(creds, "192.0.2.30");
    const wrong = await attempt({ ...creds, password: "not-the-password" }, "192.0.2.31");
    expect(right.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await right.json()).toEqual(await wrong.json());
  });

  it("throttles Meta verify-token guesses per inbox and address", async () => {
    const url = (token: string) =>
      `/webhooks/whatsapp/demo-whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=424242`;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await call(url(`guess-${i}`), { headers: { "cf-connecting-ip": "198.51.100.40" } })).status);
    expect(statuses.slice(0, 10).every((s) => s === 403)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Even the right token is not checked from the locked address; Meta's own address still verifies.
    const locked = await call(url("dev-verify-token"), { headers: { "cf-connecting-ip": "198.51.100.40" } });
    expect(locked.status).toBe(429);
    expect(await locked.text()).not.toContain("424242");
    const meta = await call(url("dev-verify-token"), { headers: { "cf-connecting-ip": "198.51.100.41" } });
    expect(meta.status).toBe(200);
    expect(await meta.text()).toBe("424242");
  });

  it("refuses attachment references whose name, type or size differ from the upload", async () => {
    const s = await widgetSession();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const fd = new FormData();
    fd.append("file", new File([png], "damage.png", { type: "image/png" }));
    const up = await call("/api/widget/upload", {
      method: "POST",
      body: fd,
      headers: { authorization: `Bearer ${s.visitorToken}` },
    });
    expect(up.status).toBe(200);
    const ref: { key: string; name: string; mimeType: string; size: number } = await up.json();
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    for (const forged of [
      { ...ref, name: "invoice.pdf" },
      { ...ref, mimeType: "text/html" },
      { ...ref, size: ref.size + 1 },
      { ...ref, key: `${ref.key.slice(0, ref.key.lastIndexOf("/"))}/att_missing-x.png` },
    ]) {
      c.send({ type: "send", clientId: clientId(), text: "forged attachment", attachments: [forged] });
      expect((await c.next(isType("error"))).code).toBe("invalid_attachment");
    }
    c.send({ type: "send", clientId: clientId(), text: "real attachment", attachments: [ref] });
    const sent = await c.next(isType("message"));
    expect(sent).toMatchObject({ message: { content: "real attachment", attachments: [ref] } });
    c.close();
    const again = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    const sync = await again.next(isType("sync"));
    const contents = (sync.messages as Array<{ content: string }>).map((m) => m.content);
    expect(contents).not.toContain("forged attachment");
    again.close();
  });

  it("lets the real user back in after a distributed lockout, with the mailed unlock link", async () => {
    const email = "locked-out@demo.test";
    const password = "password-of-locked-out";
    const admin = await loginAdmin();
    const created = await call("/api/operators", {
      method: "POST",
      token: admin,
      json: { email, password, name: "Locked Out", handle: "locked-out", role: "operator" },
    });
    expect(created.status).toBe(201);
    const sent: Array<{ to: string; body: string }> = [];
    vi.spyOn(noticeMail, "send").mockImplementation(async (_env, to, _subject, body) => {
      sent.push({ to, body });
    });
    const viaWorker = (path: string, init?: RequestInit) => call(path, init);
    const loginInit = (pw: string, ip: string): RequestInit => ({
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify({ email, password: pw }),
    });
    // 11 addresses × 5 guesses: each address stays within its own limit; the account's 50 run out.
    for (let ip = 0; ip < 11; ip++)
      for (let i = 0; i < 5; i++)
        await viaWorker("/api/auth/login", loginInit(`guess-${ip}-${i}`, `203.0.113.${100 + ip}`));
    expect((await viaWorker("/api/auth/login", loginInit(password, "198.51.100.77"))).status).toBe(429);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe(email);
    const link = /\/api\/auth\/unlock\?token=(\S+)/.exec(sent[0]?.body ?? "")?.[1];
    expect(link).toBeDefined();
    expect((await viaWorker(`/api/auth/unlock?token=${link}`)).status).toBe(200);
    expect((await viaWorker("/api/auth/login", loginInit(password, "198.51.100.77"))).status).toBe(200);
    // A forged link unlocks nothing.
    expect((await viaWorker("/api/auth/unlock?token=not.a.token")).status).toBe(400);
  });
});
