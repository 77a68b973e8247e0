/**
 * Action-correctness eval on the demo store. For each task two fresh workspaces get the
 * same store: in one the engine talks with the scripted customer (local provider, the
 * customer confirms every proposal, actions executed through the real connector); in
 * the other the gold actions are replayed. The task passes when the canonical JSON of
 * both stores hashes the same. Needs D1, so it runs inside workerd
 * (test/workers/ai/actions-eval.test.ts), not in plain Node.
 */
import { asc } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../../workers/db/client.ts";
import { generateStore } from "../../workers/db/seed/store.ts";
import { DEMO_CATEGORIES } from "../../workers/db/seed/categories.ts";
import { runTurnWith } from "../../workers/ai/engine.ts";
import type { EngineState } from "../../workers/ai/state.ts";
import type { TurnHistoryItem } from "../../workers/ai/turn-types.ts";
import { DemoStoreConnector } from "../../workers/commerce/demo-store.ts";
import { executeWith } from "../../workers/commerce/execute.ts";
import { sha256Hex } from "../../workers/lib/encoding.ts";
import { actionTasks, type ActionTask } from "./tasks.ts";

export interface TaskResult {
  id: string;
  pass: boolean;
  proposed: Array<{ tool: string; args: Record<string, unknown> }>;
  agentHash: string;
  goldHash: string;
}

const STORE_REFERENCE = new Date("2026-11-01T00:00:00Z");

/** A new workspace with the demo categories and the demo store generated at `reference`. */
export async function freshStore(env: Env, id: string, reference = STORE_REFERENCE, customers = 5): Promise<TenantDb> {
  const db = rawDb(env.DB);
  await db
    .insert(schema.workspaces)
    .values({ id, name: "Eval shop", slug: id, widgetKey: `wk_${id}`, settings: { aiMode: "autopilot" } });
  const tdb = new TenantDb(db, id);
  await tdb.insert(
    schema.categories,
    DEMO_CATEGORIES.map((c) => ({
      id: `cat_${id}_${c.key}`,
      key: c.key,
      name: c.name,
      instructions: c.instructions,
      allowedTools: c.allowedTools,
      provider: "local",
      model: c.model,
      reasoningLevel: c.reasoningLevel,
      autoSend: c.autoSend,
      retentionOffer: c.retentionOffer,
    })),
  );
  // Store row ids are global primary keys, so each eval workspace prefixes its own.
  const store = generateStore(reference, customers);
  const p = (x: string) => `${id}_${x}`;
  await tdb.insert(
    schema.storeCustomers,
    store.customers.map((c) => ({ ...c, id: p(c.id) })),
  );
  await tdb.insert(
    schema.storeSubscriptions,
    store.subscriptions.map((s) => ({ ...s, id: p(s.id), customerId: p(s.customerId) })),
  );
  await tdb.insert(
    schema.storeOrders,
    store.orders.map((o) => ({ ...o, id: p(o.id), customerId: p(o.customerId), subscriptionId: p(o.subscriptionId) })),
  );
  await tdb.insert(
    schema.storeShipments,
    store.shipments.map((x) => ({ ...x, id: p(x.id), orderId: p(x.orderId) })),
  );
  await tdb.insert(
    schema.storePayments,
    store.payments.map((x) => ({
      ...x,
      id: p(x.id),
      customerId: p(x.customerId),
      subscriptionId: p(x.subscriptionId),
    })),
  );
  return tdb;
}

/** Canonical JSON: object keys sorted at every depth. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
}

/** The account-visible state of the store, without ids and timestamps. */
export async function storeState(tdb: TenantDb): Promise<unknown> {
  const customers = await tdb.select(schema.storeCustomers, undefined, { orderBy: asc(schema.storeCustomers.id) });
  const subs = await tdb.select(schema.storeSubscriptions, undefined, { orderBy: asc(schema.storeSubscriptions.id) });
  const claims = await tdb.select(schema.storeDamageClaims, undefined, {
    orderBy: asc(schema.storeDamageClaims.description),
  });
  const orders = new Map((await tdb.select(schema.storeOrders)).map((o) => [o.id, o.number]));
  const emails = new Map(customers.map((c) => [c.id, c.email]));
  return {
    customers: customers.map((c) => ({ email: c.email, address: c.address })),
    subscriptions: subs.map((s) => ({
      customer: emails.get(s.customerId) ?? "?",
      plan: s.plan,
      status: s.status,
      frequency: s.frequency,
      nextBoxDate: s.nextBoxDate,
      pausedUntil: s.pausedUntil,
      skippedMonths: s.skippedMonths,
    })),
    claims: claims.map((c) => ({
      order: orders.get(c.orderId) ?? "?",
      customer: emails.get(c.customerId) ?? "?",
      description: c.description,
      photos: c.photos,
    })),
  };
}

async function runAgentSide(
  env: Env,
  task: ActionTask,
  wsId: string,
): Promise<{ tdb: TenantDb; proposed: TaskResult["proposed"] }> {
  const tdb = await freshStore(env, wsId);
  const connector = new DemoStoreConnector(tdb, env.PUBLIC_URL);
  const customer = await connector.findCustomerByEmail(task.customerEmail);
  let memory: EngineState = customer
    ? { verified: true, email: customer.email, customerRef: customer.customerRef, vouchChecked: true }
    : {};
  const history: TurnHistoryItem[] = [];
  const proposed: TaskResult["proposed"] = [];
  for (const text of task.messages) {
    const res = await runTurnWith(
      env,
      {
        workspaceId: wsId,
        conversationId: `eval_${wsId}`,
        channel: "eval",
        text,
        language: null,
        history: [...history],
        memory,
        attachmentKeys: [],
        contactName: null,
      },
      () => undefined,
      { connector, trustEmail: true, issueCode: async () => undefined },
    );
    memory = res.memory;
    history.push({ role: "customer", text }, ...res.replies.map((r) => ({ role: "bot" as const, text: r.text })));
    for (const a of res.actions) {
      proposed.push({ tool: a.tool, args: a.args });
      const done = await executeWith(connector, memory.customerRef ?? null, a.tool, a.args);
      history.push({ role: "bot", text: done.message });
    }
  }
  return { tdb, proposed };
}

async function runGoldSide(env: Env, task: ActionTask, wsId: string): Promise<TenantDb> {
  const tdb = await freshStore(env, wsId);
  const connector = new DemoStoreConnector(tdb, env.PUBLIC_URL);
  const customer = await connector.findCustomerByEmail(task.customerEmail);
  for (const g of task.gold) await executeWith(connector, customer?.customerRef ?? null, g.tool, g.args);
  return tdb;
}

/** Runs every task; `runId` keeps workspaces of repeated runs apart. */
export async function runActionEval(
  env: Env,
  runId: string,
  now = new Date(),
): Promise<{ results: TaskResult[]; score: number }> {
  const results: TaskResult[] = [];
  for (const task of actionTasks(now)) {
    const agent = await runAgentSide(env, task, `ev_${runId}_${task.id}_a`);
    const gold = await runGoldSide(env, task, `ev_${runId}_${task.id}_g`);
    const agentHash = await sha256Hex(canonical(await storeState(agent.tdb)));
    const goldHash = await sha256Hex(canonical(await storeState(gold)));
    results.push({ id: task.id, pass: agentHash === goldHash, proposed: agent.proposed, agentHash, goldHash });
  }
  return { results, score: results.filter((r) => r.pass).length / Math.max(1, results.length) };
}
