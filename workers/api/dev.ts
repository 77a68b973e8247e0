/**
 * Development-only endpoints (404 anywhere else): seeding the demo workspace, used by
 * `npm run dev` right after the local database is migrated, and then its synthetic
 * six-month history (a separate call, so the platform is usable while it is written).
 */
import { Hono } from "hono";
import { getConfig } from "../lib/config.ts";
import { DEMO_LOGINS, DEMO_WORKSPACE_ID, seedDemoWorkspace } from "../db/seed/demo.ts";
import { seedDemoAutomation } from "../db/seed/flows.ts";
import { seedKnowledge } from "../knowledge/seed.ts";
import { seedHistory } from "../db/seed/seed-history.ts";

/** Answers 404 unless this is a development deployment reached on localhost (workers/lib/config.ts). */
function devConfig(env: Env, req: Request) {
  const config = getConfig(env, req);
  return config.development ? config : null;
}

const notFound = { error: { code: "not_found", message: "No such endpoint" } };

export const devApp = new Hono<{ Bindings: Env }>()
  .post("/api/dev/seed-history", async (c) => {
    if (!devConfig(c.env, c.req.raw)) return c.json(notFound, 404);
    const seeded = await c.env.DB.prepare("SELECT 1 AS x FROM workspaces WHERE id = ?").bind(DEMO_WORKSPACE_ID).first();
    if (!seeded) return c.json({ error: { code: "conflict", message: "Seed the demo workspace first" } }, 409);
    return c.json(await seedHistory(c.env.DB, DEMO_WORKSPACE_ID));
  })
  .post("/api/dev/seed", async (c) => {
    const config = devConfig(c.env, c.req.raw);
    if (!config) return c.json(notFound, 404);
    const result = await seedDemoWorkspace(c.env, config.encryptionKey);
    const knowledge = await seedKnowledge(c.env, result.workspaceId);
    if (c.req.query("flows") !== "0") await seedDemoAutomation(c.env, result.workspaceId);
    return c.json({
      ...result,
      knowledge,
      logins: { admin: DEMO_LOGINS.admin.email, operator: DEMO_LOGINS.operator.email },
    });
  });
