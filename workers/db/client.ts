/**
 * Database access. `TenantDb` is the only handle API handlers receive: every select,
 * update and delete it builds is filtered on the caller's workspace, and every insert
 * is stamped with it, so workspace isolation is enforced here rather than by habit.
 * Cross-tenant lookups (login by email, webhook → inbox) use `rawDb` explicitly.
 */
import { and, eq, getTableColumns, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "./schema.ts";

export type Db = DrizzleD1Database<typeof schema>;
export { schema };

/**
 * One drizzle instance per D1 binding: building one walks the whole schema for its
 * relational config, which showed up as ~3 % of the CPU of a webhook burst when every
 * request built its own. The instance holds no per-request state.
 */
const instances = new WeakMap<D1Database, Db>();

export function rawDb(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    instances.set(d1, db);
  }
  return db;
}

/** A table whose rows belong to a workspace. */
export type TenantTable = SQLiteTable & { workspaceId: SQLiteColumn };

/** D1 binds at most 100 parameters per statement. */
export const D1_MAX_PARAMS = 100;

export class TenantDb {
  readonly db: Db;
  readonly workspaceId: string;
  constructor(db: Db, workspaceId: string) {
    this.db = db;
    this.workspaceId = workspaceId;
  }

  /** `workspace_id = ?` AND the given condition. */
  scope(table: TenantTable, cond?: SQL): SQL {
    const ws = eq(table.workspaceId, this.workspaceId);
    return cond ? (and(ws, cond) ?? ws) : ws;
  }

  /** Rows of `table` in this workspace matching `cond`, optionally ordered and limited. */
  async select<T extends TenantTable>(
    table: T,
    cond?: SQL,
    opts: { orderBy?: SQL | SQLiteColumn | Array<SQL | SQLiteColumn>; limit?: number } = {},
  ): Promise<Array<T["$inferSelect"]>> {
    let q = this.db
      .select()
      .from(table as SQLiteTable)
      .where(this.scope(table, cond))
      .$dynamic();
    if (opts.orderBy) q = q.orderBy(...(Array.isArray(opts.orderBy) ? opts.orderBy : [opts.orderBy]));
    if (opts.limit !== undefined) q = q.limit(opts.limit);
    return (await q) as Array<T["$inferSelect"]>;
  }

  /** The tenant's own workspace row (settings, name, keys); undefined if it was deleted. */
  workspace(): Promise<typeof schema.workspaces.$inferSelect | undefined> {
    return this.db.select().from(schema.workspaces).where(eq(schema.workspaces.id, this.workspaceId)).get();
  }

  async first<T extends TenantTable>(table: T, cond?: SQL): Promise<T["$inferSelect"] | undefined> {
    const rows = await this.db
      .select()
      .from(table as SQLiteTable)
      .where(this.scope(table, cond))
      .limit(1);
    return rows[0] as T["$inferSelect"] | undefined;
  }

  /** Inserts rows stamped with this workspace, in statements that stay under D1's 100 bound parameters. */
  async insert<T extends TenantTable>(
    table: T,
    values: Omit<T["$inferInsert"], "workspaceId"> | Array<Omit<T["$inferInsert"], "workspaceId">>,
  ): Promise<void> {
    const stamp = (v: Omit<T["$inferInsert"], "workspaceId">) =>
      ({ ...v, workspaceId: this.workspaceId }) as T["$inferInsert"];
    const rows = Array.isArray(values) ? values.map(stamp) : [stamp(values)];
    // Drizzle binds a parameter for every column that is not a SQL default, so size by the table.
    const width = Math.max(1, Object.keys(getTableColumns(table)).length);
    const per = Math.max(1, Math.floor(D1_MAX_PARAMS / width));
    for (let i = 0; i < rows.length; i += per) await this.db.insert(table).values(rows.slice(i, i + per));
  }

  /**
   * One stamped insert statement, not run: for `db.batch`, where several writes must land
   * together (one round trip, one transaction) or not at all.
   */
  insertStatement<T extends TenantTable>(table: T, value: Omit<T["$inferInsert"], "workspaceId">) {
    return this.db.insert(table).values({ ...value, workspaceId: this.workspaceId } as T["$inferInsert"]);
  }

  update<T extends TenantTable>(table: T, set: Partial<Omit<T["$inferInsert"], "workspaceId" | "id">>, cond: SQL) {
    return this.db
      .update(table)
      .set(set as T["$inferInsert"])
      .where(this.scope(table, cond));
  }

  delete<T extends TenantTable>(table: T, cond: SQL) {
    return this.db.delete(table).where(this.scope(table, cond));
  }
}
