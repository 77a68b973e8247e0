/**
 * Analytics agent tables (issue 15): conversation threads with the agent, their turns
 * (question, SQL, answer, feedback), the per-workspace context layers that admins and
 * analysts edit (metric overrides, validated query patterns, documentation, learnings),
 * and personal dashboards of pinned questions.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch('subsec') * 1000)`;

export const analyticsThreads = sqliteTable(
  "analytics_threads",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    operatorId: text("operator_id").notNull(),
    title: text("title").notNull(),
    /** Statements run in this thread (the per-thread query budget). */
    queries: integer("queries").notNull().default(0),
    /** The last structured query, so follow-ups can refine it. */
    lastQuery: text("last_query", { mode: "json" }).$type<Record<string, unknown> | null>(),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("analytics_threads_op_idx").on(t.workspaceId, t.operatorId, t.updatedAt)],
);

export const analyticsTurns = sqliteTable(
  "analytics_turns",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    threadId: text("thread_id").notNull(),
    operatorId: text("operator_id").notNull(),
    question: text("question").notNull(),
    engine: text("engine", { enum: ["embedded", "llm", "pattern", "sql"] }).notNull(),
    sql: text("sql"),
    refused: integer("refused", { mode: "boolean" }).notNull().default(false),
    answer: text("answer").notNull(),
    rowCount: integer("row_count").notNull().default(0),
    warnings: text("warnings", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    layers: text("layers", { mode: "json" })
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    feedback: text("feedback", { enum: ["up", "down"] }),
    correction: text("correction"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("analytics_turns_thread_idx").on(t.workspaceId, t.threadId, t.createdAt)],
);

/**
 * Context layers stored per workspace: 1 column notes, 2 metric overrides (labels,
 * synonyms), 3 validated query patterns, 4 documentation, 5 learnings. Entries from
 * feedback and the repair loop start as `proposed` and apply only once `approved`.
 */
export const analyticsLayerEntries = sqliteTable(
  "analytics_layer_entries",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    layer: integer("layer").notNull(),
    key: text("key").notNull(),
    content: text("content", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: ["proposed", "approved", "rejected"] })
      .notNull()
      .default("proposed"),
    createdBy: text("created_by"),
    reviewedBy: text("reviewed_by"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("analytics_layers_ws_idx").on(t.workspaceId, t.layer, t.status)],
);

export const analyticsPins = sqliteTable(
  "analytics_pins",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    operatorId: text("operator_id").notNull(),
    title: text("title").notNull(),
    question: text("question").notNull(),
    /** Admin-edited SQL to re-run instead of re-asking the question. */
    sql: text("sql"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [index("analytics_pins_op_idx").on(t.workspaceId, t.operatorId)],
);
