/**
 * The one runner of the objects' ordered SQLite migrations (room, presence, intake).
 * `schema_version` holds how many steps have run; each step runs exactly once, in order,
 * in the object's storage. Objects written before versioning have no version row: their
 * step 1 must be idempotent (CREATE … IF NOT EXISTS) so it adopts the tables they have.
 *
 * The only I/O is through the `SqlStorage` handed in (the objects' constructors run it
 * synchronously, before any request is served, so no request sees a half-migrated store).
 */

/** One step: changes the layout (and lifts stored data) from version n to n + 1. */
export type SqliteMigration = (sql: SqlStorage) => void;

/** Runs the steps this object has not run yet; returns the version it is at afterwards. */
export function runSqliteMigrations(sql: SqlStorage, steps: ReadonlyArray<SqliteMigration>): number {
  sql.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`);
  const at = Number(sql.exec(`SELECT COALESCE(MAX(version), 0) AS v FROM schema_version`).toArray()[0]?.v ?? 0);
  // A store already past these steps (a newer deploy, then a rollback) is left as it is.
  for (let v = at; v < steps.length; v++) {
    steps[v]?.(sql);
    sql.exec(`DELETE FROM schema_version`);
    sql.exec(`INSERT INTO schema_version (version) VALUES (?)`, v + 1);
  }
  return Math.max(at, steps.length);
}
