import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../workers/lib/password.ts";
import { call, login, loginAdmin, seedDemo } from "../workers/helpers.ts";

beforeAll(seedDemo);

async function createOperator(admin: string, handle: string, role: "admin" | "operator"): Promise<string> {
  const res = await call("/api/operators", {
    method: "POST",
    token: admin,
    json: { email: `${handle}@demo.test`, name: handle, handle, role, password: `password-of-${handle}` },
  });
  expect(res.status).toBe(201);
  return login(`${handle}@demo.test`, `password-of-${handle}`, `192.0.2.${handle.length}`);
}

async function upgrade(path: string): Promise<number> {
  const res = await SELF.fetch(`http://localhost${path}`, { headers: { Upgrade: "websocket" } });
  res.webSocket?.accept();
  res.webSocket?.close();
  return res.status;
}

async function operatorRow(id: string) {
  return env.DB.prepare("SELECT role, disabled FROM operators WHERE id = ?1").bind(id).first<{
    role: string;
    disabled: number;
  }>();
}

describe("item 5: disabling or demoting an operator ends what their token allowed", () => {
  it("refuses a disabled operator's token on the API and on socket connect at once", async () => {
    const admin = await loginAdmin();
    const token = await createOperator(admin, "leaver", "operator");
    expect((await call("/api/conversations", { token })).status).toBe(200);
    expect(await upgrade(`/parties/presence/ws_demo?token=${token}`)).toBe(101);
    const me: { id: string } = await (await call("/api/auth/me", { token })).json();
    const patch = await call(`/api/operators/${me.id}`, { method: "PATCH", token: admin, json: { disabled: true } });
    expect(patch.status).toBe(200);

    const after = await call("/api/conversations", { token });
    expect(after.status).toBe(401);
    expect(await upgrade(`/parties/presence/ws_demo?token=${token}`)).toBe(401);
    // A write with the old token changes nothing.
    const write = await call("/api/canned-responses", {
      method: "POST",
      token,
      json: { shortCode: "leaver", content: "I was here" },
    });
    expect(write.status).toBe(401);
    const stored = await env.DB.prepare(
      "SELECT count(*) AS n FROM canned_responses WHERE short_code = 'leaver'",
    ).first<{
      n: number;
    }>();
    expect(stored?.n).toBe(0);
  });

  it("takes a demoted admin's admin rights away although the token still says admin", async () => {
    const admin = await loginAdmin();
    const token = await createOperator(admin, "demoted", "admin");
    expect((await call("/api/audit", { token })).status).toBe(200);
    const me: { id: string } = await (await call("/api/auth/me", { token })).json();
    expect(
      (await call(`/api/operators/${me.id}`, { method: "PATCH", token: admin, json: { role: "analyst" } })).status,
    ).toBe(200);
    expect((await call("/api/audit", { token })).status).toBe(403);
    const invite = await call("/api/operators", {
      method: "POST",
      token,
      json: { email: "sneak@demo.test", name: "S", handle: "sneak", role: "admin", password: "long-enough-password" },
    });
    expect(invite.status).toBe(403);
    expect(await env.DB.prepare("SELECT id FROM operators WHERE email = 'sneak@demo.test'").first()).toBeNull();
    // The socket would trust the token's role: refused until they sign in again.
    expect(await upgrade(`/parties/presence/ws_demo?token=${token}`)).toBe(401);
  });

  it("item 15: an admin cannot disable or demote the workspace owner", async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO operators (id, workspace_id, email, name, handle, role, password_hash) VALUES ('op_owner', 'ws_demo', 'owner@demo.test', 'Owner', 'owner', 'owner', ?1)",
    )
      .bind(await hashPassword("owner-password-123", 1000))
      .run();
    const admin = await loginAdmin();
    for (const json of [{ disabled: true }, { role: "operator" }, { role: "analyst", disabled: true }]) {
      const res = await call("/api/operators/op_owner", { method: "PATCH", token: admin, json });
      expect(res.status, JSON.stringify(json)).toBe(403);
    }
    expect(await operatorRow("op_owner")).toEqual({ role: "owner", disabled: 0 });
  });
});
