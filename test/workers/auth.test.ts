import { env } from "cloudflare:workers";
import { sign } from "hono/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_LOGINS } from "../../workers/db/seed/demo.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { signOperatorToken } from "../../workers/lib/tokens.ts";
import { call, loginAnalyst, loginOperator, seedDemo } from "./helpers.ts";

beforeAll(seedDemo);

describe("POST /api/auth/login", () => {
  it("returns a JWT and the profile for the right password", async () => {
    const res = await call("/api/auth/login", { method: "POST", json: DEMO_LOGINS.admin });
    expect(res.status).toBe(200);
    const body: { token: string; operator: { email: string; role: string; workspaceId: string } } = await res.json();
    expect(body.token.split(".")).toHaveLength(3);
    expect(body.operator).toMatchObject({ email: "admin@demo.test", role: "admin", workspaceId: "ws_demo" });
    expect(JSON.stringify(body)).not.toMatch(/password|pbkdf2/i);
    const me = await call("/api/auth/me", { token: body.token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: "admin@demo.test" });
  });

  it("refuses a wrong password with 401 and no token", async () => {
    const res = await call("/api/auth/login", {
      method: "POST",
      json: { email: DEMO_LOGINS.operator.email, password: "nope-nope" },
      headers: { "cf-connecting-ip": "10.1.1.1" },
    });
    expect(res.status).toBe(401);
    const body: { error: { code: string }; token?: string } = await res.json();
    expect(body.error.code).toBe("invalid_credentials");
    expect(body.token).toBeUndefined();
  });

  it("answers an unknown account exactly like a wrong password", async () => {
    const res = await call("/api/auth/login", {
      method: "POST",
      json: { email: "ghost@demo.test", password: "whatever-123" },
      headers: { "cf-connecting-ip": "10.1.1.2" },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
  });

  it("locks one address guessing one account, even for the right password, but not the real user elsewhere", async () => {
    const email = "olga@demo.test";
    for (let i = 0; i < 5; i++) {
      const r = await call("/api/auth/login", {
        method: "POST",
        json: { email, password: `wrong-${i}` },
        headers: { "cf-connecting-ip": "10.2.0.1" },
      });
      expect(r.status).toBe(401);
    }
    const locked = await call("/api/auth/login", {
      method: "POST",
      json: { email, password: "demo-olga-password" },
      headers: { "cf-connecting-ip": "10.2.0.1" },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const realUser = await call("/api/auth/login", {
      method: "POST",
      json: { email, password: "demo-olga-password" },
      headers: { "cf-connecting-ip": "10.2.0.99" },
    });
    expect(realUser.status).toBe(200);
  });

  it("throttles one address trying many accounts", async () => {
    const ip = "10.3.3.3";
    let last = 0;
    for (let i = 0; i < 31; i++) {
      const r = await call("/api/auth/login", {
        method: "POST",
        json: { email: `nobody${i}@demo.test`, password: "bad-password" },
        headers: { "cf-connecting-ip": ip },
      });
      last = r.status;
    }
    expect(last).toBe(429);
    const other = await call("/api/auth/login", {
      method: "POST",
      json: DEMO_LOGINS.admin,
      headers: { "cf-connecting-ip": "10.3.3.4" },
    });
    expect(other.status).toBe(200);
  });

  it("rejects invalid bodies with 400 and the failing fields", async () => {
    const res = await call("/api/auth/login", { method: "POST", json: { email: "not-an-email", password: "" } });
    expect(res.status).toBe(400);
    const body: { error: { code: string; details: Array<{ path: string }> } } = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["email", "password"]);
  });

  it("rejects malformed JSON with 400", async () => {
    const res = await call("/api/auth/login", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
  });
});

describe("JWT verification", () => {
  it("refuses an expired token", async () => {
    const token = await signOperatorToken(
      getConfig(env).jwtSecret,
      { operatorId: "op_admin", workspaceId: "ws_demo", role: "admin" },
      -10,
    );
    const res = await call("/api/conversations", { token });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/i);
  });

  it("refuses a tampered token (role changed in the payload)", async () => {
    const token = await loginOperator();
    const [h, p, s] = token.split(".");
    const payload = JSON.parse(atob((p ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    payload.role = "admin";
    const forged = `${h}.${btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}.${s}`;
    const res = await call("/api/operators", { method: "POST", token: forged, json: {} });
    expect(res.status).toBe(401);
  });

  it("refuses a token signed with another secret", async () => {
    const token = await sign(
      {
        sub: "op_admin",
        ws: "ws_demo",
        role: "admin",
        aud: "operator",
        iss: "omnisupport",
        exp: Math.floor(Date.now() / 1000) + 60,
      },
      "attacker-secret-attacker-secret-0000",
      "HS256",
    );
    expect((await call("/api/settings", { token })).status).toBe(401);
  });

  it("refuses requests without a token", async () => {
    expect((await call("/api/conversations")).status).toBe(401);
  });
});

describe("roles", () => {
  it("refuses an operator on admin routes", async () => {
    const token = await loginOperator();
    const create = await call("/api/operators", {
      method: "POST",
      token,
      json: { email: "x@demo.test", name: "X", handle: "xx", role: "operator", password: "long-enough-password" },
    });
    expect(create.status).toBe(403);
    expect((await call("/api/audit", { token })).status).toBe(403);
    const settings = await call("/api/settings", { token });
    expect(settings.status).toBe(200);
    const body: { settings: unknown } = await settings.json();
    const put = await call("/api/settings", { method: "PUT", token, json: body.settings });
    expect(put.status).toBe(403);
  });

  it("lets an analyst read but refuses every write", async () => {
    const token = await loginAnalyst();
    expect((await call("/api/conversations", { token })).status).toBe(200);
    expect((await call("/api/categories", { token })).status).toBe(200);
    const writes: Array<[string, string, unknown]> = [
      ["POST", "/api/canned-responses", { shortCode: "hi", content: "Hello" }],
      ["PATCH", "/api/contacts/ct_x", { name: "X" }],
      ["PUT", "/api/categories/other", { name: "x" }],
      ["DELETE", "/api/knowledge/documents/doc_x", undefined],
    ];
    for (const [method, path, json] of writes) {
      const res = await call(path, { method, token, ...(json === undefined ? {} : { json }) });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
  });
});
