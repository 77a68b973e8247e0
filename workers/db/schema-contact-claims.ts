/**
 * Contact details a customer typed but never proved (pre-chat form email or phone).
 * They are never used to link or merge contacts on their own (issue 21, High 2: typing
 * someone's email took over their identity); a claim that matches another contact is a
 * "possible match" an operator confirms (merge) or dismisses.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

export const contactClaims = sqliteTable(
  "contact_claims",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    /** The contact that made the claim (usually an anonymous widget visitor). */
    contactId: text("contact_id").notNull(),
    conversationId: text("conversation_id"),
    field: text("field", { enum: ["email", "phone"] }).notNull(),
    value: text("value").notNull(),
    /** Another contact that already has this email or phone: the possible match. */
    candidateContactId: text("candidate_contact_id"),
    status: text("status", { enum: ["pending", "confirmed", "dismissed"] })
      .notNull()
      .default("pending"),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    index("contact_claims_contact_idx").on(t.workspaceId, t.contactId),
    uniqueIndex("contact_claims_unique_idx").on(t.workspaceId, t.contactId, t.field, t.value),
  ],
);
