/**
 * Writes the synthetic history (history.ts) into D1 for one workspace.
 *
 * ~5,000 conversations make ~70,000 rows. Bound parameters (D1: ≤ 100 per statement)
 * would need ~10,000 statements; instead each statement carries up to ~80 KB of literal
 * rows (D1 caps a statement at 100 KB) — about 150 statements in a few `batch` calls.
 * Literals are safe here: every value comes from the generator (numbers checked finite,
 * strings quoted SQLite-style with '' doubling), never from a request.
 *
 * Idempotent: rows go in with INSERT OR IGNORE, conversations last, and a finished seed
 * is recognised by its last conversation, so an interrupted seed completes on a re-run.
 */
import { getTableColumns } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { schema } from "../client.ts";
import { generateHistory, type Channel, type History } from "./history.ts";

const MAX_STATEMENT_BYTES = 80_000;
const STATEMENTS_PER_BATCH = 40;

function literal(v: unknown): string {
  if (v === null || v === undefined) return "NULL";
  if (typeof v === "boolean") return v ? "1" : "0";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error("non-finite number in seed row");
    return String(v);
  }
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return `'${s.replaceAll("'", "''")}'`;
}

/** INSERT OR IGNORE statements for `rows`, each below the statement size cap. */
export function insertStatements(table: SQLiteTable, workspaceId: string, rows: object[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const columns = getTableColumns(table);
  const keys = ["workspaceId", ...Object.keys(first).filter((k) => k !== "workspaceId")];
  const names = keys.map((k) => {
    const col = columns[k];
    if (!col) throw new Error(`unknown column ${k}`);
    return `"${col.name}"`;
  });
  const head = `INSERT OR IGNORE INTO "${getTableConfig(table).name}" (${names.join(", ")}) VALUES `;
  const out: string[] = [];
  let values: string[] = [];
  let size = head.length;
  for (const row of rows) {
    const rec = new Map(Object.entries(row));
    const tuple = `(${keys.map((k) => (k === "workspaceId" ? literal(workspaceId) : literal(rec.get(k)))).join(", ")})`;
    if (values.length && size + tuple.length + 2 > MAX_STATEMENT_BYTES) {
      out.push(head + values.join(", "));
      values = [];
      size = head.length;
    }
    values.push(tuple);
    size += tuple.length + 2;
  }
  if (values.length) out.push(head + values.join(", "));
  return out;
}

export interface HistorySeedResult {
  created: boolean;
  conversations: number;
  rows: number;
  ms: number;
}

/** The demo workspace's inbox per channel (seed/demo.ts). */
export function demoInboxes(workspaceId: string): Record<Channel, string> {
  return {
    widget: `${workspaceId}_widget`,
    telegram: "demo-telegram",
    whatsapp: "demo-whatsapp",
    messenger: "demo-messenger",
    email: "demo-email",
  };
}

export async function seedHistory(
  d1: D1Database,
  workspaceId: string,
  reference = new Date(),
  inboxes: Record<Channel, string> = demoInboxes(workspaceId),
  conversations = 5000,
): Promise<HistorySeedResult> {
  const started = Date.now();
  const h: History = generateHistory(reference, { inboxes, conversations });
  const last = h.conversations[h.conversations.length - 1];
  if (!last) return { created: false, conversations: 0, rows: 0, ms: 0 };
  const lastDone = await d1
    .prepare("SELECT 1 AS x FROM conversations WHERE workspace_id = ? AND id = ?")
    .bind(workspaceId, last.id)
    .first();
  if (lastDone) return { created: false, conversations: h.conversations.length, rows: 0, ms: 0 };

  const statements = [
    ...insertStatements(schema.contacts, workspaceId, h.contacts),
    ...insertStatements(schema.contactIdentities, workspaceId, h.identities),
    ...insertStatements(schema.messages, workspaceId, h.messages),
    ...insertStatements(schema.actions, workspaceId, h.actions),
    ...insertStatements(schema.aiTraces, workspaceId, h.traces),
    ...insertStatements(schema.conversations, workspaceId, h.conversations),
  ];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH)
    await d1.batch(statements.slice(i, i + STATEMENTS_PER_BATCH).map((s) => d1.prepare(s)));
  const rows =
    h.contacts.length +
    h.identities.length +
    h.messages.length +
    h.actions.length +
    h.traces.length +
    h.conversations.length;
  return { created: true, conversations: h.conversations.length, rows, ms: Date.now() - started };
}
