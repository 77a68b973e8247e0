/**
 * Node-only adapter: the built-in `node:sqlite` (compiled with FTS5) behind the `SqlExec`
 * shape of a Durable Object's `ctx.storage.sql`, so the SQLite index runs unchanged in the
 * retrieval eval and the unit tests. ArrayBuffer parameters are bound as BLOBs, as workerd
 * does. npm scripts run on the `node` package's Node 24, which has `node:sqlite`; no native
 * addon (better-sqlite3) to build.
 */
import { createRequire } from "node:module";
import type { SqlExec } from "../../workers/knowledge/index/sqlite.ts";

interface Statement {
  all(...params: unknown[]): unknown[];
}

interface Database {
  prepare(sql: string): Statement;
  close(): void;
}

type DatabaseConstructor = new (file: string) => Database;

const require = createRequire(import.meta.url);

function openDatabase(file: string): { db: Database; driver: string } {
  const { DatabaseSync }: { DatabaseSync: DatabaseConstructor } = require("node:sqlite");
  return { db: new DatabaseSync(file), driver: "node:sqlite" };
}

/** Opens a database (":memory:" by default) and returns its SqlExec plus a closer. */
export function openSqlExec(file = ":memory:"): SqlExec & { close(): void; driver: string } {
  const { db, driver } = openDatabase(file);
  return {
    exec(sql: string, ...params: unknown[]) {
      const statement = db.prepare(sql);
      const bound = params.map((p) => (p instanceof ArrayBuffer ? Buffer.from(new Uint8Array(p)) : p));
      // node:sqlite's all() also runs statements that return no rows.
      const rows = statement.all(...bound);
      const records = rows.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null);
      return { toArray: () => records };
    },
    close: () => db.close(),
    driver,
  };
}
