/**
 * The ConversationRoom's own SQLite storage: the message log with per-conversation
 * sequence numbers, idempotency keys, pending actions and the room's metadata. The room
 * writes here first (durable before any ack) and mirrors to D1 afterwards; rows not yet
 * mirrored are retried by the alarm, so nothing accepted is ever lost.
 *
 * `mirrored` is 1 when D1 has the row as it is, and ≤ 0 when it does not; each change
 * while unmirrored lowers it by one, so a mirror run only marks the rows it actually
 * copied (compare-and-set on the value it read) and a change made during the run is
 * copied by the next one.
 *
 * Over 400 lines: the ordered migrations and every SQL statement of the room live here so
 * the storage format is read in one place.
 */
import type { AttachmentRef, WireAction, WireMessage } from "../../workers/protocol/frames.ts";
import { migrateRoomMeta, type RoomMeta } from "./meta.ts";
import { runSqliteMigrations, type SqliteMigration } from "../lib/sqlite-migrations.ts";

export type { RoomMeta } from "./meta.ts";

/**
 * Ordered migrations of the room's SQLite; `schema_version` holds how many have run.
 * Objects written before versioning have the v1 tables and no version row: step 1 is
 * idempotent for them, and each later step runs exactly once.
 */
const MIGRATIONS: ReadonlyArray<SqliteMigration> = [
  // 1: the log, the actions and the meta row.
  (sql) => {
    sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, sender_type TEXT NOT NULL,
      sender_id TEXT, sender_name TEXT, content TEXT NOT NULL, attachments TEXT NOT NULL DEFAULT '[]',
      buttons TEXT NOT NULL DEFAULT '[]', action_id TEXT, client_id TEXT, idem_key TEXT UNIQUE,
      channel_message_id TEXT, language TEXT, internal TEXT NOT NULL DEFAULT '{}', delivery_status TEXT,
      created_at INTEGER NOT NULL, mirrored INTEGER NOT NULL DEFAULT 0)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS actions (
      id TEXT PRIMARY KEY, tool TEXT NOT NULL, args TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,
      customer_ref TEXT, proposed_by TEXT NOT NULL, decided_by TEXT, expires_at INTEGER NOT NULL,
      result TEXT, created_at INTEGER NOT NULL, mirrored INTEGER NOT NULL DEFAULT 0)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS messages_unmirrored ON messages(mirrored) WHERE mirrored <= 0`);
  },
  // 2: actions remember whether and how they were put in front of the customer (a held
  //    turn's proposal waits for an operator); the meta gets typed sub-records.
  (sql) => {
    sql.exec(`ALTER TABLE actions ADD COLUMN offered_at INTEGER`);
    sql.exec(`ALTER TABLE actions ADD COLUMN offer_text TEXT`);
    // Version 1 showed every action to the customer when it was created.
    sql.exec(`UPDATE actions SET offered_at = created_at`);
    const row = sql.exec(`SELECT value FROM meta WHERE key = 'room'`).toArray()[0];
    if (row) {
      const lifted = migrateRoomMeta(parseJson<unknown>(row.value, null));
      if (lifted) sql.exec(`UPDATE meta SET value = ? WHERE key = 'room'`, JSON.stringify(lifted));
    }
  },
];

/** How many migrations this code knows; an object at this version is current. */
export const ROOM_SCHEMA_VERSION = MIGRATIONS.length;

export interface StoredMessage extends WireMessage {
  senderId: string | null;
  channelMessageId: string | null;
  deliveryStatus: string | null;
  /** The row's mirror state as read (1 = in D1; ≤ 0 = pending); see the header. */
  mirrorState: number;
  internal: Record<string, unknown>;
}

export interface NewMessage {
  type: WireMessage["type"];
  senderType: WireMessage["senderType"];
  senderId: string | null;
  senderName: string | null;
  content: string;
  attachments?: AttachmentRef[];
  buttons?: Array<{ title: string; payload: string }>;
  actionId?: string | null;
  clientId?: string | null;
  /** `role:author:clientId` or `channel:<provider id>`; a second append with the same key is a no-op. */
  idempotencyKey?: string | null;
  channelMessageId?: string | null;
  language?: string | null;
  internal?: Record<string, unknown>;
  deliveryStatus?: string | null;
  createdAt?: number;
}

export interface StoredAction extends WireAction {
  args: Record<string, unknown>;
  customerRef: string | null;
  proposedBy: string;
  decidedBy: string | null;
  mirrorState: number;
  /** When it was put in front of the customer (with Confirm/Cancel); null while only operators see it. */
  offeredAt: number | null;
  /** The reply that offers it to the customer once an operator approves a held proposal. */
  offerText: string | null;
}

type Row = Record<string, SqlStorageValue>;

/** SQL for "changed since it was copied": 1 → 0, and every further change one lower. */
const DIRTY = "(CASE WHEN mirrored = 1 THEN 0 ELSE mirrored - 1 END)";

const str = (v: SqlStorageValue | undefined): string | null => (typeof v === "string" ? v : null);
const num = (v: SqlStorageValue | undefined): number => (typeof v === "number" ? v : Number(v ?? 0));
/** Freezes a JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function parseJson<T>(v: SqlStorageValue | undefined, fallback: T): T {
  if (typeof v !== "string") return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}

export class RoomStore {
  private readonly sql: SqlStorage;
  /** Highest sequence number; the room is the only writer, so it is read once and kept. */
  #lastSeq: number | null = null;
  /** The stored meta as text (undefined: not read yet this wake-up; null: no meta). */
  #metaText: string | null | undefined = undefined;
  /** The same meta parsed and deeply frozen: what readers get, shared. */
  #meta: RoomMeta | null = null;
  #firstIncoming: number | null = null;
  constructor(sql: SqlStorage) {
    this.sql = sql;
    runSqliteMigrations(sql, MIGRATIONS);
  }

  /**
   * The room's state, shared and deeply frozen: read it, never change it (a change throws).
   * Writers go through updateMeta, which changes a private copy and stores it.
   */
  getMeta(): RoomMeta | null {
    // Kept in memory (this object is its only writer). Readers share one frozen object:
    // a message reads the meta several times (ingest, automation events, the alarm, the
    // mirror, the inbox push), and parsing a fresh copy for each read was ~3 % of the
    // runtime's busy samples in the webhook benchmark's profile (BENCHMARKS.md).
    if (this.#metaText === undefined) {
      const row = this.sql.exec(`SELECT value FROM meta WHERE key = 'room'`).toArray()[0];
      const stored = row ? String(row.value) : null;
      // Parsed, not cast: a stored shape this code does not know is lifted or refused here,
      // once per wake-up. What is kept is the text of the validated (or lifted) meta.
      const meta = stored === null ? null : migrateRoomMeta(parseJson<unknown>(stored, null));
      this.#keep(meta === null ? null : JSON.stringify(meta));
    }
    return this.#meta;
  }

  /**
   * Read-modify-write of the meta in one synchronous step (no await in between), so a
   * writer changes only what its function touches and never writes back a stale copy.
   * Returns the stored meta (frozen, like getMeta's).
   */
  updateMeta(change: (meta: RoomMeta) => void): RoomMeta | null {
    this.getMeta();
    if (!this.#metaText) return null;
    // The kept text is either validated in getMeta or written by setMeta from a typed
    // RoomMeta, so a plain JSON.parse gives a private, mutable copy.
    const meta = JSON.parse(this.#metaText) as RoomMeta;
    const wasResolved = meta.turn.status === "resolved";
    change(meta);
    // Every status change passes here, so this is the one place the resolution instant is kept.
    if (meta.turn.status !== "resolved") meta.sla.resolvedAt = null;
    else if (!wasResolved) meta.sla.resolvedAt = Date.now();
    return this.setMeta(meta);
  }

  /** Stores `meta` as the room's state; returns the stored (frozen) meta readers now get. */
  setMeta(meta: RoomMeta): RoomMeta {
    const text = JSON.stringify(meta);
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('room', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
      text,
    );
    this.#keep(text);
    return this.#meta as RoomMeta;
  }

  /** Keeps the text and its frozen parse (the parse, not the caller's object: JSON's own semantics). */
  #keep(text: string | null): void {
    this.#metaText = text;
    this.#meta = text === null ? null : deepFreeze(JSON.parse(text) as RoomMeta);
  }

  lastSeq(): number {
    if (this.#lastSeq === null)
      this.#lastSeq = num(this.sql.exec(`SELECT COALESCE(MAX(seq), 0) AS s FROM messages`).toArray()[0]?.s);
    return this.#lastSeq;
  }

  /** The message stored under an idempotency key (append reads it only when its insert was skipped). */
  findByKey(key: string): StoredMessage | null {
    const row = this.sql.exec(`SELECT * FROM messages WHERE idem_key = ?`, key).toArray()[0];
    return row ? toMessage(row) : null;
  }

  /** Appends a message with the next sequence number, or returns the earlier one with the same key. */
  append(m: NewMessage, id: string): { message: StoredMessage; duplicate: boolean } {
    const seq = this.lastSeq() + 1;
    const createdAt = m.createdAt ?? Date.now();
    // One statement for "insert unless the key is known": the conflict clause skips a
    // duplicate key (RETURNING then yields nothing) and the earlier row is read only then.
    // A clash on anything else (id, seq) still throws: that would be a bug.
    const inserted = this.sql
      .exec(
        `INSERT INTO messages (seq, id, type, sender_type, sender_id, sender_name, content, attachments, buttons, action_id, client_id, idem_key, channel_message_id, language, internal, delivery_status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idem_key) DO NOTHING RETURNING seq`,
        seq,
        id,
        m.type,
        m.senderType,
        m.senderId,
        m.senderName,
        m.content,
        JSON.stringify(m.attachments ?? []),
        JSON.stringify(m.buttons ?? []),
        m.actionId ?? null,
        m.clientId ?? null,
        m.idempotencyKey ?? null,
        m.channelMessageId ?? null,
        m.language ?? null,
        JSON.stringify(m.internal ?? {}),
        m.deliveryStatus ?? null,
        createdAt,
      )
      .toArray();
    if (inserted.length === 0) {
      const existing = m.idempotencyKey ? this.findByKey(m.idempotencyKey) : null;
      if (!existing) throw new Error("message insert skipped without a matching idempotency key");
      return { message: existing, duplicate: true };
    }
    this.#lastSeq = seq;
    const message: StoredMessage = {
      id,
      seq,
      type: m.type,
      senderType: m.senderType,
      senderId: m.senderId,
      senderName: m.senderName,
      content: m.content,
      attachments: m.attachments ?? [],
      buttons: m.buttons ?? [],
      actionId: m.actionId ?? null,
      clientId: m.clientId ?? null,
      language: m.language ?? null,
      createdAt,
      channelMessageId: m.channelMessageId ?? null,
      deliveryStatus: m.deliveryStatus ?? null,
      mirrorState: 0,
      internal: m.internal ?? {},
    };
    return { message, duplicate: false };
  }

  /**
   * How many customer messages this sender wrote since `since`, among the latest `scan`
   * rows (the per-visitor message cap only needs to see its own limit, so the cost stays
   * flat however long the log grows).
   */
  incomingSince(senderId: string, since: number, scan = 300): number {
    return num(
      this.sql
        .exec(
          `SELECT COUNT(*) AS n FROM (SELECT type, sender_id, created_at FROM messages ORDER BY seq DESC LIMIT ?)
           WHERE type = 'incoming' AND sender_id = ? AND created_at > ?`,
          scan,
          senderId,
          since,
        )
        .toArray()[0]?.n,
    );
  }

  bySeq(seq: number): StoredMessage | null {
    const row = this.sql.exec(`SELECT * FROM messages WHERE seq = ?`, seq).toArray()[0];
    return row ? toMessage(row) : null;
  }

  byId(id: string): StoredMessage | null {
    const row = this.sql.exec(`SELECT * FROM messages WHERE id = ?`, id).toArray()[0];
    return row ? toMessage(row) : null;
  }

  after(seq: number, limit = 500): StoredMessage[] {
    return this.sql
      .exec(`SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
      .toArray()
      .map(toMessage);
  }

  /**
   * The sequence number of the log's first customer message, or null while there is none
   * ("is this the conversation's first message?"). The log is append-only and this object
   * its only writer, so once found it is kept: one query per wake-up, not one per message
   * (issue 17's profile: ~8 % of a message under load). Erasure drops the whole store.
   */
  firstIncomingSeq(): number | null {
    if (this.#firstIncoming === null) {
      const row = this.sql.exec(`SELECT seq FROM messages WHERE type = 'incoming' ORDER BY seq LIMIT 1`).toArray()[0];
      if (row) this.#firstIncoming = num(row.seq);
    }
    return this.#firstIncoming;
  }

  /**
   * The newest customer or reply message among the last `window` (the inbox preview), or
   * null: its text and time only, so the inbox push does not decode the whole row.
   */
  lastExchanged(window: number): { content: string; createdAt: number } | null {
    const row = this.sql
      .exec(
        `SELECT content, created_at FROM (SELECT seq, type, content, created_at FROM messages ORDER BY seq DESC LIMIT ?)
         WHERE type IN ('incoming', 'outgoing') ORDER BY seq DESC LIMIT 1`,
        window,
      )
      .toArray()[0];
    return row ? { content: str(row.content) ?? "", createdAt: num(row.created_at) } : null;
  }

  recent(limit: number): StoredMessage[] {
    return this.sql
      .exec(`SELECT * FROM (SELECT * FROM messages ORDER BY seq DESC LIMIT ?) ORDER BY seq`, limit)
      .toArray()
      .map(toMessage);
  }

  setDelivery(id: string, status: string): void {
    this.sql.exec(`UPDATE messages SET delivery_status = ?, mirrored = ${DIRTY} WHERE id = ?`, status, id);
  }

  unmirroredMessages(limit = 50): StoredMessage[] {
    return this.sql
      .exec(`SELECT * FROM messages WHERE mirrored <= 0 ORDER BY seq LIMIT ?`, limit)
      .toArray()
      .map(toMessage);
  }

  /** Whether any message still waits for the D1 mirror. */
  hasUnmirrored(): boolean {
    return this.sql.exec(`SELECT 1 FROM messages WHERE mirrored <= 0 LIMIT 1`).toArray().length > 0;
  }

  /** Marks rows as in D1 unless they changed since they were read (one statement per 45 rows). */
  markMirrored(rows: Array<{ seq: number; mirrorState: number }>): void {
    for (let i = 0; i < rows.length; i += 45) {
      const slice = rows.slice(i, i + 45);
      this.sql.exec(
        `UPDATE messages SET mirrored = 1 WHERE (seq, mirrored) IN (VALUES ${slice.map(() => "(?, ?)").join(", ")})`,
        ...slice.flatMap((r) => [r.seq, r.mirrorState]),
      );
    }
  }

  /**
   * A new action: `pending` and offered to the customer at once (a sent turn), or
   * `proposed` for operators only (a held turn) until an operator approves it.
   */
  createAction(a: {
    id: string;
    tool: string;
    args: Record<string, unknown>;
    summary: string;
    customerRef: string | null;
    proposedBy: string;
    expiresAt: number;
    status: "pending" | "proposed";
    offerText?: string | null;
  }): StoredAction {
    const now = Date.now();
    this.sql.exec(
      `INSERT INTO actions (id, tool, args, summary, status, customer_ref, proposed_by, expires_at, created_at, offered_at, offer_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      a.id,
      a.tool,
      JSON.stringify(a.args),
      a.summary,
      a.status,
      a.customerRef,
      a.proposedBy,
      a.expiresAt,
      now,
      a.status === "pending" ? now : null,
      a.offerText ?? null,
    );
    const got = this.action(a.id);
    if (!got) throw new Error("action vanished after insert");
    return got;
  }

  action(id: string): StoredAction | null {
    const row = this.sql.exec(`SELECT * FROM actions WHERE id = ?`, id).toArray()[0];
    return row ? toAction(row) : null;
  }

  /** Rows of the log and actions (the erasure receipt counts them before they go). */
  size(): { messages: number; actions: number } {
    const m = num(this.sql.exec(`SELECT COUNT(*) AS n FROM messages`).toArray()[0]?.n);
    const a = num(this.sql.exec(`SELECT COUNT(*) AS n FROM actions`).toArray()[0]?.n);
    return { messages: m, actions: a };
  }

  actions(): StoredAction[] {
    return this.sql.exec(`SELECT * FROM actions ORDER BY created_at`).toArray().map(toAction);
  }

  /**
   * Moves an action from one status to another only if it is still in `from`:
   * the compare-and-set that makes confirmation single-use.
   */
  transitionAction(
    id: string,
    from: WireAction["status"],
    to: WireAction["status"],
    patch: { decidedBy?: string | null; result?: Record<string, unknown> | null } = {},
  ): boolean {
    const cursor = this.sql.exec(
      `UPDATE actions SET status = ?, decided_by = COALESCE(?, decided_by), result = COALESCE(?, result), mirrored = ${DIRTY} WHERE id = ? AND status = ?`,
      to,
      patch.decidedBy ?? null,
      patch.result ? JSON.stringify(patch.result) : null,
      id,
      from,
    );
    return cursor.rowsWritten > 0;
  }

  /** An operator approved a held proposal: it becomes a pending action offered to the customer now. */
  offerAction(id: string, expiresAt: number): boolean {
    return (
      this.sql.exec(
        `UPDATE actions SET status = 'pending', offered_at = ?, expires_at = ?, mirrored = ${DIRTY} WHERE id = ? AND status = 'proposed'`,
        Date.now(),
        expiresAt,
        id,
      ).rowsWritten > 0
    );
  }

  unmirroredActions(): StoredAction[] {
    return this.sql.exec(`SELECT * FROM actions WHERE mirrored <= 0`).toArray().map(toAction);
  }

  markActionsMirrored(rows: Array<{ id: string; mirrorState: number }>): void {
    for (const r of rows)
      this.sql.exec(`UPDATE actions SET mirrored = 1 WHERE id = ? AND mirrored = ?`, r.id, r.mirrorState);
  }
}

function toMessage(r: Row): StoredMessage {
  return {
    id: str(r.id) ?? "",
    seq: num(r.seq),
    type: (str(r.type) ?? "activity") as StoredMessage["type"],
    senderType: (str(r.sender_type) ?? "system") as StoredMessage["senderType"],
    senderId: str(r.sender_id),
    senderName: str(r.sender_name),
    content: str(r.content) ?? "",
    attachments: parseJson<AttachmentRef[]>(r.attachments, []),
    buttons: parseJson<Array<{ title: string; payload: string }>>(r.buttons, []),
    actionId: str(r.action_id),
    clientId: str(r.client_id),
    language: str(r.language),
    createdAt: num(r.created_at),
    channelMessageId: str(r.channel_message_id),
    deliveryStatus: str(r.delivery_status),
    mirrorState: num(r.mirrored),
    internal: parseJson<Record<string, unknown>>(r.internal, {}),
  };
}

function toAction(r: Row): StoredAction {
  return {
    id: str(r.id) ?? "",
    tool: str(r.tool) ?? "",
    summary: str(r.summary) ?? "",
    status: (str(r.status) ?? "pending") as StoredAction["status"],
    expiresAt: num(r.expires_at),
    result: parseJson<Record<string, unknown> | null>(r.result, null),
    args: parseJson<Record<string, unknown>>(r.args, {}),
    customerRef: str(r.customer_ref),
    proposedBy: str(r.proposed_by) ?? "bot",
    decidedBy: str(r.decided_by),
    mirrorState: num(r.mirrored),
    offeredAt: r.offered_at === null || r.offered_at === undefined ? null : num(r.offered_at),
    offerText: str(r.offer_text),
  };
}

/** What a socket may see: customers never get notes or internal attributes. */
export function toWire(m: StoredMessage): WireMessage {
  return {
    id: m.id,
    seq: m.seq,
    type: m.type,
    senderType: m.senderType,
    senderName: m.senderName,
    content: m.content,
    attachments: m.attachments,
    buttons: m.buttons,
    actionId: m.actionId,
    clientId: m.clientId,
    language: m.language,
    createdAt: m.createdAt,
  };
}

export function toWireAction(a: StoredAction): WireAction {
  return { id: a.id, tool: a.tool, summary: a.summary, status: a.status, expiresAt: a.expiresAt, result: a.result };
}
