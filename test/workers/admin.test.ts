import * as OTPAuth from "otpauth";
import { beforeAll, describe, expect, it } from "vitest";
import { call, login, loginAdmin, seedDemo } from "./helpers.ts";

beforeAll(seedDemo);

describe("TOTP second factor", () => {
  it("enrols with a current code, then requires and checks the code at login", async () => {
    const token = await login("lucia@demo.test", "demo-lucia-password");
    const setup = await call("/api/auth/totp/setup", { method: "POST", token });
    expect(setup.status).toBe(200);
    const { secret, uri }: { secret: string; uri: string } = await setup.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      digits: 6,
      period: 30,
      algorithm: "SHA1",
    });
    expect(
      (
        await call("/api/auth/totp/enable", {
          method: "POST",
          token,
          json: { code: "000000" === totp.generate() ? "111111" : "000000" },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call("/api/auth/totp/enable", { method: "POST", token, json: { code: totp.generate() } })).status,
    ).toBe(200);

    const creds = { email: "lucia@demo.test", password: "demo-lucia-password" };
    const noCode = await call("/api/auth/login", {
      method: "POST",
      json: creds,
      headers: { "cf-connecting-ip": "10.9.0.1" },
    });
    expect(noCode.status).toBe(401);
    // The same answer as a wrong password: it never tells that the password was right.
    expect(((await noCode.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
    const wrong = await call("/api/auth/login", {
      method: "POST",
      json: { ...creds, totp: totp.generate() === "123456" ? "654321" : "123456" },
      headers: { "cf-connecting-ip": "10.9.0.1" },
    });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
    // The enrolment code's step is used up; the next step's code (within the drift window) works.
    const ok = await call("/api/auth/login", {
      method: "POST",
      json: { ...creds, totp: totp.generate({ timestamp: Date.now() + 30_000 }) },
      headers: { "cf-connecting-ip": "10.9.0.1" },
    });
    expect(ok.status).toBe(200);
    // The secret is never returned again.
    const me = await (await call("/api/auth/me", { token })).text();
    expect(me).not.toContain(secret);
    expect((await call("/api/auth/totp/setup", { method: "POST", token })).status).toBe(400);
  });
});

describe("categories are versioned", () => {
  it("records a version per change and rolls back as a new version", async () => {
    const token = await loginAdmin();
    const list: {
      items: Array<{
        key: string;
        instructions: string;
        version: number;
        allowedTools: string[];
        provider: string;
        model: string;
        reasoningLevel: string;
        autoSend: string;
        retentionOffer: string | null;
        name: string;
      }>;
    } = await (await call("/api/categories", { token })).json();
    const cat = list.items.find((c) => c.key === "skip_month");
    if (!cat) throw new Error("seed missing skip_month");
    const body = {
      name: cat.name,
      instructions: "Always confirm the month first.",
      allowedTools: cat.allowedTools,
      provider: cat.provider,
      model: cat.model,
      reasoningLevel: cat.reasoningLevel,
      autoSend: "never",
      retentionOffer: cat.retentionOffer,
    };
    const put = await call("/api/categories/skip_month", { method: "PUT", token, json: body });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ version: cat.version + 1, autoSend: "never" });
    const bad = await call("/api/categories/skip_month", {
      method: "PUT",
      token,
      json: { ...body, allowedTools: ["rm_rf"] },
    });
    expect(bad.status).toBe(400);
    const rb = await call("/api/categories/skip_month/rollback", {
      method: "POST",
      token,
      json: { version: cat.version },
    });
    expect(rb.status).toBe(200);
    expect(await rb.json()).toMatchObject({
      version: cat.version + 2,
      instructions: cat.instructions,
      autoSend: cat.autoSend,
    });
    const versions: { items: Array<{ version: number }> } = await (
      await call("/api/categories/skip_month/versions", { token })
    ).json();
    expect(versions.items.map((v) => v.version)).toEqual([cat.version + 2, cat.version + 1, cat.version]);
    const audit: { items: Array<{ action: string }> } = await (await call("/api/audit", { token })).json();
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(["category.update", "category.rollback"]));
  });
});

describe("inboxes keep secrets write-only", () => {
  it("stores channel secrets encrypted and never returns them", async () => {
    const token = await loginAdmin();
    const res = await call("/api/inboxes", {
      method: "POST",
      token,
      json: {
        channel: "telegram",
        name: "Second bot",
        secrets: { botToken: "999999:secret-bot-token-value-xyz", secretToken: "s3cr3t-token" },
      },
    });
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain("secret-bot-token-value-xyz");
    expect(text).not.toContain("s3cr3t-token");
    expect(JSON.parse(text)).toMatchObject({ configuredSecrets: ["botToken", "secretToken"], channel: "telegram" });
    const list = await (await call("/api/inboxes", { token })).text();
    expect(list).not.toContain("secret-bot-token-value-xyz");
    const missing = await call("/api/inboxes", {
      method: "POST",
      token,
      json: { channel: "whatsapp", name: "No secrets", settings: { phoneNumberId: "12345678" } },
    });
    expect(missing.status).toBe(400);
  });
});

describe("after-hours mode", () => {
  it("tells the opening hours and offers a callback when the team is away, and the session reports closed", async () => {
    const token = await loginAdmin();
    const cur: { settings: Record<string, unknown> } = await (await call("/api/settings", { token })).json();
    const h = (new Date().getUTCHours() + 12) % 24;
    const open = `${String(h).padStart(2, "0")}:00`;
    const close = `${String(h).padStart(2, "0")}:30`;
    const weekly = Object.fromEntries(["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, [{ open, close }]]));
    const put = await call("/api/settings", {
      method: "PUT",
      token,
      json: {
        ...cur.settings,
        businessHours: { timeZone: "UTC", weekly, holidays: [] },
        afterHours: { enabled: true, message: "We're away." },
      },
    });
    expect(put.status).toBe(200);
    const { widgetSession, openSocket, isType, clientId } = await import("./ws.ts");
    const s = await widgetSession();
    const session = await call("/api/widget/session", {
      method: "POST",
      json: { widgetKey: "demo-widget-key", visitorToken: s.visitorToken },
    });
    const body: { businessHours: { open: boolean; description: string } } = await session.json();
    expect(body.businessHours.open).toBe(false);
    expect(body.businessHours.description).toContain(open);
    const c = await openSocket(`${s.socketPath}?token=${s.visitorToken}`);
    await c.next(isType("sync"));
    c.send({
      type: "send",
      clientId: clientId(),
      text: "Can I order a custom engraved mezuzah for my brother's wedding?",
    });
    const reply = await c
      .next((f) => f.type === "message" && (f.message as { senderType: string }).senderType === "bot", 10_000)
      .catch(() => null);
    expect(reply && (reply.message as { content: string }).content).toMatch(/opening hours[\s\S]*callback/);
    c.close();
    await call("/api/settings", { method: "PUT", token, json: cur.settings });
  }, 20_000);
});
