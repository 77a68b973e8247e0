import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_LOGINS } from "../../workers/db/seed/demo.ts";
import { call, seedDemo } from "../workers/helpers.ts";

beforeAll(seedDemo);

const attempt = (email: string, password: string, ip: string) =>
  call("/api/auth/login", { method: "POST", json: { email, password }, headers: { "cf-connecting-ip": ip } });

async function loginAudits(operatorId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE actor_id = ?1 AND action = 'auth.login'")
    .bind(operatorId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("item 3: the login lockout cannot be raced", () => {
  it("checks at most 5 of 40 parallel guesses at one account from one address (the right one included)", async () => {
    const { email, password } = DEMO_LOGINS.operator;
    const before = await loginAudits("op_operator");
    const guesses = Array.from({ length: 40 }, (_, i) => (i === 39 ? password : `wrong-guess-${i}`));
    const statuses = await Promise.all(guesses.map((g) => attempt(email, g, "203.0.113.7").then((r) => r.status)));
    const checked = statuses.filter((s) => s !== 429).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    // The right password arrived last in the burst: it must not have been checked.
    if (!statuses.includes(200)) expect(await loginAudits("op_operator")).toBe(before);
  });

  it("checks at most 30 passwords from one address spraying 80 accounts in parallel", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 80 }, (_, i) => attempt(`spray${i}@demo.test`, "Winter2026!", "203.0.113.8")),
    ).then((rs) => rs.map((r) => r.status));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(30);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(50);
  });

  it("reads the address from CF-Connecting-IP only: X-Forwarded-For does not buy fresh attempts", async () => {
    const email = DEMO_LOGINS.analyst.email;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await call("/api/auth/login", {
        method: "POST",
        json: { email, password: `nope-${i}` },
        headers: {
          "cf-connecting-ip": "203.0.113.9",
          "x-forwarded-for": `198.51.100.${i}`,
          "x-real-ip": `192.0.2.${i}`,
        },
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
  });
});
