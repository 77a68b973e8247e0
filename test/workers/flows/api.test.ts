/** /api/flows, /api/rules and /api/webhooks through the Worker: contract shapes, validation, roles. */
import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, loginAnalyst, loginOperator, seedDemo } from "../helpers.ts";

let admin = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});

const t = (text: string) => ({ text, translations: {} });

async function createFlow(body: unknown): Promise<string> {
  const res = await call("/api/flows", { method: "POST", token: admin, json: body });
  expect(res.status).toBe(201);
  const { id }: { id: string } = await res.json();
  return id;
}

describe("flows API", () => {
  it("lists the templates", async () => {
    const res = await call("/api/flows/templates", { token: admin });
    expect(res.status).toBe(200);
    const body: { items: Array<{ id: string; name: string; industry: string }> } = await res.json();
    expect(body.items.map((i) => i.industry)).toEqual([
      "ecommerce",
      "services",
      "b2b_saas",
      "finance_insurance",
      "real_estate",
      "education",
      "none",
    ]);
  });

  it("creates from a template (with its rules), publishes, rolls back and keeps history", async () => {
    const id = await createFlow({ name: "Shop", fromTemplate: "ecommerce" });
    const rules: { items: Array<{ definition: { name: string } }> } = await (
      await call("/api/rules", { token: admin })
    ).json();
    expect(rules.items.some((r) => r.definition.name === "Low CSAT: tag and raise priority")).toBe(true);

    const p1 = await call(`/api/flows/${id}/publish`, { method: "POST", token: admin });
    expect(await p1.json()).toEqual({ version: 1 });
    const graph = { start: "a", nodes: [{ id: "a", type: "end", text: t("Bye") }], edges: [] };
    const put = await call(`/api/flows/${id}`, { method: "PUT", token: admin, json: { graph } });
    expect(put.status).toBe(200);
    expect(await (await call(`/api/flows/${id}/publish`, { method: "POST", token: admin })).json()).toEqual({
      version: 2,
    });

    const rb = await call(`/api/flows/${id}/rollback`, { method: "POST", token: admin, json: { version: 1 } });
    expect(await rb.json()).toEqual({ version: 3 });
    const detail: {
      draft: { start: string };
      publishedVersion: number;
      versions: Array<{ version: number; rolledBackFrom: number | null }>;
    } = await (await call(`/api/flows/${id}`, { token: admin })).json();
    expect(detail.publishedVersion).toBe(3);
    expect(detail.draft.start).toBe("menu");
    expect(detail.versions.map((v) => [v.version, v.rolledBackFrom])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
    const v2: { graph: { start: string } } = await (await call(`/api/flows/${id}/versions/2`, { token: admin })).json();
    expect(v2.graph.start).toBe("a");
    expect(
      (await call(`/api/flows/${id}/rollback`, { method: "POST", token: admin, json: { version: 99 } })).status,
    ).toBe(404);
  });

  it("refuses an invalid graph at save with the node and reason, and stores nothing", async () => {
    const bad = {
      start: "a",
      nodes: [
        { id: "a", type: "message", text: t("Hi {{who}}") },
        { id: "b", type: "end" },
      ],
      edges: [{ id: "e", from: "a", to: "ghost" }],
    };
    const res = await call("/api/flows", { method: "POST", token: admin, json: { name: "Bad", graph: bad } });
    expect(res.status).toBe(422);
    const body: { error: { code: string; details: Array<{ nodeId: string | null; code: string }> } } = await res.json();
    expect(body.error.code).toBe("invalid_graph");
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ nodeId: "a", code: "dangling_edge" }),
        expect.objectContaining({ nodeId: "b", code: "unreachable" }),
        expect.objectContaining({ nodeId: "a", code: "unknown_variable" }),
      ]),
    );
    const schemaBad = await call("/api/flows", {
      method: "POST",
      token: admin,
      json: {
        name: "Bad",
        graph: { start: "a", nodes: [{ id: "a", type: "buttons", text: t("x"), buttons: [] }], edges: [] },
      },
    });
    expect(schemaBad.status).toBe(422);
    const sb: { error: { details: Array<{ nodeId: string | null; code: string }> } } = await schemaBad.json();
    expect(sb.error.details[0]).toMatchObject({ nodeId: "a", code: "schema" });
    const list: { items: Array<{ name: string }> } = await (await call("/api/flows", { token: admin })).json();
    expect(list.items.some((f) => f.name === "Bad")).toBe(false);
    expect(
      (await call("/api/flows", { method: "POST", token: admin, json: { name: "x", fromTemplate: "nope" } })).status,
    ).toBe(422);
  });

  it("simulates the draft with the real engine and a sandbox store", async () => {
    const id = await createFlow({ name: "Sim", fromTemplate: "ecommerce" });
    const res = await call(`/api/flows/${id}/simulate`, {
      method: "POST",
      token: admin,
      json: { inputs: [{ button: "Return an item" }, "A-1001", "2", "me@example.com"] },
    });
    expect(res.status).toBe(200);
    const body: {
      transcript: Array<{ from: string; text: string; buttons?: Array<{ title: string; payload: string }> }>;
      ended: boolean;
      handoff: boolean;
      variables: Record<string, string>;
    } = await res.json();
    expect(body.ended).toBe(true);
    expect(body.handoff).toBe(false);
    expect(body.transcript[0]).toMatchObject({
      from: "bot",
      buttons: expect.arrayContaining([{ title: "Order status", payload: "flow:status" }]),
    });
    expect(body.variables.return_reason).toBe("Wrong size");

    const demo = await createFlow({ name: "Demo", fromTemplate: "lev_haolam" });
    const ai = await call(`/api/flows/${demo}/simulate`, {
      method: "POST",
      token: admin,
      json: { inputs: [{ button: "Where is my box?" }], customerEmail: "john.smith@example.com" },
    });
    const aiBody: { transcript: Array<{ from: string; text: string }>; ended: boolean; handoff: boolean } =
      await ai.json();
    // The AI agent's turn (local engine on the demo store) answered between the button and the end.
    expect(aiBody.transcript.length).toBeGreaterThanOrEqual(3);
    expect(aiBody.transcript[2]?.from).toBe("bot");
    expect(aiBody.ended || aiBody.handoff).toBe(true);
  });

  it("checks roles: operators read, analysts read, only admins write", async () => {
    const op = await loginOperator();
    expect((await call("/api/flows", { token: op })).status).toBe(200);
    expect((await call("/api/flows", { method: "POST", token: op, json: { name: "x" } })).status).toBe(403);
    const an = await loginAnalyst();
    expect((await call("/api/rules", { method: "POST", token: an, json: {} })).status).toBe(403);
    expect((await call("/api/flows")).status).toBe(401);
  });
});

describe("rules API", () => {
  it("CRUD with validation", async () => {
    const def = {
      name: "Idle",
      event: { kind: "customer_idle", minutes: 30 },
      actions: [{ type: "send_message", text: t("Still there?") }],
    };
    const res = await call("/api/rules", { method: "POST", token: admin, json: def });
    expect(res.status).toBe(201);
    const { id }: { id: string } = await res.json();
    const put = await call(`/api/rules/${id}`, { method: "PUT", token: admin, json: { ...def, enabled: false } });
    expect(put.status).toBe(200);
    const got: { definition: { enabled: boolean } } = await (await call(`/api/rules/${id}`, { token: admin })).json();
    expect(got.definition.enabled).toBe(false);
    const bad = await call("/api/rules", {
      method: "POST",
      token: admin,
      json: { ...def, event: { kind: "customer_idle", minutes: 0 } },
    });
    expect(bad.status).toBe(400);
    expect((await call(`/api/rules/${id}`, { method: "DELETE", token: admin })).status).toBe(200);
    expect((await call(`/api/rules/${id}`, { token: admin })).status).toBe(404);
  });
});

describe("webhooks API", () => {
  it("shows the secret once, refuses private targets, lists deliveries", async () => {
    const res = await call("/api/webhooks", {
      method: "POST",
      token: admin,
      json: { url: "https://hooks.example.com/omni", events: ["message.created", "flow.completed"] },
    });
    expect(res.status).toBe(201);
    const { id, secret }: { id: string; secret: string } = await res.json();
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const list = await (await call("/api/webhooks", { token: admin })).text();
    expect(list).toContain(id);
    expect(list).not.toContain(secret);
    const priv = await call("/api/webhooks", {
      method: "POST",
      token: admin,
      json: { url: "http://10.0.0.5/x", events: ["message.created"] },
    });
    expect(priv.status).toBe(422);
    const badEvent = await call("/api/webhooks", {
      method: "POST",
      token: admin,
      json: { url: "https://a.example", events: ["nope"] },
    });
    expect(badEvent.status).toBe(400);
    const deliveries = await call(`/api/webhooks/${id}/deliveries`, { token: admin });
    expect(await deliveries.json()).toEqual({ items: [] });
  });

  it("documents every event payload in the OpenAPI webhooks section", async () => {
    const doc: { webhooks?: Record<string, unknown> } = await (await call("/api/openapi.json")).json();
    expect(Object.keys(doc.webhooks ?? {}).sort()).toEqual([
      "action.executed",
      "conversation.assigned",
      "conversation.created",
      "conversation.resolved",
      "csat.received",
      "flow.completed",
      "message.created",
    ]);
  });
});
