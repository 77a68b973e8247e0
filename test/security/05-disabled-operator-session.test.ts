import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { evalRunStub } from "../../durable-objects/eval-run.ts";
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

  it("the Eval Lab progress object itself refuses a disabled or demoted operator's token on connect", async () => {
    // Straight at the Durable Object, past the Worker's socket guard: the object checks too.
    const runId = "run_sec05_state";
    await evalRunStub(env, runId).setup({ runId, workspaceId: "ws_demo", total: 3, costCapUsd: null });
    const connect = async (token: string): Promise<{ code: number | null; frames: string[] }> => {
      const res = await evalRunStub(env, runId).fetch(
        new Request(`http://localhost/parties/eval-run/${runId}?token=${encodeURIComponent(token)}`, {
          headers: { Upgrade: "websocket", "x-partykit-room": runId },
        }),
      );
      const ws = res.webSocket;
      if (!ws) throw new Error(`no socket: ${res.status}`);
      const frames: string[] = [];
      const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
      ws.addEventListener("message", (e) => {
        frames.push(String(e.data));
      });
      ws.accept();
      // A live socket gets its progress frame at once; a refused one is closed with 4401.
      const first = await Promise.race([
        closed,
        new Promise<null>((resolve) => {
          const t = setInterval(() => {
            if (frames.length) {
              clearInterval(t);
              resolve(null);
            }
          }, 20);
        }),
      ]);
      ws.close();
      return { code: first, frames };
    };
    const admin = await loginAdmin();
    const leaver = await createOperator(admin, "evalleaver", "operator");
    const demoted = await createOperator(admin, "evaldemoted", "admin");
    expect((await connect(leaver)).frames.length).toBeGreaterThan(0);
    expect((await connect(demoted)).frames.length).toBeGreaterThan(0);
    const idOf = async (token: string): Promise<string> => {
      const me: { id: string } = await (await call("/api/auth/me", { token })).json();
      return me.id;
    };
    const leaverId = await idOf(leaver);
    const demotedId = await idOf(demoted);
    for (const [id, json] of [
      [leaverId, { disabled: true }],
      [demotedId, { role: "operator" }],
    ] as const)
      expect((await call(`/api/operators/${id}`, { method: "PATCH", token: admin, json })).status).toBe(200);
    for (const token of [leaver, demoted]) {
      const after = await connect(token);
      expect(after.code).toBe(4401);
      expect(after.frames).toEqual([]);
    }
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
