/**
 * Node-only adapter: better-sqlite3 behind the `SqlExec` shape of a Durable Object's
 * `ctx.storage.sql`, so the SQLite index runs unchanged in benchmarks and unit tests.
 * ArrayBuffer parameters are bound as BLOBs, as workerd does. When the better-sqlite3
 * native build does not match the running Node (it is built for the machine's Node 20,
 * while npm scripts run on the `node` package's Node 24), the built-in `node:sqlite`
 * (also compiled with FTS5) is used instead.
 */
import { createRequire } from "node:module";
import type { SqlExec } from "../../workers/knowledge/index/sqlite.ts";

interface Statement {
  /** better-sqlite3 only; node:sqlite's all() also runs statements that return no rows. */
  readonly reader?: boolean;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): unknown;
}

interface Database {
  prepare(sql: string): Statement;
  close(): void;
}

type DatabaseConstructor = new (file: string) => Database;

const require = createRequire(import.meta.url);

function openDatabase(file: string): { db: Database; driver: string } {
  try {
    const BetterSqlite: DatabaseConstructor = require("better-sqlite3");
    return { db: new BetterSqlite(file), driver: "better-sqlite3" };
  } catch {
    const { DatabaseSync }: { DatabaseSync: DatabaseConstructor } = require("node:sqlite");
    return { db: new DatabaseSync(file), driver: "node:sqlite" };
  }
}

/** Opens a database (":memory:" by default) and returns its SqlExec plus a closer. */
export function openSqlExec(file = ":memory:"): SqlExec & { close(): void; driver: string } {
  const { db, driver } = openDatabase(file);
  return {
    exec(sql: string, ...params: unknown[]) {
      const statement = db.prepare(sql);
      const bound = params.map((p) => (p instanceof ArrayBuffer ? Buffer.from(new Uint8Array(p)) : p));
      const rows = statement.reader === false ? (statement.run(...bound), []) : statement.all(...bound);
      const records = rows.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null);
      return { toArray: () => records };
    },
    close: () => db.close(),
    driver,
  };
}
