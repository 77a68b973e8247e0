/**
 * D1 access of the analytics agent, always through the caller's TenantDb: threads (owned
 * by one operator), turns, layer entries and pins.
 */
import { and, desc, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { AnalyticsQuerySchema, type AnalyticsQuery } from "./query.ts";
import type { StoredEntry } from "./layers.ts";

export interface Thread {
  id: string;
  operatorId: string;
  queries: number;
  lastQuery: AnalyticsQuery | null;
}

export type TurnRow = typeof schema.analyticsTurns.$inferInsert;

export class AnalyticsStore {
  readonly tdb: TenantDb;
  constructor(tdb: TenantDb) {
    this.tdb = tdb;
  }

  async thread(id: string, operatorId: string): Promise<Thread | null> {
    const t = schema.analyticsThreads;
    const row = await this.tdb.first(t, and(eq(t.id, id), eq(t.operatorId, operatorId)));
    if (!row) return null;
    const q = AnalyticsQuerySchema.safeParse(row.lastQuery);
    return { id: row.id, operatorId: row.operatorId, queries: row.queries, lastQuery: q.success ? q.data : null };
  }

  async createThread(operatorId: string, title: string): Promise<Thread> {
    const id = newId("ath");
    await this.tdb.insert(schema.analyticsThreads, { id, operatorId, title: title.slice(0, 120) });
    return { id, operatorId, queries: 0, lastQuery: null };
  }

  async recordRun(thread: Thread, ran: number, lastQuery: AnalyticsQuery | null): Promise<void> {
    const t = schema.analyticsThreads;
    await this.tdb.update(
      t,
      { updatedAt: Date.now(), queries: thread.queries + ran, ...(lastQuery ? { lastQuery } : {}) },
      eq(t.id, thread.id),
    );
  }

  async saveTurn(turn: Omit<TurnRow, "workspaceId">): Promise<void> {
    await this.tdb.insert(schema.analyticsTurns, turn);
  }

  async turn(id: string) {
    const t = schema.analyticsTurns;
    return this.tdb.first(t, eq(t.id, id));
  }

  async setFeedback(id: string, feedback: "up" | "down", correction: string | null): Promise<void> {
    const t = schema.analyticsTurns;
    await this.tdb.update(t, { feedback, correction }, eq(t.id, id));
  }

  async turns(threadId: string) {
    const t = schema.analyticsTurns;
    return this.tdb.select(t, eq(t.threadId, threadId), { orderBy: t.createdAt, limit: 200 });
  }

  async threads(operatorId: string) {
    const t = schema.analyticsThreads;
    return this.tdb.select(t, eq(t.operatorId, operatorId), { orderBy: desc(t.updatedAt), limit: 50 });
  }

  async entries(status?: StoredEntry["status"]): Promise<StoredEntry[]> {
    const t = schema.analyticsLayerEntries;
    const rows = await this.tdb.select(t, status ? eq(t.status, status) : undefined, {
      orderBy: desc(t.createdAt),
      limit: 500,
    });
    return rows.map((r) => ({ id: r.id, layer: r.layer, key: r.key, content: r.content, status: r.status }));
  }

  async entry(id: string) {
    const t = schema.analyticsLayerEntries;
    return this.tdb.first(t, eq(t.id, id));
  }

  async addEntry(
    layer: number,
    key: string,
    content: Record<string, unknown>,
    status: StoredEntry["status"],
    by: string,
  ): Promise<string> {
    const id = newId("alay");
    await this.tdb.insert(schema.analyticsLayerEntries, {
      id,
      layer,
      key: key.slice(0, 200),
      content,
      status,
      createdBy: by,
      reviewedBy: status === "approved" ? by : null,
    });
    return id;
  }

  async review(id: string, status: "approved" | "rejected", by: string): Promise<boolean> {
    const t = schema.analyticsLayerEntries;
    const r = await this.tdb.update(t, { status, reviewedBy: by, updatedAt: Date.now() }, eq(t.id, id));
    return r.meta.changes > 0;
  }

  async pins(operatorId: string) {
    const t = schema.analyticsPins;
    return this.tdb.select(t, eq(t.operatorId, operatorId), { orderBy: t.createdAt, limit: 50 });
  }

  async addPin(operatorId: string, title: string, question: string, sqlText: string | null): Promise<string> {
    const id = newId("apin");
    await this.tdb.insert(schema.analyticsPins, { id, operatorId, title, question, sql: sqlText });
    return id;
  }

  async pin(id: string, operatorId: string) {
    const t = schema.analyticsPins;
    return this.tdb.first(t, and(eq(t.id, id), eq(t.operatorId, operatorId)));
  }

  async deletePin(id: string, operatorId: string): Promise<boolean> {
    const t = schema.analyticsPins;
    const r = await this.tdb.delete(t, and(eq(t.id, id), eq(t.operatorId, operatorId)) ?? eq(t.id, id));
    return r.meta.changes > 0;
  }
}
