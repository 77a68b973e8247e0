import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { createWorkspace } from "../../workers/db/seed/demo.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { call, loginAnalyst, loginOperator, seedDemo } from "./helpers.ts";

let demo: TenantDb;

beforeAll(async () => {
  await seedDemo();
  demo = new TenantDb(rawDb(env.DB), "ws_demo");
  await demo.insert(schema.contacts, [
    { id: "ct_edit", name: "Edit Me", email: "edit@example.com" },
    { id: "ct_keep", name: "Keeper", email: "keeper@example.com" },
    { id: "ct_dupe", name: "Keeper (telegram)", phone: "+972541234567" },
  ]);
  const other = await createWorkspace(
    env,
    { id: "ws_c", name: "C", slug: "c-shop", widgetKey: "c-widget", operators: [] },
    getConfig(env).encryptionKey,
  );
  await other.insert(schema.contacts, { id: "ct_c_other", name: "Other shop's customer" });
});

async function contact(id: string) {
  return demo.first(schema.contacts, eq(schema.contacts.id, id));
}

describe("PATCH /api/contacts/:id", () => {
  it("edits name, email, phone and tags", async () => {
    const op = await loginOperator();
    const res = await call("/api/contacts/ct_edit", {
      method: "PATCH",
      token: op,
      json: { name: "Edited Name", email: "edited@example.com", phone: "+14155550123", tags: ["vip"] },
    });
    expect(res.status).toBe(200);
    const row = await contact("ct_edit");
    expect(row?.name).toBe("Edited Name");
    expect(row?.phone).toBe("+14155550123");
    expect(row?.tags).toEqual(["vip"]);
  });

  it("refuses bad values with a 400 naming the field, and stores nothing", async () => {
    const op = await loginOperator();
    for (const json of [{ email: "not-an-email" }, { phone: "0541234567" }, { name: "" }, { nickname: "x" }]) {
      const res = await call("/api/contacts/ct_edit", { method: "PATCH", token: op, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      const body: { error: { code: string; details?: unknown } } = await res.json();
      expect(body.error.code).toBe("validation_failed");
    }
    expect((await contact("ct_edit"))?.email).toBe("edited@example.com");
  });

  it("is read-only for analysts and invisible across workspaces", async () => {
    const analyst = await loginAnalyst();
    const ro = await call("/api/contacts/ct_edit", { method: "PATCH", token: analyst, json: { name: "x" } });
    expect(ro.status).toBe(403);
    const op = await loginOperator();
    const other = await call("/api/contacts/ct_c_other", { method: "PATCH", token: op, json: { name: "pwned" } });
    expect(other.status).toBe(404);
  });
});

describe("POST /api/contacts/:id/merge", () => {
  it("refuses self-merge, unknown and other-workspace sources without changing anything", async () => {
    const op = await loginOperator();
    const self = await call("/api/contacts/ct_keep/merge", {
      method: "POST",
      token: op,
      json: { sourceContactId: "ct_keep" },
    });
    expect(self.status).toBe(400);
    const unknown = await call("/api/contacts/ct_keep/merge", {
      method: "POST",
      token: op,
      json: { sourceContactId: "ct_nope" },
    });
    expect(unknown.status).toBe(404);
    const foreign = await call("/api/contacts/ct_keep/merge", {
      method: "POST",
      token: op,
      json: { sourceContactId: "ct_c_other" },
    });
    expect(foreign.status).toBe(404);
    const bad = await call("/api/contacts/ct_keep/merge", { method: "POST", token: op, json: {} });
    expect(bad.status).toBe(400);
    expect((await contact("ct_keep"))?.mergedIntoId).toBeNull();
  });

  it("merges a duplicate into the kept contact, once", async () => {
    const op = await loginOperator();
    const res = await call("/api/contacts/ct_keep/merge", {
      method: "POST",
      token: op,
      json: { sourceContactId: "ct_dupe" },
    });
    expect(res.status).toBe(200);
    expect((await contact("ct_dupe"))?.mergedIntoId).toBe("ct_keep");
    const again = await call("/api/contacts/ct_keep/merge", {
      method: "POST",
      token: op,
      json: { sourceContactId: "ct_dupe" },
    });
    expect(again.status).toBe(400);
    const list: { items: Array<{ id: string }> } = await (await call("/api/contacts?limit=100", { token: op })).json();
    expect(list.items.map((i) => i.id)).not.toContain("ct_dupe");
  });
});
