/**
 * Full-text search over contacts (name, email, phone) and message text with D1's FTS5,
 * for `GET /api/conversations?q=` and `GET /api/contacts?q=`.
 *
 * Trigram tokenizer: it matches any substring of three or more characters, so it needs no
 * per-language stemmer and works the same for English, Russian, Hebrew, Spanish and
 * French, for partial emails ("smith@") and for phone fragments ("1234567"); it folds case
 * (Cyrillic too). Queries shorter than three characters cannot match and are refused.
 *
 * The index lives in two FTS5 tables kept in step with `messages` and `contacts` by
 * triggers, so the room mirror and every contact write feed it without knowing it exists.
 * drizzle cannot declare virtual tables and a custom migration would be lost whenever
 * migrations are regenerated, so `ensureSearchIndex` creates them (idempotently) on first
 * use in an isolate and backfills rows that predate the triggers in the same transaction.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { badRequest } from "../lib/errors.ts";

const DDL = [
  `CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(workspace_id UNINDEXED, conversation_id UNINDEXED, body, tokenize = 'trigram')`,
  `CREATE VIRTUAL TABLE IF NOT EXISTS contacts_fts USING fts5(workspace_id UNINDEXED, contact_id UNINDEXED, body, tokenize = 'trigram')`,
  `CREATE TRIGGER IF NOT EXISTS messages_fts_ai AFTER INSERT ON messages WHEN new.type <> 'activity' BEGIN
     INSERT INTO messages_fts(rowid, workspace_id, conversation_id, body) VALUES (new.rowid, new.workspace_id, new.conversation_id, new.content);
   END`,
  `CREATE TRIGGER IF NOT EXISTS messages_fts_ad AFTER DELETE ON messages BEGIN
     DELETE FROM messages_fts WHERE rowid = old.rowid;
   END`,
  `CREATE TRIGGER IF NOT EXISTS messages_fts_au AFTER UPDATE OF content ON messages WHEN new.type <> 'activity' BEGIN
     DELETE FROM messages_fts WHERE rowid = old.rowid;
     INSERT INTO messages_fts(rowid, workspace_id, conversation_id, body) VALUES (new.rowid, new.workspace_id, new.conversation_id, new.content);
   END`,
  `CREATE TRIGGER IF NOT EXISTS contacts_fts_ai AFTER INSERT ON contacts BEGIN
     INSERT INTO contacts_fts(rowid, workspace_id, contact_id, body) VALUES (new.rowid, new.workspace_id, new.id, ${contactBody("new")});
   END`,
  `CREATE TRIGGER IF NOT EXISTS contacts_fts_ad AFTER DELETE ON contacts BEGIN
     DELETE FROM contacts_fts WHERE rowid = old.rowid;
   END`,
  `CREATE TRIGGER IF NOT EXISTS contacts_fts_au AFTER UPDATE OF name, email, phone ON contacts BEGIN
     DELETE FROM contacts_fts WHERE rowid = old.rowid;
     INSERT INTO contacts_fts(rowid, workspace_id, contact_id, body) VALUES (new.rowid, new.workspace_id, new.id, ${contactBody("new")});
   END`,
  // Rows written before the triggers existed (or by another isolate racing this one: the NOT IN keeps it idempotent).
  `INSERT INTO messages_fts(rowid, workspace_id, conversation_id, body)
     SELECT rowid, workspace_id, conversation_id, content FROM messages
     WHERE type <> 'activity' AND rowid NOT IN (SELECT rowid FROM messages_fts)`,
  `INSERT INTO contacts_fts(rowid, workspace_id, contact_id, body)
     SELECT rowid, workspace_id, id, ${contactBody("contacts")} FROM contacts
     WHERE rowid NOT IN (SELECT rowid FROM contacts_fts)`,
];

/** Name, email, phone as typed, and the phone's digits alone (so "054 123" and "+97254123" both match). */
function contactBody(row: string): string {
  return `coalesce(${row}.name, '') || ' ' || coalesce(${row}.email, '') || ' ' || coalesce(${row}.phone, '') || ' ' || replace(replace(replace(replace(coalesce(${row}.phone, ''), '+', ''), ' ', ''), '-', ''), '(', '')`;
}

let ready: Promise<void> | null = null;

/** Creates the index and its triggers once per isolate (cheap after the first call: one sqlite_master read). */
export function ensureSearchIndex(db: D1Database): Promise<void> {
  ready ??= (async () => {
    const have = await db
      .prepare(
        `SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('messages_fts', 'contacts_fts', 'contacts_fts_au')`,
      )
      .first<{ n: number }>();
    if ((have?.n ?? 0) < 3) await db.batch(DDL.map((s) => db.prepare(s)));
  })().catch((err: unknown) => {
    ready = null;
    throw err;
  });
  return ready;
}

export const MIN_SEARCH_CHARS = 3;

/**
 * The FTS5 query for what a person typed: every word of three or more characters must
 * occur (as a substring), each quoted so FTS syntax (AND, NEAR, *, :) is taken literally.
 */
export function ftsQuery(input: string): string {
  const words = input
    .normalize("NFC")
    .split(/\s+/)
    .map((w) => w.trim())
    .filter((w) => [...w].length >= MIN_SEARCH_CHARS)
    .slice(0, 8);
  if (!words.length)
    throw badRequest(`Type at least ${MIN_SEARCH_CHARS} characters to search`, [
      { path: "q", message: `At least one word of ${MIN_SEARCH_CHARS} or more characters` },
    ]);
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(" AND ");
}

/** Conversations of `workspaceId` whose messages, or whose contact, match `q` (a condition on conversations). */
export function conversationMatch(
  workspaceId: string,
  q: string,
  cols: { id: AnySQLiteColumn; contactId: AnySQLiteColumn },
): SQL {
  const match = ftsQuery(q);
  return sql`(${cols.id} IN (SELECT conversation_id FROM messages_fts WHERE messages_fts MATCH ${match} AND workspace_id = ${workspaceId})
    OR ${cols.contactId} IN (SELECT contact_id FROM contacts_fts WHERE contacts_fts MATCH ${match} AND workspace_id = ${workspaceId}))`;
}

/** Contacts of `workspaceId` that match `q` by name, email or phone, or by a message in one of their conversations. */
export function contactMatch(workspaceId: string, q: string, cols: { id: AnySQLiteColumn }): SQL {
  const match = ftsQuery(q);
  return sql`(${cols.id} IN (SELECT contact_id FROM contacts_fts WHERE contacts_fts MATCH ${match} AND workspace_id = ${workspaceId})
    OR ${cols.id} IN (SELECT c.contact_id FROM conversations c WHERE c.workspace_id = ${workspaceId} AND c.id IN
      (SELECT conversation_id FROM messages_fts WHERE messages_fts MATCH ${match} AND workspace_id = ${workspaceId})))`;
}
