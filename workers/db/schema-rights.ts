/**
 * Customer memory and data rights (issue 20): what the platform remembers about a contact
 * (profile, memories) and how it forgets (consent records, retention policies).
 * Every row is keyed by workspace AND contact, so a memory can never be read for another
 * customer or another workspace (the agno#7716 leak: memory keyed by user id alone).
 */
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

/** One profile per contact and workspace, refreshed after each resolved conversation; operators edit it. */
export const contactProfiles = sqliteTable(
  "contact_profiles",
  {
    workspaceId: text("workspace_id").notNull(),
    contactId: text("contact_id").notNull(),
    preferredLanguage: text("preferred_language"),
    preferredChannel: text("preferred_channel"),
    tone: text("tone"),
    /** Subscription facts the agent confirmed against the shop (plan, status, next box). */
    subscriptionFacts: json<Record<string, string>>("subscription_facts")
      .notNull()
      .default(sql`'{}'`),
    /** Categories of this contact's conversations seen at least twice. */
    recurringIssues: json<string[]>("recurring_issues")
      .notNull()
      .default(sql`'[]'`),
    lastResolution: text("last_resolution"),
    updatedBy: text("updated_by"),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [uniqueIndex("contact_profiles_uq").on(t.workspaceId, t.contactId)],
);

/**
 * Short facts about a contact. `proposed` memories are never given to the agent; only
 * `approved` ones are (operators approve, or a category is set to auto-approve).
 */
export const contactMemories = sqliteTable(
  "contact_memories",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    contactId: text("contact_id").notNull(),
    category: text("category").notNull(),
    fact: text("fact").notNull(),
    /** Normalised fact: the dedup key within one contact. */
    factKey: text("fact_key").notNull(),
    sourceConversationId: text("source_conversation_id"),
    sourceMessageId: text("source_message_id"),
    confidence: real("confidence").notNull(),
    origin: text("origin", { enum: ["rules", "llm", "operator"] }).notNull(),
    status: text("status", { enum: ["proposed", "approved", "rejected"] })
      .notNull()
      .default("proposed"),
    expiresAt: integer("expires_at"),
    decidedBy: text("decided_by"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("contact_memories_fact_uq").on(t.workspaceId, t.contactId, t.factKey),
    index("contact_memories_contact_idx").on(t.workspaceId, t.contactId, t.status),
  ],
);

/** Consent to processing: which text version, when, on which channel (or a refusal). */
export const contactConsents = sqliteTable(
  "contact_consents",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    contactId: text("contact_id").notNull(),
    channel: text("channel").notNull(),
    textVersion: text("text_version").notNull(),
    language: text("language").notNull(),
    granted: integer("granted", { mode: "boolean" }).notNull(),
    /**
     * `agreed`: the contact ticked the widget's consent box. `notice`: a messenger or email
     * contact was shown the processing notice with their first reply and kept writing
     * (no box can be shown before a messenger message arrives).
     */
    basis: text("basis", { enum: ["agreed", "notice"] })
      .notNull()
      .default("agreed"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    index("contact_consents_contact_idx").on(t.workspaceId, t.contactId, t.createdAt),
    // One notice per contact and channel, whichever of the contact's conversations claims it first.
    uniqueIndex("contact_consents_notice_uq")
      .on(t.workspaceId, t.contactId, t.channel)
      .where(sql`basis = 'notice'`),
  ],
);

/** Per-workspace retention: null days = keep. Run by the scheduled handler. */
export const retentionPolicies = sqliteTable("retention_policies", {
  workspaceId: text("workspace_id").primaryKey(),
  conversationDays: integer("conversation_days"),
  attachmentDays: integer("attachment_days"),
  traceDays: integer("trace_days"),
  lastRunAt: integer("last_run_at"),
  lastResult: json<Record<string, number>>("last_result"),
  updatedBy: text("updated_by"),
  updatedAt: integer("updated_at").notNull().default(now),
});
