/**
 * What the analytics agent may read (context layer 1): the tables and columns on the SQL
 * guard's allowlist, each annotated by hand, with the allowed values taken from the
 * drizzle schema's enums. Anything not listed here — password hashes, TOTP and channel
 * secrets, identity secrets, verification codes, the demo store, the audit log — does not
 * exist as far as a query is concerned: the guard rewrites every table to a CTE that
 * selects only these columns of the caller's workspace.
 *
 * `pii` columns are masked for analysts (the CTE selects a placeholder instead).
 */
import { getTableColumns } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { schema } from "../db/client.ts";

export interface ExposedColumn {
  name: string;
  description: string;
  /** Allowed values (from the schema's enum, or documented by hand). */
  values?: readonly string[];
  pii?: boolean;
}

export interface ExposedTable {
  name: string;
  description: string;
  columns: ExposedColumn[];
}

interface Annotated {
  table: SQLiteTable;
  name: string;
  description: string;
  columns: Record<string, { description: string; pii?: boolean; values?: readonly string[] }>;
}

const TIME = "epoch milliseconds (UTC); use /1000 with 'unixepoch' in date functions";

const ANNOTATED: Annotated[] = [
  {
    table: schema.conversations,
    name: "conversations",
    description: "One support conversation (ticket) on one channel.",
    columns: {
      id: { description: "conversation id" },
      inbox_id: { description: "inbox (channel account) it arrived in; join inboxes.id" },
      contact_id: { description: "the customer; join contacts.id" },
      channel: { description: "channel", values: ["widget", "telegram", "whatsapp", "messenger", "email"] },
      status: { description: "current status" },
      owner: { description: "who owns the next turn: bot, a human, or the queue waiting for one" },
      assignee_id: { description: "operator assigned; join operators.id (NULL: never handed to a human)" },
      team_id: { description: "team; join teams.id" },
      priority: { description: "priority" },
      tags: { description: "JSON array of tags; expand with json_each(tags)" },
      category: {
        description: "support category decided by the router",
        values: [
          "general_question",
          "shipping_inquiry",
          "change_address",
          "change_frequency",
          "skip_month",
          "damaged_item",
          "payment_issue",
          "pause_subscription",
          "cancel_subscription",
          "other",
        ],
      },
      language: { description: "customer's language", values: ["en", "ru", "he", "es", "fr"] },
      subject: { description: "email subject", pii: true },
      last_message_at: { description: `last message time, ${TIME}` },
      last_message_preview: { description: "start of the last message", pii: true },
      first_response_due_at: { description: `SLA: first response due, ${TIME}` },
      resolution_due_at: { description: `SLA: resolution due, ${TIME}` },
      first_responded_at: { description: `first reply by bot or operator, ${TIME}; NULL if none` },
      resolved_at: { description: `resolution time, ${TIME}; NULL unless resolved` },
      csat_score: { description: "customer satisfaction 1–5, only for resolved conversations that were rated" },
      csat_comment: { description: "the customer's comment with the CSAT rating" },
      nps_score: { description: "net promoter answer 0–10 (promoters 9–10, detractors 0–6)" },
      ai_resolved: { description: "1 when the AI resolved it without a human" },
      created_at: { description: `opened, ${TIME}` },
    },
  },
  {
    table: schema.messages,
    name: "messages",
    description: "Messages of conversations: customer (incoming), replies (outgoing), activity, internal notes.",
    columns: {
      id: { description: "message id" },
      conversation_id: { description: "join conversations.id" },
      seq: { description: "order within the conversation" },
      type: { description: "kind of message" },
      sender_type: { description: "who wrote it" },
      sender_id: { description: "operator id for operator messages" },
      content: { description: "text", pii: true },
      delivery_status: { description: "delivery status on external channels" },
      created_at: { description: `sent, ${TIME}` },
    },
  },
  {
    table: schema.contacts,
    name: "contacts",
    description: "Customers (one per person, across channels).",
    columns: {
      id: { description: "contact id" },
      name: { description: "customer's name", pii: true },
      email: { description: "customer's email", pii: true },
      phone: { description: "customer's phone", pii: true },
      language: { description: "preferred language", values: ["en", "ru", "he", "es", "fr"] },
      tags: { description: "JSON array of tags" },
      created_at: { description: `first seen, ${TIME}` },
    },
  },
  {
    table: schema.operators,
    name: "operators",
    description: "Staff accounts: admins, operators (agents), analysts.",
    columns: {
      id: { description: "operator id" },
      name: { description: "operator's display name" },
      handle: { description: "@mention handle" },
      role: { description: "role" },
      max_concurrent: { description: "max conversations at once" },
      disabled: { description: "1 when the account is disabled" },
      created_at: { description: `created, ${TIME}` },
    },
  },
  {
    table: schema.teams,
    name: "teams",
    description: "Teams of operators.",
    columns: { id: { description: "team id" }, name: { description: "team name" } },
  },
  {
    table: schema.teamMembers,
    name: "team_members",
    description: "Which operator is in which team.",
    columns: { team_id: { description: "join teams.id" }, operator_id: { description: "join operators.id" } },
  },
  {
    table: schema.inboxes,
    name: "inboxes",
    description: "Channel accounts (a website widget, a Telegram bot, a WhatsApp number...).",
    columns: {
      id: { description: "inbox id" },
      name: { description: "inbox name" },
      channel: { description: "channel" },
      enabled: { description: "1 when enabled" },
    },
  },
  {
    table: schema.actions,
    name: "actions",
    description: "Account actions proposed by the AI or operators, confirmed by the customer, then executed.",
    columns: {
      id: { description: "action id" },
      conversation_id: { description: "join conversations.id" },
      tool: { description: "tool name (change_address, skip_next_box, pause_subscription, ...)" },
      status: { description: "lifecycle status" },
      proposed_by: { description: "bot or operator id" },
      decided_at: { description: `confirmed or cancelled, ${TIME}` },
      executed_at: { description: `executed, ${TIME}` },
      created_at: { description: `proposed, ${TIME}` },
    },
  },
  {
    table: schema.aiTraces,
    name: "ai_traces",
    description: "Every AI step of every turn, with latency, tokens and cost.",
    columns: {
      id: { description: "trace id" },
      conversation_id: { description: "join conversations.id" },
      turn_id: { description: "one AI turn groups several steps" },
      step: { description: "pipeline step" },
      provider: { description: "AI provider" },
      model: { description: "model name" },
      latency_ms: { description: "latency in milliseconds" },
      input_tokens: { description: "prompt tokens" },
      output_tokens: { description: "completion tokens" },
      cost_usd: { description: "cost in US dollars" },
      created_at: { description: `time, ${TIME}` },
    },
  },
  {
    table: schema.categories,
    name: "categories",
    description: "The support categories with their model and auto-send policy.",
    columns: {
      key: { description: "category key (conversations.category)" },
      name: { description: "display name" },
      model: { description: "model alias (fast, balanced, deep)" },
      auto_send: { description: "auto-send policy" },
      version: { description: "version of the instructions" },
    },
  },
];

function enumValues(table: SQLiteTable, column: string): readonly string[] | undefined {
  for (const col of Object.values(getTableColumns(table))) {
    if (col.name === column && col.enumValues && col.enumValues.length) return col.enumValues;
  }
  return undefined;
}

/** The allowlist, in schema order. */
export const EXPOSED: ExposedTable[] = ANNOTATED.map((a) => ({
  name: a.name,
  description: a.description,
  columns: Object.entries(a.columns).map(([name, c]) => ({
    name,
    description: c.description,
    pii: c.pii ?? false,
    values: c.values ?? enumValues(a.table, name),
  })),
}));

export const EXPOSED_BY_NAME: ReadonlyMap<string, ExposedTable> = new Map(EXPOSED.map((t) => [t.name, t]));

/** Every real column name of every annotated table (the test checks the annotations against the schema). */
export function schemaColumns(name: string): string[] {
  const a = ANNOTATED.find((x) => x.name === name);
  return a ? Object.values(getTableColumns(a.table)).map((c) => c.name) : [];
}
