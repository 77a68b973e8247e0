/**
 * Re-encryption after a key rotation and retirement of old data keys (issue 20, item 6).
 * `rekey_jobs`: one row per workspace, the background pass that re-seals every R2 object of
 * the workspace with the newest data key version (resumable: bucket and list cursor are
 * saved after each page). `data_key_retirements`: versions whose wrapped key was deleted
 * once no object used them any more (the row in workspace_data_keys is gone; this keeps
 * the version's history for the settings page and the audit).
 */
import { sql } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const rekeyJobs = sqliteTable("rekey_jobs", {
  workspaceId: text("workspace_id").primaryKey(),
  /** The version every object is brought to (the newest when the pass started). */
  targetVersion: integer("target_version").notNull(),
  /** When the target version was added: a pass only retires keys if it started well after. */
  rotatedAt: integer("rotated_at").notNull(),
  /** Null: the next tick starts a new pass. */
  passStartedAt: integer("pass_started_at"),
  bucket: text("bucket", { enum: ["ATTACHMENTS", "DOCUMENTS"] })
    .notNull()
    .default("ATTACHMENTS"),
  cursor: text("cursor"),
  /** False once this pass met an object it could not bring to the target (it runs again). */
  passClean: integer("pass_clean", { mode: "boolean" }).notNull().default(true),
  resealed: integer("resealed").notNull().default(0),
  /** Objects under the workspace's prefix that open with none of its keys (never block retirement). */
  unreadable: integer("unreadable").notNull().default(0),
  updatedAt: integer("updated_at")
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  finishedAt: integer("finished_at"),
});

export const dataKeyRetirements = sqliteTable(
  "data_key_retirements",
  {
    workspaceId: text("workspace_id").notNull(),
    version: integer("version").notNull(),
    createdAt: integer("created_at").notNull(),
    retiredAt: integer("retired_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.version] })],
);
