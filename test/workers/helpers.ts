/** Shared helpers for workerd integration tests. */
import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { DEMO_LOGINS, seedDemoWorkspace } from "../../workers/db/seed/demo.ts";
import { getConfig } from "../../workers/lib/config.ts";

export const BASE = "http://localhost";

export async function seedDemo(): Promise<void> {
  await seedDemoWorkspace(env, getConfig(env).encryptionKey, new Date("2026-11-01T00:00:00Z"));
}

export function call(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return SELF.fetch(new Request(`${BASE}${path}`, { ...init, headers, body }));
}

export async function login(email: string, password: string, ip = "10.0.0.1"): Promise<string> {
  const res = await call("/api/auth/login", {
    method: "POST",
    json: { email, password },
    headers: { "cf-connecting-ip": ip },
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const body: { token: string } = await res.json();
  return body.token;
}

export const loginAdmin = () => login(DEMO_LOGINS.admin.email, DEMO_LOGINS.admin.password);
export const loginOperator = () => login(DEMO_LOGINS.operator.email, DEMO_LOGINS.operator.password);
export const loginAnalyst = () => login(DEMO_LOGINS.analyst.email, DEMO_LOGINS.analyst.password);
