/**
 * Scenario flows, automation rules and outgoing webhooks (issue 16). A flow has one
 * editable draft and immutable published versions; a conversation pins the version it
 * started on. Webhook secrets are stored encrypted; deliveries keep the exact signed body
 * so a redelivery sends the same bytes under a fresh signature.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { FlowGraph, RuleDefinition } from "../protocol/flows.ts";

const now = sql`(unixepoch('subsec') * 1000)`;
const createdAt = () => integer("created_at").notNull().default(now);
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const flows = sqliteTable(
  "flows",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    name: text("name").notNull(),
    templateId: text("template_id"),
    draft: json<FlowGraph>("draft").notNull(),
    /** The version new conversations start on; null until first published. */
    publishedVersion: integer("published_version"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("flows_ws_idx").on(t.workspaceId, t.active)],
);

export const flowVersions = sqliteTable(
  "flow_versions",
  {
    workspaceId: text("workspace_id").notNull(),
    flowId: text("flow_id").notNull(),
    version: integer("version").notNull(),
    graph: json<FlowGraph>("graph").notNull(),
    publishedBy: text("published_by"),
    /** Set when this version was made by rolling back to an older one. */
    rolledBackFrom: integer("rolled_back_from"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] }), index("flow_versions_ws_idx").on(t.workspaceId, t.flowId)],
);

export const automationRules = sqliteTable(
  "automation_rules",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    definition: json<RuleDefinition>("definition").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("rules_ws_idx").on(t.workspaceId, t.enabled)],
);

export const outgoingWebhooks = sqliteTable(
  "outgoing_webhooks",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    url: text("url").notNull(),
    events: json<string[]>("events").notNull(),
    secretEnc: text("secret_enc").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("outgoing_webhooks_ws_idx").on(t.workspaceId, t.active)],
);

export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    webhookId: text("webhook_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The exact JSON body that was (or will be) signed and sent. */
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    /** Every attempt: when, the response code (null when none came) and the error. */
    log: json<Array<{ at: number; status: number | null; error: string | null }>>("log")
      .notNull()
      .default(sql`'[]'`),
    nextAttemptAt: integer("next_attempt_at"),
    deliveredAt: integer("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_deliveries_hook_idx").on(t.workspaceId, t.webhookId, t.createdAt)],
);
