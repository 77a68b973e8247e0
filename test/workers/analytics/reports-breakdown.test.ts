import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedHistory } from "../../../workers/db/seed/seed-history.ts";
import { BreakdownSchema, DrilldownSchema } from "../../../workers/protocol/analytics.ts";
import { call, loginAnalyst, seedDemo } from "../helpers.ts";

let token: string;
const DAY = 86_400_000;

beforeAll(async () => {
  await seedDemo();
  await seedHistory(env.DB, "ws_demo", new Date(), undefined, 600);
  token = await loginAnalyst();
}, 120_000);

describe("GET /api/reports/breakdown and /drilldown over the seeded history", () => {
  it("gives weekly trends with units and per-operator, team and tag breakdowns", async () => {
    const to = Date.now();
    const from = to - 90 * DAY;
    const week = BreakdownSchema.parse(
      await (await call(`/api/reports/breakdown?by=week&from=${from}&to=${to}`, { token })).json(),
    );
    expect(week.rows.length).toBeGreaterThanOrEqual(12);
    expect(week.measures.find((m) => m.key === "first_response_min")?.unit).toBe("min");
    expect(week.rows.map((r) => r.key)).toEqual([...week.rows.map((r) => r.key)].sort());
    for (const by of ["operator", "team", "tag", "category"]) {
      const b = BreakdownSchema.parse(
        await (await call(`/api/reports/breakdown?by=${by}&from=${from}&to=${to}`, { token })).json(),
      );
      expect(b.rows.length, by).toBeGreaterThan(1);
      const total = b.rows.reduce((s, r) => s + (r.values[0] ?? 0), 0);
      expect(total, by).toBeGreaterThan(50);
    }
  });

  it("drills down to the conversations behind a number", async () => {
    const to = Date.now();
    const from = to - 90 * DAY;
    const b = BreakdownSchema.parse(
      await (await call(`/api/reports/breakdown?by=channel&from=${from}&to=${to}`, { token })).json(),
    );
    const first = b.rows[0];
    if (!first) throw new Error("no rows");
    const d = DrilldownSchema.parse(
      await (await call(`/api/reports/drilldown?by=channel&key=${first.key}&from=${from}&to=${to}`, { token })).json(),
    );
    expect(d.items.length).toBe(Math.min(200, first.values[0] ?? 0));
    expect(d.items.every((i) => i.channel === first.key)).toBe(true);
  });

  it("rejects an unknown breakdown and an inverted period with a 400", async () => {
    expect((await call("/api/reports/breakdown?by=password_hash", { token })).status).toBe(400);
    expect((await call("/api/reports/breakdown?by=week&from=200&to=100", { token })).status).toBe(400);
    expect((await call("/api/reports/breakdown?by=week")).status).toBe(401);
  });
});
