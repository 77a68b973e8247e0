/**
 * A real SQLite database (node:sqlite of the pinned Node 24) with the D1 migrations
 * applied, so the guard's output is executed by the engine D1 runs, in plain Node.
 */
import { DatabaseSync } from "node:sqlite";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("../../../migrations/", import.meta.url));

export function migratedDb(): DatabaseSync {
  const db = new DatabaseSync(":memory:");
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".sql"))
    .sort()) {
    for (const stmt of readFileSync(dir + f, "utf8").split("--> statement-breakpoint")) {
      if (stmt.trim()) db.exec(stmt);
    }
  }
  return db;
}

/** Two workspaces with a few rows each, including secrets that must stay unreachable. */
export function twoWorkspaces(): DatabaseSync {
  const db = migratedDb();
  for (const ws of ["ws_a", "ws_b"]) {
    db.prepare(
      "INSERT INTO operators (id, workspace_id, email, name, handle, role, password_hash, totp_secret_enc) VALUES (?, ?, ?, ?, ?, 'operator', ?, ?)",
    ).run(`op_${ws}`, ws, `${ws}@x.test`, `Op ${ws}`, `h_${ws}`, `HASH_${ws}`, `TOTP_${ws}`);
    db.prepare(
      "INSERT INTO inboxes (id, workspace_id, name, channel, secrets_enc) VALUES (?, ?, 'tg', 'telegram', ?)",
    ).run(`in_${ws}`, ws, `SECRET_${ws}`);
    db.prepare("INSERT INTO contacts (id, workspace_id, name, email, phone) VALUES (?, ?, ?, ?, ?)").run(
      `ct_${ws}`,
      ws,
      `Jane ${ws}`,
      `jane_${ws}@example.com`,
      "+15550001",
    );
    for (let i = 0; i < 3; i++)
      db.prepare(
        "INSERT INTO conversations (id, workspace_id, inbox_id, contact_id, identity_id, channel, thread_key, status, category, csat_score, created_at) VALUES (?, ?, ?, ?, 'i', 'telegram', ?, 'resolved', 'shipping_inquiry', ?, ?)",
      ).run(`conv_${ws}_${i}`, ws, `in_${ws}`, `ct_${ws}`, `t${i}`, 3 + i / 2, Date.now() - i * 86_400_000);
  }
  return db;
}
