import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { vectorIndexStub } from "../../../durable-objects/vector-index.ts";
import { schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { tenantDb } from "../../../workers/knowledge/documents.ts";
import { FAQ_FILES } from "../../../workers/knowledge/faq.generated.ts";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";
import { fewShotExamples, retrieveForAgent } from "../../../workers/knowledge/service.ts";
import { call, loginAdmin, loginAnalyst, loginOperator, seedDemo } from "../helpers.ts";

let admin = "";
let operator = "";
beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
  operator = await loginOperator();
  const tdb = tenantDb(env, DEMO_WORKSPACE_ID);
  await tdb.insert(schema.contacts, { id: "ct_fs", name: "Dana" });
  await tdb.insert(schema.contactIdentities, {
    id: "cid_fs",
    contactId: "ct_fs",
    originalContactId: "ct_fs",
    channel: "widget",
    inboxId: "demo-widget",
    externalId: "v_fs",
  });
  await tdb.insert(schema.conversations, {
    id: "conv_fs",
    inboxId: "demo-widget",
    contactId: "ct_fs",
    identityId: "cid_fs",
    channel: "widget",
    threadKey: "v_fs",
    category: "skip_month",
    lastSeq: 5,
  });
  await tdb.insert(schema.messages, [
    { id: "m_fs_1", conversationId: "conv_fs", seq: 1, type: "incoming", senderType: "contact", content: "Hi!" },
    {
      id: "m_fs_2",
      conversationId: "conv_fs",
      seq: 2,
      type: "outgoing",
      senderType: "bot",
      content: "Hello, how can I help?",
    },
    {
      id: "m_fs_3",
      conversationId: "conv_fs",
      seq: 3,
      type: "incoming",
      senderType: "contact",
      content: "Can I skip next month's box?",
    },
    { id: "m_fs_4", conversationId: "conv_fs", seq: 4, type: "note", senderType: "operator", content: "internal note" },
    {
      id: "m_fs_5",
      conversationId: "conv_fs",
      seq: 5,
      type: "outgoing",
      senderType: "operator",
      content: "Yes: open Account › Subscription and press Skip before the 5th.",
    },
  ]);
});

interface ExampleOut {
  id: string;
  category: string;
  question: string;
  answer: string;
  status: string;
}

describe("few-shot examples from history", () => {
  let exampleId = "";

  it("staff mark a good answer; it is pending with the customer's question and the conversation's category", async () => {
    expect(
      (
        await call("/api/knowledge/examples", {
          method: "POST",
          token: await loginAnalyst(),
          json: { messageId: "m_fs_5" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await call("/api/knowledge/examples", { method: "POST", token: operator, json: { messageId: "m_fs_3" } }))
        .status,
    ).toBe(400);
    expect(
      (await call("/api/knowledge/examples", { method: "POST", token: operator, json: { messageId: "nope" } })).status,
    ).toBe(404);
    const res = await call("/api/knowledge/examples", {
      method: "POST",
      token: operator,
      json: { messageId: "m_fs_5" },
    });
    expect(res.status).toBe(201);
    const example: ExampleOut = await res.json();
    expect(example).toMatchObject({
      category: "skip_month",
      question: "Can I skip next month's box?",
      answer: "Yes: open Account › Subscription and press Skip before the 5th.",
      status: "pending",
    });
    exampleId = example.id;
    expect(
      (await call("/api/knowledge/examples", { method: "POST", token: operator, json: { messageId: "m_fs_5" } }))
        .status,
    ).toBe(409);

    const pending: { items: ExampleOut[] } = await (
      await call("/api/knowledge/examples?status=pending", { token: operator })
    ).json();
    expect(pending.items.map((e) => e.id)).toEqual([exampleId]);
  });

  it("only approved examples reach the agent, and only admins approve", async () => {
    expect(await fewShotExamples(env, DEMO_WORKSPACE_ID, "skip_month", "skip a box", 3)).toEqual([]);
    expect(
      (await call(`/api/knowledge/examples/${exampleId}/approve`, { method: "POST", token: operator })).status,
    ).toBe(403);
    const approved = await call(`/api/knowledge/examples/${exampleId}/approve`, { method: "POST", token: admin });
    expect(approved.status).toBe(200);
    const shots = await fewShotExamples(env, DEMO_WORKSPACE_ID, "skip_month", "I want to skip the next box", 3);
    expect(shots.map((s) => s.id)).toEqual([exampleId]);
    expect(shots[0]?.score).toBeGreaterThan(0);
    expect(await fewShotExamples(env, DEMO_WORKSPACE_ID, "payment_issue", "skip a box", 3)).toEqual([]);

    expect((await call(`/api/knowledge/examples/${exampleId}/reject`, { method: "POST", token: admin })).status).toBe(
      200,
    );
    expect(await fewShotExamples(env, DEMO_WORKSPACE_ID, "skip_month", "skip a box", 3)).toEqual([]);
    const rejected: { items: ExampleOut[] } = await (
      await call("/api/knowledge/examples?status=rejected", { token: admin })
    ).json();
    expect(rejected.items.map((e) => e.id)).toEqual([exampleId]);
  });
});

describe("demo knowledge seed", () => {
  it("stores and ingests the FAQ, idempotently, and the agent retrieves from it", async () => {
    const first = await seedKnowledge(env, DEMO_WORKSPACE_ID);
    expect(first).toEqual({ created: FAQ_FILES.length, updated: 0, unchanged: 0, failed: [] });
    const docs: { items: Array<{ source: string; status: string }> } = await (
      await call("/api/knowledge/documents", { token: admin })
    ).json();
    const seeded = docs.items.filter((d) => d.source === "seed");
    expect(seeded).toHaveLength(FAQ_FILES.length);
    expect(seeded.every((d) => d.status === "ready")).toBe(true);
    const vectors = await vectorIndexStub(env, DEMO_WORKSPACE_ID).count(DEMO_WORKSPACE_ID);

    expect(await seedKnowledge(env, DEMO_WORKSPACE_ID)).toEqual({
      created: 0,
      updated: 0,
      unchanged: FAQ_FILES.length,
      failed: [],
    });
    expect(await vectorIndexStub(env, DEMO_WORKSPACE_ID).count(DEMO_WORKSPACE_ID)).toBe(vectors);

    const passages = await retrieveForAgent(env, DEMO_WORKSPACE_ID, "How long does delivery to Canada take?", {
      category: "shipping_inquiry",
      topK: 3,
    });
    expect(passages).toHaveLength(3);
    expect(passages[0]?.documentTitle).toBe("Shipping and Delivery");
    expect(
      passages.some(
        (p) => p.citation === "Shipping and Delivery › Delivery times by region" && p.text.includes("Canada Post"),
      ),
    ).toBe(true);
    expect(await retrieveForAgent(env, "ws_nobody", "How long does delivery to Canada take?")).toEqual([]);
  }, 120_000);
});
