import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { renderHeadersFile, securityHeadersFor } from "../../workers/lib/security-headers.ts";
import { DEMO_LOGINS } from "../../workers/db/seed/demo.ts";
import { BASE, call, loginOperator, seedDemo } from "../workers/helpers.ts";

const COOKIE = "__Host-os_session";
const CSRF = { "x-requested-with": "omnisupport" };

/** Logs in as a browser does and returns the Set-Cookie line and the `name=value` pair to send back. */
async function browserLogin(ip: string): Promise<{ setCookie: string; cookie: string; token: string }> {
  const res = await call("/api/auth/login", {
    method: "POST",
    json: { email: DEMO_LOGINS.operator.email, password: DEMO_LOGINS.operator.password },
    headers: { "cf-connecting-ip": ip },
  });
  expect(res.status).toBe(200);
  const { token }: { token: string } = await res.json();
  const setCookie = res.headers.getSetCookie().find((l) => l.startsWith(`${COOKIE}=`)) ?? "";
  return { setCookie, cookie: setCookie.split(";")[0] ?? "", token };
}

async function cannedCodes(): Promise<string[]> {
  const res = await call("/api/canned-responses", { token: await loginOperator() });
  const body: { items: Array<{ shortCode: string }> } = await res.json();
  return body.items.map((i) => i.shortCode);
}

beforeAll(seedDemo);

describe("item 13: security headers and socket tickets", () => {
  it("puts CSP, frame-ancestors, nosniff and Referrer-Policy on API answers, errors included", async () => {
    for (const res of [
      await call("/api/health"),
      await call("/api/conversations"),
      await call("/api/no-such-endpoint"),
      await call("/webhooks/telegram/nope", { method: "POST", json: {} }),
    ]) {
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("gives the dashboard a CSP that forbids framing and foreign scripts; _headers carries the same", () => {
    const dash = securityHeadersFor("/app/index.html");
    expect(dash["Content-Security-Policy"]).toMatch(/frame-ancestors 'none'/);
    expect(dash["Content-Security-Policy"]).toMatch(/script-src 'self'(;|$)/);
    const file = renderHeadersFile();
    expect(file).toContain(
      `/app/*\n  Referrer-Policy: no-referrer\n  Content-Security-Policy: ${dash["Content-Security-Policy"]}`,
    );
    // Each pattern sets a header once: blocks that overlap would join two CSPs into one header.
    const blocks = file.split("\n\n").filter((b) => b.startsWith("/*"));
    expect(blocks).toEqual(["/*\n  X-Content-Type-Options: nosniff"]);
  });

  it("opens sockets with a 60-second ticket that the REST API refuses", async () => {
    const token = await loginOperator();
    const res = await call("/api/auth/socket-ticket", { method: "POST", token });
    expect(res.status).toBe(200);
    const { ticket, expiresIn }: { ticket: string; expiresIn: number } = await res.json();
    expect(expiresIn).toBe(60);
    const payload: { exp: number; iat: number; scp: string } = JSON.parse(
      atob((ticket.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/")),
    );
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.scp).toBe("socket");
    const up = await SELF.fetch(`${BASE}/parties/presence/ws_demo?token=${ticket}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(up.status).toBe(101);
    up.webSocket?.accept();
    up.webSocket?.close();
    // A ticket that leaks from a socket URL is no session token.
    expect((await call("/api/conversations", { token: ticket })).status).toBe(401);
    expect((await call("/api/auth/socket-ticket", { method: "POST" })).status).toBe(401);
  });
});

describe("item 13: the operator session lives in an HttpOnly cookie, not in the page", () => {
  it("login sets an HttpOnly, Secure, SameSite=Strict host cookie for the token's lifetime that authenticates GET", async () => {
    const { setCookie, cookie, token } = await browserLogin("10.13.0.1");
    const attrs = setCookie.split(";").map((a) => a.trim().toLowerCase());
    expect(cookie).toBe(`${COOKIE}=${token}`);
    expect(attrs).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/", `max-age=${12 * 3600}`]),
    );
    expect(attrs.some((a) => a.startsWith("domain="))).toBe(false);
    const me = await call("/api/auth/me", { headers: { cookie } });
    expect(me.status).toBe(200);
    const body: { email: string } = await me.json();
    expect(body.email).toBe(DEMO_LOGINS.operator.email);
    // The cookie under any other name (no __Host- prefix) is not a session.
    expect((await call("/api/auth/me", { headers: { cookie: `os_session=${token}` } })).status).toBe(401);
  });

  it("refuses a cookie-authenticated write without the CSRF header (403 csrf) and stores nothing", async () => {
    const { cookie } = await browserLogin("10.13.0.2");
    const res = await call("/api/canned-responses", {
      method: "POST",
      headers: { cookie },
      json: { shortCode: "csrf-forged", content: "forged by another site" },
    });
    expect(res.status).toBe(403);
    const body: { error: { code: string } } = await res.json();
    expect(body.error.code).toBe("csrf");
    // A plain form post (what a foreign page can send with the cookie) fares no better.
    const form = await call("/api/canned-responses", {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: "shortCode=csrf-form&content=x",
    });
    expect(form.status).toBe(403);
    const codes = await cannedCodes();
    expect(codes).not.toContain("csrf-forged");
    expect(codes).not.toContain("csrf-form");
  });

  it("accepts the write with the CSRF header from its own origin, and refuses a foreign Origin", async () => {
    const { cookie } = await browserLogin("10.13.0.3");
    const ok = await call("/api/canned-responses", {
      method: "POST",
      headers: { cookie, ...CSRF, origin: BASE },
      json: { shortCode: "csrf-ok", content: "sent by the dashboard" },
    });
    expect(ok.status).toBe(201);
    for (const origin of ["https://evil.example", "null", "http://localhost:9999"]) {
      const res = await call("/api/canned-responses", {
        method: "POST",
        headers: { cookie, ...CSRF, origin },
        json: { shortCode: "csrf-foreign", content: "forged" },
      });
      expect(res.status, origin).toBe(403);
      const body: { error: { code: string } } = await res.json();
      expect(body.error.code).toBe("csrf");
    }
    const crossSite = await call("/api/canned-responses", {
      method: "POST",
      headers: { cookie, ...CSRF, "sec-fetch-site": "cross-site" },
      json: { shortCode: "csrf-foreign", content: "forged" },
    });
    expect(crossSite.status).toBe(403);
    const codes = await cannedCodes();
    expect(codes).toContain("csrf-ok");
    expect(codes).not.toContain("csrf-foreign");
  });

  it("mints socket tickets for the cookie session (with the CSRF header)", async () => {
    const { cookie } = await browserLogin("10.13.0.4");
    expect((await call("/api/auth/socket-ticket", { method: "POST", headers: { cookie } })).status).toBe(403);
    const res = await call("/api/auth/socket-ticket", { method: "POST", headers: { cookie, ...CSRF } });
    expect(res.status).toBe(200);
    const { ticket }: { ticket: string } = await res.json();
    const up = await SELF.fetch(`${BASE}/parties/presence/ws_demo?token=${ticket}`, {
      headers: { Upgrade: "websocket" },
    });
    expect(up.status).toBe(101);
    up.webSocket?.accept();
    up.webSocket?.close();
  });

  it("logout clears the cookie (and needs the CSRF header, so another site cannot sign you out)", async () => {
    const { cookie } = await browserLogin("10.13.0.5");
    expect((await call("/api/auth/logout", { method: "POST", headers: { cookie } })).status).toBe(403);
    const res = await call("/api/auth/logout", { method: "POST", headers: { cookie, ...CSRF } });
    expect(res.status).toBe(200);
    const cleared = res.headers.getSetCookie().find((l) => l.startsWith(`${COOKIE}=`)) ?? "";
    expect(cleared.toLowerCase()).toMatch(/max-age=0/);
    expect(cleared.split(";")[0]).toBe(`${COOKIE}=`);
    // Without a cookie (already signed out, or an API client) logout still answers.
    expect((await call("/api/auth/logout", { method: "POST" })).status).toBe(200);
  });

  it("keeps bearer tokens working for API clients, without a CSRF header", async () => {
    const token = await loginOperator();
    const res = await call("/api/canned-responses", {
      method: "POST",
      token,
      json: { shortCode: "bearer-ok", content: "sent by the CLI" },
    });
    expect(res.status).toBe(201);
    expect((await call("/api/auth/me", { token })).status).toBe(200);
    // A bearer header that is not a valid token is refused even when a good cookie rides along.
    const { cookie } = await browserLogin("10.13.0.6");
    expect((await call("/api/auth/me", { headers: { cookie, authorization: "Bearer nope" } })).status).toBe(401);
  });
});
