/**
 * Development-only endpoints (404 anywhere else): seeding the demo workspace, used by
 * `npm run dev` right after the local database is migrated.
 */
import { Hono } from "hono";
import { getConfig } from "../lib/config.ts";
import { DEMO_LOGINS, seedDemoWorkspace } from "../db/seed/demo.ts";
import { seedKnowledge } from "../knowledge/seed.ts";

export const devApp = new Hono<{ Bindings: Env }>().post("/api/dev/seed", async (c) => {
  // getConfig refuses a development configuration outside localhost (workers/lib/config.ts).
  const config = getConfig(c.env, c.req.raw);
  if (!config.development) return c.json({ error: { code: "not_found", message: "No such endpoint" } }, 404);
  const result = await seedDemoWorkspace(c.env, config.encryptionKey);
  const knowledge = await seedKnowledge(c.env, result.workspaceId);
  return c.json({
    ...result,
    knowledge,
    logins: { admin: DEMO_LOGINS.admin.email, operator: DEMO_LOGINS.operator.email },
  });
});
