/**
 * Presence: one Durable Object per workspace. It holds operator presence (status,
 * heartbeats, load), the waiting queue and assignment, and pushes live inbox updates
 * to every operator dashboard socket. Assignment rules are in ./lib/assignment.ts.
 *
 * - onConnect: verify the operator JWT of this workspace; send presence + queue.
 * - onMessage: status changes, heartbeats, manual pick from the queue.
 * - onClose:   the operator goes offline when their last socket closes.
 * - onAlarm:   drop operators whose heartbeats stopped, then drain the queue.
 * - RPC:       enqueue, dequeue, claim, release, inboxUpdate, notify, slaBreach.
 *
 * Over 400 lines: the object keeps its own SQLite schema and migrations, the roster cache
 * and the RPC surface the rooms call; the assignment rules themselves are in lib/.
 */
import { Server, type Connection, type ConnectionContext } from "partyserver";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { rawDb, schema, TenantDb } from "../workers/db/client.ts";
import { getConfig } from "../workers/lib/config.ts";
import { verifyOperatorToken, TokenError } from "../workers/lib/tokens.ts";
import {
  parseFrame,
  Priority,
  PresenceClientFrame,
  type InboxItem,
  type PresenceServerFrame,
} from "../workers/protocol/frames.ts";
import { readSettings } from "../workers/protocol/settings.ts";
import {
  DEFAULT_HEARTBEAT_TIMEOUT_MS,
  detectDroppedOperators,
  drainQueue,
  orderQueue,
  pickOperator,
  queuePosition,
  type AssignmentMode,
  type OperatorState,
  type WaitingItem,
} from "./lib/assignment.ts";
import type { Language } from "../workers/lib/categories.ts";
import { roomOf } from "../workers/services/data-location.ts";
import { mayRun, PRESENCE_POLICY, staffRole, type SocketRole } from "./lib/socket-policy.ts";
import { LANGUAGES } from "../workers/protocol/vocabulary.ts";
import { runSqliteMigrations, type SqliteMigration } from "./lib/sqlite-migrations.ts";

interface ConnState {
  operatorId: string;
  role: SocketRole;
}

interface OperatorRuntime {
  status: OperatorState["status"];
  lastHeartbeatAt: number;
  lastAssignedAt: number;
}

const LANGS: readonly string[] = LANGUAGES;
/** How often the heartbeat sweep and queue drain run while the object is in use. */
const ALARM_INTERVAL_MS = 30_000;
/** How long the operator roster and routing mode are trusted (a role or team change takes effect within this). */
const ROSTER_TTL_MS = 10_000;

const WaitingItemSchema = z.object({
  conversationId: z.string(),
  enqueuedAt: z.number(),
  priority: Priority,
  category: z.string().nullable(),
  language: z.string().nullable(),
  teamId: z.string().nullable(),
});

const RuntimeRow = z.object({
  status: z.enum(["online", "away", "break", "offline"]),
  last_heartbeat: z.coerce.number(),
  last_assigned: z.coerce.number(),
});

/** Ordered migrations of the presence object's SQLite; `schema_version` holds how many ran. */
const PRESENCE_MIGRATIONS: ReadonlyArray<SqliteMigration> = [
  (sql) => {
    sql.exec(
      `CREATE TABLE IF NOT EXISTS ops (id TEXT PRIMARY KEY, status TEXT NOT NULL, last_heartbeat INTEGER NOT NULL, last_assigned INTEGER NOT NULL)`,
    );
    sql.exec(
      `CREATE TABLE IF NOT EXISTS active (operator_id TEXT NOT NULL, conversation_id TEXT NOT NULL, PRIMARY KEY (operator_id, conversation_id))`,
    );
    sql.exec(`CREATE TABLE IF NOT EXISTS queue (conversation_id TEXT PRIMARY KEY, item TEXT NOT NULL)`);
  },
];

export class Presence extends Server<Env> {
  static override options = { hibernate: true };
  #ready = false;
  #roster: {
    at: number;
    ops: Array<typeof schema.operators.$inferSelect>;
    members: Array<typeof schema.teamMembers.$inferSelect>;
  } | null = null;
  #mode: { at: number; value: AssignmentMode } | null = null;

  private init(): void {
    if (this.#ready) return;
    runSqliteMigrations(this.ctx.storage.sql, PRESENCE_MIGRATIONS);
    this.#ready = true;
  }

  private runtime(id: string): OperatorRuntime {
    this.init();
    const row = this.ctx.storage.sql
      .exec(`SELECT status, last_heartbeat, last_assigned FROM ops WHERE id = ?`, id)
      .toArray()[0];
    const parsed = RuntimeRow.safeParse(row);
    if (!parsed.success) return { status: "offline", lastHeartbeatAt: 0, lastAssignedAt: 0 };
    return {
      status: parsed.data.status,
      lastHeartbeatAt: parsed.data.last_heartbeat,
      lastAssignedAt: parsed.data.last_assigned,
    };
  }

  private setRuntime(id: string, r: OperatorRuntime): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO ops (id, status, last_heartbeat, last_assigned) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, last_heartbeat = excluded.last_heartbeat, last_assigned = excluded.last_assigned`,
      id,
      r.status,
      r.lastHeartbeatAt,
      r.lastAssignedAt,
    );
  }

  /** The waiting queue, parsed (a row this code cannot read is dropped, not cast). */
  private queueItems(): WaitingItem[] {
    this.init();
    return this.ctx.storage.sql
      .exec(`SELECT item FROM queue`)
      .toArray()
      .flatMap((r) => {
        try {
          const parsed = WaitingItemSchema.safeParse(JSON.parse(String(r.item)));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
  }

  /**
   * The workspace's operators and team memberships from D1, cached for ROSTER_TTL_MS:
   * every presence event (heartbeat, status, enqueue, drain) needs them, and reading D1
   * each time made the object's load grow with traffic rather than with roster changes.
   */
  private async roster() {
    const now = Date.now();
    if (this.#roster && now - this.#roster.at < ROSTER_TTL_MS) return this.#roster;
    const tdb = new TenantDb(rawDb(this.env.DB), this.name);
    const [ops, members] = await Promise.all([tdb.select(schema.operators), tdb.select(schema.teamMembers)]);
    this.#roster = { at: now, ops, members };
    return this.#roster;
  }

  /** Operators of this workspace with their static attributes (cached roster) and live state (here). */
  private async operators(): Promise<Array<OperatorState & { name: string }>> {
    this.init();
    const { ops, members } = await this.roster();
    return ops
      .filter((o) => o.role !== "analyst" && !o.disabled)
      .map((o) => {
        const r = this.runtime(o.id);
        const active = Number(
          this.ctx.storage.sql.exec(`SELECT COUNT(*) AS n FROM active WHERE operator_id = ?`, o.id).toArray()[0]?.n ??
            0,
        );
        return {
          id: o.id,
          name: o.name,
          status: r.status,
          skills: o.skills,
          languages: o.languages.filter((l): l is Language => LANGS.includes(l)),
          teamIds: members.filter((m) => m.operatorId === o.id).map((m) => m.teamId),
          maxConcurrent: o.maxConcurrent,
          activeCount: active,
          lastAssignedAt: r.lastAssignedAt,
          lastHeartbeatAt: r.lastHeartbeatAt,
        };
      });
  }

  private async mode() {
    const now = Date.now();
    if (this.#mode && now - this.#mode.at < ROSTER_TTL_MS) return this.#mode.value;
    const ws = await rawDb(this.env.DB)
      .select()
      .from(schema.workspaces)
      .where(eq(schema.workspaces.id, this.name))
      .get();
    const value = readSettings(ws?.settings).routingMode;
    this.#mode = { at: now, value };
    return value;
  }

  // ---------------------------------------------------------------------------
  // Sockets
  // ---------------------------------------------------------------------------

  override async onConnect(conn: Connection<ConnState>, ctx: ConnectionContext): Promise<void> {
    const token = new URL(ctx.request.url).searchParams.get("token");
    try {
      const claims = await verifyOperatorToken(token ?? "", getConfig(this.env).jwtSecret);
      if (claims.ws !== this.name) throw new TokenError("wrong workspace");
      conn.setState({ operatorId: claims.sub, role: staffRole(claims.role) });
    } catch {
      conn.close(4401, "unauthorized");
      return;
    }
    const id = conn.state?.operatorId ?? "";
    const r = this.runtime(id);
    this.setRuntime(id, { ...r, lastHeartbeatAt: Date.now() });
    await this.broadcastPresence();
    this.sendQueue(conn);
    await this.ensureAlarm();
  }

  override async onMessage(conn: Connection<ConnState>, raw: string | ArrayBuffer | ArrayBufferView): Promise<void> {
    const id = conn.state?.operatorId;
    if (!id) return conn.close(4401, "unauthorized");
    const parsed = parseFrame(PresenceClientFrame, typeof raw === "string" ? raw : new ArrayBuffer(0));
    if (!parsed.ok) return this.send(conn, { type: "error", code: parsed.code, message: parsed.message });
    const f = parsed.frame;
    // Analysts watch the inbox; they neither change status nor take conversations.
    if (!mayRun(PRESENCE_POLICY, f.type, conn.state?.role ?? "analyst"))
      return this.send(conn, { type: "error", code: "forbidden", message: "Not allowed for your role" });
    if (f.type === "heartbeat" && conn.state?.role === "analyst") return;
    const r = this.runtime(id);
    if (f.type === "heartbeat") {
      this.setRuntime(id, { ...r, lastHeartbeatAt: Date.now() });
      return;
    }
    if (f.type === "status") {
      this.setRuntime(id, { ...r, status: f.status, lastHeartbeatAt: Date.now() });
      await this.broadcastPresence();
      if (f.status === "online") await this.drain();
      return;
    }
    // Manual pick from the shared queue.
    const item = this.queueItems().find((q) => q.conversationId === f.conversationId);
    if (!item)
      return this.send(conn, {
        type: "error",
        code: "not_in_queue",
        message: "That conversation is no longer waiting",
      });
    await this.assignFromQueue(item.conversationId, id);
  }

  override async onClose(conn: Connection<ConnState>): Promise<void> {
    const id = conn.state?.operatorId;
    if (!id) return;
    const stillOpen = [...this.getConnections<ConnState>()].some((c) => c.id !== conn.id && c.state?.operatorId === id);
    if (!stillOpen) {
      this.setRuntime(id, { ...this.runtime(id), status: "offline" });
      await this.broadcastPresence();
    }
  }

  override async onAlarm(): Promise<void> {
    const ops = await this.operators();
    const now = Date.now();
    for (const id of detectDroppedOperators(ops, now, DEFAULT_HEARTBEAT_TIMEOUT_MS))
      this.setRuntime(id, { ...this.runtime(id), status: "offline" });
    await this.broadcastPresence();
    await this.drain();
    await this.ensureAlarm(true);
  }

  /**
   * Heartbeat sweeps and queue drains every 30 s, but only while there is something to
   * do: a socket to watch or a conversation waiting. A workspace nobody is using does no
   * work (no D1 reads, no wake-ups); the next connect or enqueue arms it again.
   */
  private async ensureAlarm(rearm = false): Promise<void> {
    this.init();
    const busy = [...this.getConnections()].length > 0 || this.queueItems().length > 0;
    if (!busy) {
      if (rearm) await this.ctx.storage.deleteAlarm();
      return;
    }
    const current = await this.ctx.storage.getAlarm();
    if (rearm || current === null) await this.ctx.storage.setAlarm(Date.now() + ALARM_INTERVAL_MS);
  }

  // ---------------------------------------------------------------------------
  // RPC from ConversationRooms
  // ---------------------------------------------------------------------------

  /** How many operators are online now (heartbeat fresh): the widget is "open" while anyone is. */
  onlineCount(): number {
    this.init();
    const since = Date.now() - DEFAULT_HEARTBEAT_TIMEOUT_MS;
    const row = this.ctx.storage.sql
      .exec(`SELECT COUNT(*) AS n FROM ops WHERE status = 'online' AND last_heartbeat >= ?`, since)
      .toArray()[0];
    return Number(row?.n ?? 0);
  }

  /** Puts a conversation in the queue, or assigns it at once when an operator can take it. */
  async enqueue(item: WaitingItem): Promise<{ assignedTo: string | null; position: number }> {
    this.init();
    const mode = await this.mode();
    const ops = await this.operators();
    const pick = mode === "manual" ? null : pickOperator(mode, item, ops, Date.now());
    if (pick) {
      this.claim(pick, item.conversationId);
      this.setRuntime(pick, { ...this.runtime(pick), lastAssignedAt: Date.now() });
      this.notifyOne(pick, { type: "assigned", conversationId: item.conversationId, operatorId: pick });
      await this.broadcastPresence();
      return { assignedTo: pick, position: 0 };
    }
    this.ctx.storage.sql.exec(
      `INSERT INTO queue (conversation_id, item) VALUES (?, ?) ON CONFLICT(conversation_id) DO UPDATE SET item = excluded.item`,
      item.conversationId,
      JSON.stringify(item),
    );
    this.broadcastQueue();
    await this.ensureAlarm();
    this.broadcast(
      JSON.stringify({
        type: "notify",
        kind: "new_conversation",
        conversationId: item.conversationId,
        text: "A customer is waiting in the queue",
      } satisfies PresenceServerFrame),
    );
    return { assignedTo: null, position: queuePosition(this.queueItems(), item.conversationId) };
  }

  async dequeue(conversationId: string): Promise<void> {
    this.init();
    this.ctx.storage.sql.exec(`DELETE FROM queue WHERE conversation_id = ?`, conversationId);
    this.broadcastQueue();
  }

  claim(operatorId: string, conversationId: string): void {
    this.init();
    this.ctx.storage.sql.exec(
      `INSERT OR IGNORE INTO active (operator_id, conversation_id) VALUES (?, ?)`,
      operatorId,
      conversationId,
    );
    this.ctx.storage.sql.exec(`DELETE FROM queue WHERE conversation_id = ?`, conversationId);
  }

  async release(operatorId: string, conversationId: string): Promise<void> {
    this.init();
    this.ctx.storage.sql.exec(
      `DELETE FROM active WHERE operator_id = ? AND conversation_id = ?`,
      operatorId,
      conversationId,
    );
    await this.broadcastPresence();
    await this.drain();
  }

  async inboxUpdate(item: InboxItem, isNew: boolean): Promise<void> {
    this.broadcast(JSON.stringify({ type: "inbox", item } satisfies PresenceServerFrame));
    if (isNew)
      this.broadcast(
        JSON.stringify({
          type: "notify",
          kind: "new_conversation",
          conversationId: item.conversationId,
          text: item.preview ?? "New conversation",
        } satisfies PresenceServerFrame),
      );
  }

  async notify(
    operatorIds: string[],
    n: { kind: "mention" | "transfer" | "sla_breach" | "sla_at_risk"; conversationId: string; text: string },
  ): Promise<void> {
    for (const id of operatorIds) this.notifyOne(id, { type: "notify", ...n });
  }

  /** SLA breach: notify the assignee and every admin socket; the room has already raised priority. */
  async slaBreach(conversationId: string, assigneeId: string | null, clocks: string): Promise<void> {
    const frame = JSON.stringify({
      type: "notify",
      kind: "sla_breach",
      conversationId,
      text: `SLA breached (${clocks})`,
    } satisfies PresenceServerFrame);
    this.broadcast(frame);
    if (assigneeId && this.runtime(assigneeId).status !== "online") {
      // The assignee is away: put the conversation back for someone present.
      await this.release(assigneeId, conversationId);
    }
  }

  /** For tests and the dashboard: the current presence and queue. */
  async snapshot(): Promise<{
    operators: Array<{ id: string; status: string; activeCount: number }>;
    queue: Array<{ conversationId: string; position: number }>;
  }> {
    const ops = await this.operators();
    const q = orderQueue(this.queueItems());
    return {
      operators: ops.map((o) => ({ id: o.id, status: o.status, activeCount: o.activeCount })),
      queue: q.map((i, n) => ({ conversationId: i.conversationId, position: n + 1 })),
    };
  }

  private async drain(): Promise<void> {
    const queue = this.queueItems();
    if (!queue.length) return;
    const mode = await this.mode();
    if (mode === "manual") return;
    const result = drainQueue(mode, queue, await this.operators(), Date.now());
    for (const a of result.assignments) await this.assignFromQueue(a.conversationId, a.operatorId);
  }

  private async assignFromQueue(conversationId: string, operatorId: string): Promise<void> {
    const ok = await (await roomOf(this.env, this.name, conversationId)).assignFromQueue(operatorId);
    this.ctx.storage.sql.exec(`DELETE FROM queue WHERE conversation_id = ?`, conversationId);
    if (ok) {
      this.claim(operatorId, conversationId);
      this.setRuntime(operatorId, { ...this.runtime(operatorId), lastAssignedAt: Date.now() });
      this.notifyOne(operatorId, { type: "assigned", conversationId, operatorId });
    }
    this.broadcastQueue();
    await this.broadcastPresence();
  }

  private send(conn: Connection, f: PresenceServerFrame): void {
    conn.send(JSON.stringify(f));
  }

  private notifyOne(operatorId: string, f: PresenceServerFrame): void {
    const text = JSON.stringify(f);
    for (const c of this.getConnections<ConnState>()) if (c.state?.operatorId === operatorId) c.send(text);
  }

  private sendQueue(conn: Connection): void {
    const q = orderQueue(this.queueItems());
    this.send(conn, {
      type: "queue",
      items: q.map((i, n) => ({
        conversationId: i.conversationId,
        position: n + 1,
        priority: i.priority,
        category: i.category,
      })),
    });
  }

  private broadcastQueue(): void {
    const q = orderQueue(this.queueItems());
    this.broadcast(
      JSON.stringify({
        type: "queue",
        items: q.map((i, n) => ({
          conversationId: i.conversationId,
          position: n + 1,
          priority: i.priority,
          category: i.category,
        })),
      } satisfies PresenceServerFrame),
    );
  }

  private async broadcastPresence(): Promise<void> {
    const ops = await this.operators();
    this.broadcast(
      JSON.stringify({
        type: "presence",
        operators: ops.map((o) => ({
          id: o.id,
          name: o.name,
          status: o.status,
          activeCount: o.activeCount,
          maxConcurrent: o.maxConcurrent,
        })),
      } satisfies PresenceServerFrame),
    );
  }
}
