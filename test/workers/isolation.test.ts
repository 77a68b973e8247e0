import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { createWorkspace } from "../../workers/db/seed/demo.ts";
import { getConfig } from "../../workers/lib/config.ts";
import { call, login, loginAdmin, seedDemo } from "./helpers.ts";

/** Workspace B gets its own admin and one row of every kind; workspace A (demo) must see none of it. */
beforeAll(async () => {
  await seedDemo();
  const tdb: TenantDb = await createWorkspace(
    env,
    {
      id: "ws_b",
      name: "Other Shop",
      slug: "other-shop",
      widgetKey: "other-widget",
      operators: [
        {
          id: "op_b_admin",
          email: "admin@other.test",
          password: "other-admin-password",
          name: "B Admin",
          handle: "badmin",
          role: "admin",
        },
      ],
    },
    getConfig(env).encryptionKey,
  );
  await tdb.insert(schema.contacts, { id: "ct_b", name: "B Customer", email: "b@customer.test" });
  await tdb.insert(schema.contactIdentities, {
    id: "cid_b",
    contactId: "ct_b",
    originalContactId: "ct_b",
    channel: "widget",
    inboxId: "ws_b_widget",
    externalId: "v_b",
  });
  await tdb.insert(schema.conversations, {
    id: "conv_b",
    inboxId: "ws_b_widget",
    contactId: "ct_b",
    identityId: "cid_b",
    channel: "widget",
    threadKey: "v_b",
    lastSeq: 1,
  });
  await tdb.insert(schema.messages, {
    id: "msg_b",
    conversationId: "conv_b",
    seq: 1,
    type: "incoming",
    senderType: "contact",
    content: "secret of B",
  });
  await tdb.insert(schema.knowledgeDocuments, {
    id: "doc_b",
    title: "B handbook",
    fileName: "b.md",
    kind: "md",
    size: 10,
    r2Key: "ws_b/doc_b",
  });
});

describe("workspace isolation", () => {
  it("a workspace-A token cannot read workspace-B rows", async () => {
    const token = await loginAdmin();
    for (const path of [
      "/api/conversations/conv_b",
      "/api/conversations/conv_b/messages",
      "/api/contacts/ct_b",
      "/api/knowledge/documents/doc_b",
    ]) {
      const res = await call(path, { token });
      expect(res.status, path).toBe(404);
    }
    const lists = await Promise.all(
      ["/api/conversations", "/api/contacts", "/api/knowledge/documents", "/api/operators", "/api/inboxes"].map((p) =>
        call(p, { token }).then((r) => r.text()),
      ),
    );
    for (const body of lists) {
      expect(body).not.toContain("conv_b");
      expect(body).not.toContain("ct_b");
      expect(body).not.toContain("doc_b");
      expect(body).not.toContain("admin@other.test");
      expect(body).not.toContain("ws_b_widget");
    }
    const settings: { name: string } = await (await call("/api/settings", { token })).json();
    expect(settings.name).toBe("Lev Haolam");
  });

  it("a workspace-A token cannot change or delete workspace-B rows", async () => {
    const token = await loginAdmin();
    expect((await call("/api/contacts/ct_b", { method: "PATCH", token, json: { name: "pwned" } })).status).toBe(404);
    expect(
      (await call("/api/contacts/ct_b/merge", { method: "POST", token, json: { sourceContactId: "ct_b" } })).status,
    ).toBe(400);
    expect((await call("/api/knowledge/documents/doc_b", { method: "DELETE", token })).status).toBe(404);
    const demoContact = await rawDb(env.DB).select().from(schema.contacts).all();
    expect(demoContact.find((c) => c.id === "ct_b")?.name).toBe("B Customer");
    const doc = await new TenantDb(rawDb(env.DB), "ws_b").first(schema.knowledgeDocuments);
    expect(doc?.id).toBe("doc_b");
  });

  it("workspace B's admin cannot read workspace A's intake backlog", async () => {
    const token = await login("admin@other.test", "other-admin-password");
    const res = await call("/api/inboxes/demo-telegram/intake", { token });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("waiting");
  });

  it("workspace B's admin sees only workspace B", async () => {
    const token = await login("admin@other.test", "other-admin-password");
    const convs: { items: Array<{ id: string }> } = await (await call("/api/conversations", { token })).json();
    expect(convs.items.map((c) => c.id)).toEqual(["conv_b"]);
    const settings: { name: string } = await (await call("/api/settings", { token })).json();
    expect(settings.name).toBe("Other Shop");
    expect((await call("/api/categories/other", { token })).status).toBe(404);
  });

  it("settings changes by one workspace do not touch the other", async () => {
    const tokenB = await login("admin@other.test", "other-admin-password");
    const current: { settings: Record<string, unknown> } = await (
      await call("/api/settings", { token: tokenB })
    ).json();
    const put = await call("/api/settings", {
      method: "PUT",
      token: tokenB,
      json: { ...current.settings, routingMode: "manual" },
    });
    expect(put.status).toBe(200);
    const tokenA = await loginAdmin();
    const a: { settings: { routingMode: string } } = await (await call("/api/settings", { token: tokenA })).json();
    expect(a.settings.routingMode).toBe("combined");
  });
});

describe("validation and OpenAPI", () => {
  it("answers 400 with the failing fields for a bad settings body", async () => {
    const token = await loginAdmin();
    const res = await call("/api/settings", {
      method: "PUT",
      token,
      json: { routingMode: "telepathy", businessHours: { timeZone: "Mars/Olympus", weekly: {} } },
    });
    expect(res.status).toBe(400);
    const body: { error: { details: Array<{ path: string }> } } = await res.json();
    const paths = body.error.details.map((d) => d.path);
    expect(paths).toContain("routingMode");
    expect(paths).toContain("businessHours.timeZone");
  });

  it("rejects a bad query parameter with 400", async () => {
    const token = await loginAdmin();
    const res = await call("/api/conversations?status=exploded&limit=5000", { token });
    expect(res.status).toBe(400);
    const body: { error: { details: Array<{ path: string }> } } = await res.json();
    expect(body.error.details.map((d) => d.path).sort()).toEqual(["limit", "status"]);
  });

  it("serves a valid OpenAPI 3.1 document covering the routes", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc: {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, unknown> };
    } = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    for (const p of [
      "/api/auth/login",
      "/api/conversations",
      "/api/conversations/{id}/messages",
      "/api/contacts/{id}",
      "/api/settings",
      "/api/categories/{key}",
      "/api/knowledge/documents",
      "/api/health",
    ]) {
      expect(doc.paths[p], p).toBeDefined();
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops))
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
    }
    expect(doc.components.securitySchemes.Bearer).toBeDefined();
  });
});
