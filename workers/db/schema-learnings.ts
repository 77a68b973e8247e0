/**
 * Cross-customer learnings (issue 20, Memory 3): patterns across many conversations turned
 * into proposals an admin approves or dismisses — never applied silently. A proposal is
 * aggregate: its title and pattern are words shared by many customers, never one customer's
 * text. The example questions live apart in `learning_examples`, keyed by contact, so an
 * erasure removes a customer's examples without touching anyone else's.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const learningProposals = sqliteTable(
  "learning_proposals",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    /** knowledge: a draft FAQ entry; category_rule: a correction operators keep making. */
    kind: text("kind", { enum: ["knowledge", "category_rule"] }).notNull(),
    category: text("category").notNull(),
    /** The cluster's key (sorted shared stems): the same pattern found again updates one proposal. */
    signature: text("signature").notNull(),
    title: text("title").notNull(),
    /** For rules: words operators add and remove; for knowledge: nothing beyond the examples. */
    pattern: json<{ added: string[]; removed: string[] }>("pattern"),
    occurrences: integer("occurrences").notNull(),
    status: text("status", { enum: ["open", "approved", "dismissed"] })
      .notNull()
      .default("open"),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    /** The knowledge document an approved knowledge proposal created. */
    documentId: text("document_id"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("learning_proposals_sig_uq").on(t.workspaceId, t.kind, t.category, t.signature),
    index("learning_proposals_status_idx").on(t.workspaceId, t.status),
  ],
);

export const learningExamples = sqliteTable(
  "learning_examples",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    proposalId: text("proposal_id").notNull(),
    contactId: text("contact_id").notNull(),
    conversationId: text("conversation_id").notNull(),
    /** The customer's question (or the operator's correction) with emails, phones, numbers and names removed. */
    text: text("text").notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("learning_examples_uq").on(t.workspaceId, t.proposalId, t.conversationId),
    index("learning_examples_contact_idx").on(t.workspaceId, t.contactId),
  ],
);
