/**
 * The intake journal of one inbox, in its InboxIntake object's SQLite. Every parsed
 * message and status is written here before the provider gets its 200 (the object's
 * output gate holds the RPC reply until the write is durable), so an accepted webhook
 * survives anything that happens afterwards. Unique per (kind, provider id): a
 * redelivered update is a no-op. Synchronous and side-effect free apart from `sql`, so
 * the object stays a thin shell around it.
 *
 * The storage has a `schema_version` and ordered migrations (the objects' one runner,
 * `durable-objects/lib/sqlite-migrations.ts`); every row and the meta record are parsed
 * with zod when read, never cast.
 */
import { z } from "zod";
import { runSqliteMigrations, type SqliteMigration } from "../lib/sqlite-migrations.ts";

/**
 * One event as the handler hands it over. The payload is the journal's JSON as text:
 * a string crosses the RPC boundary far cheaper than the object tree it encodes
 * (profiled: serialising the tree was the largest single cost of an accepted webhook).
 */
export interface IntakeEvent {
  kind: "message" | "status";
  channelMessageId: string;
  payload: string;
}

export type EventStatus = "received" | "processed" | "failed";

/** Journal counts by status, and how many rows D1 has not seen. */
export type JournalStats = Record<EventStatus, number> & { unmirrored: number };

/** An intake journal's outstanding work (the admin API's view of an inbox's backlog). */
export interface Backlog {
  waiting: number;
  failed: number;
  unmirrored: number;
  oldestWaitingAt: number | null;
}

export interface JournalRow {
  seq: number;
  id: string;
  kind: "message" | "status";
  channelMessageId: string;
  payload: string;
  status: EventStatus;
  attempts: number;
  error: string | null;
  createdAt: number;
  nextAt: number;
}

/** How processing one event ended; `note` goes to the event's error column. */
export interface Outcome {
  status: "processed" | "failed";
  note: string | null;
}

/** Failed events are retried with backoff for this long, then left failed for an admin. */
export const RETRY_FOR_MS = 60 * 60_000;
/** Processed events stay for redelivery dedupe this long (Meta retries for up to 7 days). */
export const KEEP_PROCESSED_MS = 8 * 24 * 60 * 60_000;

/** Backstop alarm after an accept: if the drain that follows never finishes, this picks it up. */
export const BACKSTOP_MS = 30_000;

/**
 * The alarm to keep when a drain pass ends, given the journal's next due time: a later
 * retry gets its own time; events already due arrived during the pass, and the accepts
 * that brought them opened the next drain burst, so the alarm only backs that up (an
 * alarm right away would cut the burst's gather window short and undo the batching).
 */
export function alarmAfterPass(nextDueAt: number | null, now: number): number | null {
  if (nextDueAt === null) return null;
  return nextDueAt > now ? nextDueAt : now + BACKSTOP_MS;
}

/** Backoff before attempt `attempts + 1`: 5 s, 10 s, 20 s … capped at 10 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(10 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

/** Which inbox this object journals for: one record in `meta` under the key `intake`. */
const IntakeMeta = z.object({ workspaceId: z.string().min(1), inboxId: z.string().min(1) });
type IntakeMeta = z.infer<typeof IntakeMeta>;

/**
 * Ordered migrations of the journal's SQLite; `schema_version` holds how many ran.
 * Objects written before versioning have the v1 tables and no version row: step 1 is
 * idempotent for them, and each later step runs exactly once.
 */
const MIGRATIONS: ReadonlyArray<SqliteMigration> = [
  // 1: the journal and a key/value meta table.
  (sql) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      channel_message_id TEXT NOT NULL,
      payload TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'received',
      attempts INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      created_at INTEGER NOT NULL,
      next_at INTEGER NOT NULL,
      mirrored INTEGER NOT NULL DEFAULT 0,
      UNIQUE (kind, channel_message_id)
    )`);
    sql.exec(`CREATE INDEX IF NOT EXISTS events_due ON events (status, next_at)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS events_unmirrored ON events (mirrored, seq)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  },
  // 2: the bound inbox was two loose keys (workspace_id, inbox_id); it becomes one record
  //    read through IntakeMeta, so half a binding can no longer be read as none.
  (sql) => {
    const rows = sql.exec(`SELECT key, value FROM meta WHERE key IN ('workspace_id', 'inbox_id')`).toArray();
    const old = IntakeMeta.safeParse({
      workspaceId: rows.find((r) => r.key === "workspace_id")?.value,
      inboxId: rows.find((r) => r.key === "inbox_id")?.value,
    });
    if (old.success)
      sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('intake', ?)`, JSON.stringify(old.data));
    sql.exec(`DELETE FROM meta WHERE key IN ('workspace_id', 'inbox_id')`);
  },
];

/** How many migrations this code knows; an object at this version is current. */
export const INTAKE_SCHEMA_VERSION = MIGRATIONS.length;

/** Mirror marks: 0 = D1 is behind, 1 = D1 has this status. Compare-and-set like the room's. */
const DIRTY = 0;
const CLEAN = 1;

/** One `events` row as SQLite returns it; anything else is a damaged store and fails loudly. */
const EventRow = z
  .object({
    seq: z.number().int(),
    id: z.string(),
    kind: z.enum(["message", "status"]),
    channel_message_id: z.string(),
    payload: z.string(),
    status: z.enum(["received", "processed", "failed"]),
    attempts: z.number().int().nonnegative(),
    error: z.string().nullable(),
    created_at: z.number(),
    next_at: z.number(),
  })
  .transform((r): JournalRow => ({
    seq: r.seq,
    id: r.id,
    kind: r.kind,
    channelMessageId: r.channel_message_id,
    payload: r.payload,
    status: r.status,
    attempts: r.attempts,
    error: r.error,
    createdAt: r.created_at,
    nextAt: r.next_at,
  }));

function toRow(r: Record<string, SqlStorageValue>): JournalRow {
  const parsed = EventRow.safeParse(r);
  if (!parsed.success) throw new Error(`intake journal row ${String(r.seq)} is unreadable`);
  return parsed.data;
}

function parseJson(v: SqlStorageValue | undefined): unknown {
  if (typeof v !== "string") return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

export class IntakeStore {
  readonly #sql: SqlStorage;
  #target: IntakeMeta | null = null;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    runSqliteMigrations(sql, MIGRATIONS);
  }

  /** The inbox this object journals for (set by the first accept). */
  target(): IntakeMeta | null {
    if (this.#target) return this.#target;
    const row = this.#sql.exec(`SELECT value FROM meta WHERE key = 'intake'`).toArray()[0];
    if (!row) return null;
    // A binding that does not parse is a damaged store: refusing is safer than re-binding.
    const parsed = IntakeMeta.safeParse(parseJson(row.value));
    if (!parsed.success) throw new Error("intake meta is unreadable");
    this.#target = parsed.data;
    return this.#target;
  }

  /** Records the inbox on first use; refuses a different one (a misrouted call is a bug). */
  bind(workspaceId: string, inboxId: string): void {
    const current = this.target();
    if (current && (current.workspaceId !== workspaceId || current.inboxId !== inboxId))
      throw new Error("intake object belongs to another inbox");
    if (!current) {
      const meta = IntakeMeta.parse({ workspaceId, inboxId });
      this.#sql.exec(`INSERT OR REPLACE INTO meta (key, value) VALUES ('intake', ?)`, JSON.stringify(meta));
      this.#target = meta;
    }
  }

  /** Journals new events; returns the ids of the ones not seen before, in order. */
  append(events: IntakeEvent[], newId: () => string, now: number): string[] {
    const accepted: string[] = [];
    for (const e of events) {
      const id = newId();
      // RETURNING yields nothing when the conflict clause skipped the row (rowsWritten would count index rows too).
      const inserted = this.#sql
        .exec(
          `INSERT INTO events (id, kind, channel_message_id, payload, created_at, next_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, channel_message_id) DO NOTHING RETURNING id`,
          id,
          e.kind,
          e.channelMessageId,
          e.payload,
          now,
          now,
        )
        .toArray();
      if (inserted.length > 0) accepted.push(id);
    }
    return accepted;
  }

  /** Whether a provider id is journaled already (email checks before storing its parts). */
  has(kind: "message" | "status", channelMessageId: string): boolean {
    return (
      this.#sql.exec(`SELECT 1 FROM events WHERE kind = ? AND channel_message_id = ?`, kind, channelMessageId).toArray()
        .length > 0
    );
  }

  /** Events to process now, oldest first: new ones, and failed ones whose retry is due. */
  due(now: number, limit: number): JournalRow[] {
    return this.#sql
      .exec(
        `SELECT * FROM events WHERE status IN ('received', 'failed') AND next_at <= ? AND created_at > ? ORDER BY seq LIMIT ?`,
        now,
        now - RETRY_FOR_MS,
        limit,
      )
      .toArray()
      .map(toRow);
  }

  /** When the next retry falls due, or null. */
  nextDueAt(now: number): number | null {
    const row = this.#sql
      .exec(
        `SELECT MIN(next_at) AS at FROM events WHERE status IN ('received', 'failed') AND created_at > ?`,
        now - RETRY_FOR_MS,
      )
      .toArray()[0];
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  /** Stores outcomes: plain successes in one statement, the rest one by one. */
  recordAll(results: Array<{ seq: number; outcome: Outcome }>, now: number): void {
    const plain = results.filter((r) => r.outcome.status === "processed" && r.outcome.note === null).map((r) => r.seq);
    for (let i = 0; i < plain.length; i += 90) {
      const slice = plain.slice(i, i + 90);
      this.#sql.exec(
        `UPDATE events SET status = 'processed', error = NULL, attempts = attempts + 1, mirrored = ${DIRTY} WHERE seq IN (${slice.map(() => "?").join(", ")})`,
        ...slice,
      );
    }
    for (const r of results)
      if (!(r.outcome.status === "processed" && r.outcome.note === null)) this.record(r.seq, r.outcome, now);
  }

  /** Stores an outcome; a failure is retried with backoff until RETRY_FOR_MS after arrival. */
  record(seq: number, outcome: Outcome, now: number): void {
    if (outcome.status === "processed") {
      this.#sql.exec(
        `UPDATE events SET status = 'processed', error = ?, attempts = attempts + 1, mirrored = ${DIRTY} WHERE seq = ?`,
        outcome.note,
        seq,
      );
      return;
    }
    const row = this.#sql.exec(`SELECT attempts FROM events WHERE seq = ?`, seq).toArray()[0];
    const attempts = Number(row?.attempts ?? 0) + 1;
    this.#sql.exec(
      `UPDATE events SET status = 'failed', error = ?, attempts = ?, next_at = ?, mirrored = ${DIRTY} WHERE seq = ?`,
      outcome.note,
      attempts,
      now + retryDelayMs(attempts),
      seq,
    );
  }

  /**
   * Events whose latest status D1 has not seen yet. With `receivedBefore`, events still
   * waiting for processing are left out unless they arrived before it: under a burst an
   * event is then copied once, settled, instead of once received and again processed,
   * while a backlog that waits longer still shows up in D1.
   */
  unmirrored(limit: number, receivedBefore = Number.MAX_SAFE_INTEGER): JournalRow[] {
    return this.#sql
      .exec(
        `SELECT * FROM events WHERE mirrored = ${DIRTY} AND (status != 'received' OR created_at < ?) ORDER BY seq LIMIT ?`,
        receivedBefore,
        limit,
      )
      .toArray()
      .map(toRow);
  }

  /**
   * Marks rows mirrored unless they changed since they were read: every change bumps
   * `attempts`, so (seq, attempts) names the version that was copied.
   */
  markMirrored(rows: JournalRow[]): void {
    for (let i = 0; i < rows.length; i += 45) {
      const slice = rows.slice(i, i + 45);
      this.#sql.exec(
        `UPDATE events SET mirrored = ${CLEAN} WHERE (seq, attempts) IN (VALUES ${slice.map(() => "(?, ?)").join(", ")})`,
        ...slice.flatMap((r) => [r.seq, r.attempts]),
      );
    }
  }

  /** Whether D1 is behind on anything. */
  hasUnmirrored(): boolean {
    return this.#sql.exec(`SELECT 1 FROM events WHERE mirrored = ${DIRTY} LIMIT 1`).toArray().length > 0;
  }

  /** Forgets processed, mirrored events past the redelivery window; returns how many. */
  prune(now: number): number {
    return this.#sql
      .exec(
        `DELETE FROM events WHERE status = 'processed' AND mirrored = ${CLEAN} AND created_at < ? RETURNING seq`,
        now - KEEP_PROCESSED_MS,
      )
      .toArray().length;
  }

  /**
   * What is still to do, read from the indexes only (the processed events of the last
   * 8 days are not counted): events waiting for their first processing, failed ones
   * waiting for a retry, rows D1 has not seen, and when the oldest waiting one arrived.
   */
  backlog(): Backlog {
    const out: Backlog = { waiting: 0, failed: 0, unmirrored: 0, oldestWaitingAt: null };
    for (const r of this.#sql
      .exec(
        `SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM events WHERE status IN ('received', 'failed') GROUP BY status`,
      )
      .toArray()) {
      if (r.status === "received") {
        out.waiting = Number(r.n);
        out.oldestWaitingAt = r.oldest === null ? null : Number(r.oldest);
      } else out.failed = Number(r.n);
    }
    out.unmirrored = this.unmirroredCount();
    return out;
  }

  /**
   * Erasure (issue 20): removes the events of the given provider message ids and every
   * event whose payload contains one of the needles (the contact's email, phone, provider
   * ids, message text). Returns how many were removed.
   */
  eraseMatching(channelMessageIds: string[], needles: string[]): number {
    let removed = 0;
    for (const id of channelMessageIds)
      removed += this.#sql.exec(`DELETE FROM events WHERE channel_message_id = ? RETURNING id`, id).toArray().length;
    for (const n of needles)
      removed += this.#sql.exec(`DELETE FROM events WHERE instr(payload, ?) > 0 RETURNING id`, n).toArray().length;
    return removed;
  }

  /** Whether any event's payload contains the text (erasure checks). */
  contains(needle: string): boolean {
    return this.#sql.exec(`SELECT 1 FROM events WHERE instr(payload, ?) > 0 LIMIT 1`, needle).toArray().length > 0;
  }

  /** Counts by status (operations and tests). */
  stats(): JournalStats {
    const out = { received: 0, processed: 0, failed: 0, unmirrored: 0 };
    for (const r of this.#sql.exec(`SELECT status, COUNT(*) AS n FROM events GROUP BY status`).toArray()) {
      if (r.status === "received" || r.status === "processed" || r.status === "failed") out[r.status] = Number(r.n);
    }
    out.unmirrored = this.unmirroredCount();
    return out;
  }

  /** Rows whose latest status D1 has not seen. */
  private unmirroredCount(): number {
    return Number(this.#sql.exec(`SELECT COUNT(*) AS n FROM events WHERE mirrored = ${DIRTY}`).toArray()[0]?.n ?? 0);
  }
}
