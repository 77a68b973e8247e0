import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../workers/index.ts";
import { DEMO_LOGINS } from "../../workers/db/seed/demo.ts";
import { seedDemo } from "../workers/helpers.ts";

beforeAll(seedDemo);

/** The Worker with some vars replaced, as a misdeployed copy would run. */
async function fetchWith(vars: Record<string, string | undefined>, url: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const loginInit = (): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", "cf-connecting-ip": "198.51.100.11" },
  body: JSON.stringify(DEMO_LOGINS.admin),
});

async function loginAudits(): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login'").first<{
    n: number;
  }>();
  return row?.n ?? 0;
}

describe("item 11: the configuration fails closed", () => {
  it("refuses a development build reached under a public host name: no token minted with the published secret", async () => {
    const before = await loginAudits();
    const res = await fetchWith({}, "https://support.example.com/api/auth/login", loginInit());
    expect(res.status).toBe(503);
    const body: { error: { code: string }; token?: string } = await res.json();
    expect(body.error.code).toBe("misconfigured");
    expect(body.token).toBeUndefined();
    expect(await loginAudits()).toBe(before);
    // Webhooks and sockets too, and the demo seeding endpoint.
    expect(
      (await fetchWith({}, "https://support.example.com/webhooks/telegram/demo-telegram", { method: "POST" })).status,
    ).toBe(503);
    expect((await fetchWith({}, "https://support.example.com/api/dev/seed", { method: "POST" })).status).toBe(503);
  });

  it("refuses an environment that is not exactly production or development", async () => {
    for (const ENVIRONMENT of ["staging", "Production", "", undefined]) {
      const res = await fetchWith({ ENVIRONMENT }, "http://localhost/api/auth/login", loginInit());
      expect(res.status, String(ENVIRONMENT)).toBe(503);
    }
  });

  it("refuses production with the published development secrets or none", async () => {
    const res = await fetchWith(
      { ENVIRONMENT: "production" },
      "https://support.example.com/api/auth/login",
      loginInit(),
    );
    expect(res.status).toBe(503);
    const none = await fetchWith(
      { ENVIRONMENT: "production", JWT_SECRET: undefined, ENCRYPTION_KEY: undefined },
      "https://support.example.com/api/health",
    );
    expect(none.status).toBe(503);
  });

  it("serves production with real secrets, and development on localhost with zero config", async () => {
    const prod = await fetchWith(
      {
        ENVIRONMENT: "production",
        JWT_SECRET: "a-real-random-secret-of-at-least-32-characters-9f8e7d",
        ENCRYPTION_KEY: btoa("0123456789abcdef0123456789abcdef"),
      },
      "https://support.example.com/api/health",
    );
    expect(prod.status).toBe(200);
    const dev = await fetchWith({}, "http://localhost:8787/api/health");
    expect(dev.status).toBe(200);
    const loop = await fetchWith({}, "http://127.0.0.1:8787/api/health");
    expect(loop.status).toBe(200);
  });
});
