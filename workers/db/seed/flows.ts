/**
 * The demo workspace's automation (issue 16): the Lev Haolam welcome flow, published and
 * active, and its rules (operator idle 5 min → reassign; customer idle 24 h → nudge, then
 * resolve). Seeded by `npm run dev` only: integration tests seed the demo workspace
 * without it so conversations there reach the AI agent directly unless a test adds a flow.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../client.ts";
import { DEMO_FLOW } from "../../flows/templates.ts";

export const DEMO_FLOW_ID = "flow_demo_welcome";

/** Idempotent: does nothing when the demo flow exists. */
export async function seedDemoAutomation(env: Env, workspaceId: string): Promise<{ created: boolean }> {
  const tdb = new TenantDb(rawDb(env.DB), workspaceId);
  if (await tdb.first(schema.flows, eq(schema.flows.id, DEMO_FLOW_ID))) return { created: false };
  await tdb.insert(schema.flows, {
    id: DEMO_FLOW_ID,
    name: DEMO_FLOW.name,
    templateId: DEMO_FLOW.id,
    draft: DEMO_FLOW.graph,
    publishedVersion: 1,
    active: true,
  });
  await tdb.insert(schema.flowVersions, {
    flowId: DEMO_FLOW_ID,
    version: 1,
    graph: DEMO_FLOW.graph,
    publishedBy: null,
  });
  await tdb.insert(
    schema.automationRules,
    DEMO_FLOW.rules.map((definition, i) => ({ id: `rule_demo_${i + 1}`, definition, enabled: true })),
  );
  return { created: true };
}
