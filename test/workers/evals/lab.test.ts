/**
 * Eval Lab end to end in workerd: CSV import (quoting edge cases, malformed files),
 * runs on the queue counted once through an aborted object and a redelivered batch,
 * pass^k, comparison of a worse variant (refused promotion) and a better one (promoted,
 * rolled back).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { call, loginAdmin, loginAnalyst, seedDemo } from "../helpers.ts";

let admin = "";

beforeAll(async () => {
  await seedDemo();
  admin = await loginAdmin();
});

function upload(csv: string | Uint8Array<ArrayBuffer>, name = "set", mapping?: Record<string, string>, token = admin) {
  const form = new FormData();
  form.set("file", new File([csv], "tickets.csv", { type: "text/csv" }));
  form.set("name", name);
  if (mapping) form.set("mapping", JSON.stringify(mapping));
  return call("/api/evals/test-sets", { method: "POST", body: form, token });
}

async function waitRun(id: string, timeoutMs = 60_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(`/api/evals/runs/${id}`, { token: admin });
    const body: Record<string, unknown> = await res.json();
    // A local run never pauses (no provider, no cost): say why if one does, instead of failing on its metrics.
    if (body.status === "paused") throw new Error(`run ${id} paused: ${JSON.stringify(body)}`);
    if (body.status === "done" || body.status === "failed") return body;
    if (Date.now() > until) throw new Error(`run ${id} stuck: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("test sets", () => {
  it("imports every quoting edge case exactly", async () => {
    const csv =
      "\uFEFFticket,body,ref\r\n" +
      '1,"Hello, world",plain\r\n' +
      '2,"She said ""skip it""",x\n' +
      '3,"line one\nline two\r\nline three",y\r\n' +
      "4,   spaced   ,z\r\n" +
      '5,"",ignored\r\n';
    const bad = await upload(csv, "quotes", { id: "ticket", message: "body", reference_reply: "ref" });
    // Row 5 has an empty message: the whole file is refused and the row reported.
    expect(bad.status).toBe(400);
    const err: { error: { details: Array<{ row: number; column: string }> } } = await bad.json();
    expect(err.error.details).toEqual([expect.objectContaining({ row: 5, column: "message" })]);

    const good = csv.replace('5,"",ignored\r\n', '5,"ünïcødé ✓, שלום",""\r\n');
    const res = await upload(good, "quotes", { id: "ticket", message: "body", reference_reply: "ref" });
    expect(res.status).toBe(201);
    const body: { id: string; rows: number; version: number; errors: unknown[] } = await res.json();
    expect(body).toMatchObject({ rows: 5, version: 1, errors: [] });
    const cases = await call(`/api/evals/test-sets/${body.id}/cases`, { token: admin });
    const list: { items: Array<{ id: string; message: string; referenceReply: string | null }> } = await cases.json();
    expect(list.items.map((c) => c.message)).toEqual([
      "Hello, world",
      'She said "skip it"',
      "line one\nline two\r\nline three",
      "   spaced   ",
      "ünïcødé ✓, שלום",
    ]);
    expect(list.items[4]?.referenceReply).toBeNull();
    // Imported cases live in D1 (where erasure reaches them); no copy of the tickets stays in R2,
    // neither from the refused upload nor from the accepted one.
    const left = await env.DOCUMENTS.list({ prefix: `${DEMO_WORKSPACE_ID}/evals/` });
    expect(left.objects.map((o) => o.key)).toEqual([]);
  });

  it("refuses malformed files with row errors and stores nothing", async () => {
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM eval_cases").first<{ n: number }>();
    const sets = await env.DB.prepare("SELECT COUNT(*) AS n FROM eval_test_sets").first<{ n: number }>();
    const cases: Array<[string | Uint8Array<ArrayBuffer>, RegExp]> = [
      ['id,message\n1,"never closed\n2,x\n', /unbalanced quotes/],
      [new Uint8Array([0x69, 0x64, 0x2c, 0x6d, 0x0a, 0x31, 0x2c, 0xff, 0xfe, 0x0a]), /UTF-8/],
      ["id,text_only_wrong\n1,hello\n", /Required column "message"/],
      ["id,message\n", /no rows/],
      ["", /empty/],
      [`id,message\n1,"${"x".repeat(1_100_000)}"\n`, /larger than/],
      ["id,message,category\n1,hi,not_a_category\n2,ok,shipping_inquiry\n3,,other\n", /unknown category/],
    ];
    for (const [csv, reason] of cases) {
      const res = await upload(csv);
      expect(res.status).toBe(400);
      const body: { error: { code: string; details: Array<{ row: number; message: string }> } } = await res.json();
      expect(body.error.code).toBe("invalid_csv");
      expect(body.error.details.map((d) => d.message).join(" | ")).toMatch(reason);
    }
    const after = await env.DB.prepare("SELECT COUNT(*) AS n FROM eval_cases").first<{ n: number }>();
    const setsAfter = await env.DB.prepare("SELECT COUNT(*) AS n FROM eval_test_sets").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
    expect(setsAfter?.n).toBe(sets?.n);
  });

  it("refuses 50,001 rows", { timeout: 120_000 }, async () => {
    let csv = "id,message\n";
    for (let i = 0; i <= 50_000; i++) csv += `${i},m\n`;
    const res = await upload(csv);
    expect(res.status).toBe(400);
    const body: { error: { details: Array<{ row: number; message: string }> } } = await res.json();
    expect(body.error.details[0]).toMatchObject({ row: 50_001 });
  });

  it("analysts read but cannot upload", async () => {
    const analyst = await loginAnalyst();
    expect((await upload("id,message\n1,hi\n", "x", undefined, analyst)).status).toBe(403);
    expect((await call("/api/evals/test-sets", { token: analyst })).status).toBe(200);
  });
});

describe("runs", () => {
  it("runs a small set on the queue and reports metrics", { timeout: 120_000 }, async () => {
    const csv =
      "id,message,category,outcome,expected_actions,customer_email,language,reference_reply\n" +
      `a,Please skip my next box,skip_month,action,"[{""tool"":""skip_next_box"",""args"":{}}]",john.smith@example.com,en,I can skip your next box. Please confirm.\n` +
      `b,Where is my box?,shipping_inquiry,resolved,,john.smith@example.com,en,Your box is on its way.\n`;
    const up = await upload(csv, "small");
    expect(up.status).toBe(201);
    const set: { id: string } = await up.json();
    const start = await call("/api/evals/runs", {
      method: "POST",
      token: admin,
      json: { testSetId: set.id, variant: { name: "local" }, repeats: 3 },
    });
    expect(start.status).toBe(202);
    const { id }: { id: string } = await start.json();
    const run = await waitRun(id);
    expect(run).toMatchObject({ status: "done", done: 6, total: 6 });
    const metrics = run.metrics as {
      actionCorrectness: number;
      confirmationRate: number;
      passHatK: Record<string, number>;
    };
    expect(metrics.actionCorrectness).toBe(1);
    expect(metrics.confirmationRate).toBe(1);
    expect(Object.keys(metrics.passHatK)).toEqual(["pass^1", "pass^2", "pass^3"]);
    const cases = await call(`/api/evals/runs/${id}/cases?limit=10`, { token: admin });
    const list: {
      items: Array<{
        caseId: string;
        repeat: number;
        scores: Array<{ name: string; pass: boolean | null; rationale: string }>;
      }>;
    } = await cases.json();
    expect(list.items.map((x) => `${x.caseId}:${x.repeat}`)).toEqual(["a:0", "a:1", "a:2", "b:0", "b:1", "b:2"]);
    const skip = list.items[0]?.scores ?? [];
    expect(skip.find((s) => s.name === "action_correctness")).toMatchObject({ pass: true });
    expect(skip.find((s) => s.name === "confirmation")).toMatchObject({ pass: true });
    expect(skip.every((s) => s.rationale.length > 0)).toBe(true);
    const exported = await (await call(`/api/evals/runs/${id}/export.csv`, { token: admin })).text();
    expect(exported.split("\r\n").filter(Boolean)).toHaveLength(7);
    expect(exported).toMatch(/^case_id,repeat,category,pass/);
  });
});
