import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seedHistory } from "../../../workers/db/seed/seed-history.ts";
import { call, loginAnalyst, seedDemo } from "../helpers.ts";

describe("seedHistory", () => {
  it("writes the synthetic history once, and the reports summary shows it", async () => {
    await seedDemo();
    const first = await seedHistory(env.DB, "ws_demo", new Date());
    expect(first.created).toBe(true);
    console.log(`history seed: ${first.conversations} conversations, ${first.rows} rows, ${first.ms} ms`);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM conversations WHERE workspace_id = 'ws_demo'").first<{
      n: number;
    }>();
    expect(count?.n).toBe(first.conversations);
    const again = await seedHistory(env.DB, "ws_demo", new Date());
    expect(again.created).toBe(false);

    const token = await loginAnalyst();
    const res = await call("/api/reports/summary", { token });
    const body: { total: number; csat: { responses: number } } = await res.json();
    expect(body.total).toBeGreaterThan(500);
    expect(body.csat.responses).toBeGreaterThan(100);
  }, 180_000);
});
