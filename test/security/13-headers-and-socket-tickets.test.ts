import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { renderHeadersFile, securityHeadersFor } from "../../workers/lib/security-headers.ts";
import { BASE, call, loginOperator, seedDemo } from "../workers/helpers.ts";

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
