/**
 * Read-only queries on the platform's local D1 database (the SQLite file miniflare keeps
 * under the persist directory), with Node's built-in node:sqlite. Used to count stored
 * rows after a load; never writes. Falls back to `wrangler d1 execute` when the file
 * cannot be opened.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { childEnv, d1File } from "./processes.mjs";

/** node:sqlite through require: some loaders (vitest's) do not list it as a built-in import. */
const { DatabaseSync } = createRequire(import.meta.url)("node:sqlite");

export function d1Query(platform, sql, params = []) {
  const file = d1File(platform.persist);
  if (file) {
    let db;
    try {
      db = new DatabaseSync(file, { readOnly: true });
      db.exec("PRAGMA busy_timeout = 5000");
      return db.prepare(sql).all(...params);
    } catch {
      // fall through to wrangler
    } finally {
      db?.close();
    }
  }
  if (params.length) throw new Error("parameters need the direct SQLite path");
  const out = execFileSync(
    join(platform.tree, "node_modules", ".bin", "wrangler"),
    [
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      platform.persist,
      "-c",
      "wrangler.toml",
      "--json",
      "--command",
      sql,
    ],
    { cwd: platform.tree, env: childEnv(), encoding: "utf8" },
  );
  return JSON.parse(out)[0]?.results ?? [];
}
