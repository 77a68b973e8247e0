/**
 * Tables added by the security work (issue 21): who may receive mail for an address.
 * An email inbox answers mail only once its address is verified, and a verified address
 * belongs to exactly one inbox across all workspaces (the partial unique index).
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const emailAddressClaims = sqliteTable(
  "email_address_claims",
  {
    /** One claim per email inbox; a new address replaces the claim. */
    inboxId: text("inbox_id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    /** Lower-cased address. */
    address: text("address").notNull(),
    /** SHA-256 (keyed) of the code mailed to the address; null once verified. */
    codeHash: text("code_hash"),
    /** Wrong codes entered for this claim; the claim is dead after MAX_CODE_ATTEMPTS. */
    attempts: integer("attempts").notNull().default(0),
    expiresAt: integer("expires_at").notNull(),
    verifiedAt: integer("verified_at"),
    createdAt: integer("created_at")
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [
    uniqueIndex("email_claims_verified_uq")
      .on(t.address)
      .where(sql`verified_at IS NOT NULL`),
    index("email_claims_ws_idx").on(t.workspaceId),
  ],
);
