/**
 * An in-memory SQLite (node:sqlite) shaped like the demo workspace's D1: the migrations,
 * the demo operators and teams, and the synthetic history ending at `reference`. Used by
 * the analytics eval and bench so they run offline without wrangler.
 */
import { DatabaseSync } from "node:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { schema } from "../../workers/db/client.ts";
import { generateHistory } from "../../workers/db/seed/history.ts";
import { demoInboxes, insertStatements } from "../../workers/db/seed/seed-history.ts";
import type { SqlExec } from "../../workers/analytics/executor.ts";

const MIGRATIONS = fileURLToPath(new URL("../../migrations/", import.meta.url));
export const WORKSPACE = "ws_demo";

export function demoDb(reference = new Date()): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  for (const f of readdirSync(MIGRATIONS)
    .filter((x) => x.endsWith(".sql"))
    .sort())
    for (const stmt of readFileSync(MIGRATIONS + f, "utf8").split("--> statement-breakpoint"))
      if (stmt.trim()) db.exec(stmt);
  const ops: Array<[string, string, string]> = [
    ["op_admin", "Avi Admin", "admin"],
    ["op_operator", "Noa Operator", "operator"],
    ["op_olga", "Olga Smirnova", "operator"],
    ["op_lucia", "Lucía Fernández", "operator"],
    ["op_analyst", "Dana Analyst", "analyst"],
  ];
  for (const [id, name, role] of ops)
    db.prepare(
      "INSERT INTO operators (id, workspace_id, email, name, handle, role, password_hash) VALUES (?, ?, ?, ?, ?, ?, 'x')",
    ).run(id, WORKSPACE, `${id}@demo.test`, name, id, role);
  db.prepare(
    "INSERT INTO teams (id, workspace_id, name) VALUES ('team_tier1', ?, 'Tier 1'), ('team_billing', ?, 'Billing & retention')",
  ).run(WORKSPACE, WORKSPACE);
  const h = generateHistory(reference, { inboxes: demoInboxes(WORKSPACE) });
  for (const [table, rows] of [
    [schema.contacts, h.contacts],
    [schema.messages, h.messages],
    [schema.actions, h.actions],
    [schema.aiTraces, h.traces],
    [schema.conversations, h.conversations],
  ] as const)
    for (const s of insertStatements(table, WORKSPACE, rows)) db.exec(s);
  return db;
}

/** The executor's SQL interface over node:sqlite. */
export function sqliteExec(db: DatabaseSync): SqlExec {
  return async (sql, params) => {
    const stmt = db.prepare(sql);
    const columns = stmt.columns().map((c) => c.name);
    stmt.setReturnArrays(true);
    const rows = stmt.all(...params).map((r) => (Array.isArray(r) ? r : []));
    return { columns, rows };
  };
}
