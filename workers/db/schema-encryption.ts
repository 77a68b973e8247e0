/**
 * Encryption at rest (issue 20, item 6): each workspace's data keys, one row per version,
 * stored only wrapped by the deployment's master key (ENCRYPTION_KEY). New objects use the
 * newest version; older versions stay for the objects written with them (rotation without
 * downtime). Never returned by any route.
 */
import { sql } from "drizzle-orm";
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const workspaceDataKeys = sqliteTable(
  "workspace_data_keys",
  {
    workspaceId: text("workspace_id").notNull(),
    version: integer("version").notNull(),
    /** `v1:<iv>:<ciphertext>` of the base64 key (lib/secrets.ts). */
    wrapped: text("wrapped").notNull(),
    createdBy: text("created_by"),
    createdAt: integer("created_at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.version] })],
);
