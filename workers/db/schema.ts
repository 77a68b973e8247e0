/**
 * D1 data model (drizzle). Every tenant row carries `workspace_id`; the query layer in
 * `scoped.ts` adds that filter to every statement, so handlers cannot forget it.
 * SQL migrations are generated from this file into ../../migrations (`npm run db:generate`).
 *
 * Over 400 lines: the core tables and the demo store, as drizzle-kit reads them. New features
 * add their tables in schema-<feature>.ts, re-exported at the end, instead of growing this file.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CHANNELS, CONVERSATION_STATUSES, PRIORITIES } from "../protocol/vocabulary.ts";

const now = sql`(unixepoch('subsec') * 1000)`;
const id = () => text("id").primaryKey();
const workspaceId = () => text("workspace_id").notNull();
const createdAt = () => integer("created_at").notNull().default(now);
const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();

export const workspaces = sqliteTable("workspaces", {
  id: id(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  /** Public key the widget is configured with; not a secret. */
  widgetKey: text("widget_key").notNull().unique(),
  /** Routing mode, AI mode, business hours, SLA policy, branding, after-hours: see workers/protocol/settings.ts. */
  settings: json<Record<string, unknown>>("settings")
    .notNull()
    .default(sql`'{}'`),
  /** HMAC secret a host site uses to vouch for logged-in customers (encrypted). */
  identitySecretEnc: text("identity_secret_enc"),
  createdAt: createdAt(),
});

export const operators = sqliteTable(
  "operators",
  {
    id: id(),
    workspaceId: workspaceId(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** @mention handle, unique per workspace. */
    handle: text("handle").notNull(),
    role: text("role", { enum: ["owner", "admin", "operator", "analyst"] }).notNull(),
    passwordHash: text("password_hash").notNull(),
    skills: json<string[]>("skills")
      .notNull()
      .default(sql`'[]'`),
    languages: json<string[]>("languages")
      .notNull()
      .default(sql`'[]'`),
    maxConcurrent: integer("max_concurrent").notNull().default(5),
    totpSecretEnc: text("totp_secret_enc"),
    totpEnabled: integer("totp_enabled", { mode: "boolean" }).notNull().default(false),
    /** The last TOTP time step accepted (Unix time / 30): a code is never accepted twice. */
    totpLastStep: integer("totp_last_step"),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("operators_email_uq").on(t.email),
    uniqueIndex("operators_handle_uq").on(t.workspaceId, t.handle),
  ],
);

export const teams = sqliteTable(
  "teams",
  { id: id(), workspaceId: workspaceId(), name: text("name").notNull(), createdAt: createdAt() },
  (t) => [uniqueIndex("teams_name_uq").on(t.workspaceId, t.name)],
);

export const teamMembers = sqliteTable(
  "team_members",
  { workspaceId: workspaceId(), teamId: text("team_id").notNull(), operatorId: text("operator_id").notNull() },
  (t) => [
    primaryKey({ columns: [t.teamId, t.operatorId] }),
    index("team_members_op_idx").on(t.workspaceId, t.operatorId),
  ],
);

/** Login throttling: one row per key ("account:<email>" or "ip:<addr>"). */
export const loginAttempts = sqliteTable("login_attempts", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: integer("window_start").notNull(),
  lockedUntil: integer("locked_until"),
});

export const contacts = sqliteTable(
  "contacts",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    language: text("language"),
    tags: json<string[]>("tags")
      .notNull()
      .default(sql`'[]'`),
    /** Set when merged into another contact; unmerge clears it. */
    mergedIntoId: text("merged_into_id"),
    /** Commerce backend customer id, once identified. */
    customerRef: text("customer_ref"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("contacts_email_idx").on(t.workspaceId, t.email),
    index("contacts_phone_idx").on(t.workspaceId, t.phone),
  ],
);

export const contactIdentities = sqliteTable(
  "contact_identities",
  {
    id: id(),
    workspaceId: workspaceId(),
    contactId: text("contact_id").notNull(),
    /** The contact this identity belonged to before a merge, so unmerge can restore it. */
    originalContactId: text("original_contact_id").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    inboxId: text("inbox_id").notNull(),
    externalId: text("external_id").notNull(),
    phone: text("phone"),
    email: text("email"),
    verified: integer("verified", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("identities_external_uq").on(t.workspaceId, t.inboxId, t.externalId),
    index("identities_contact_idx").on(t.workspaceId, t.contactId),
    index("identities_phone_idx").on(t.workspaceId, t.phone),
  ],
);

export const inboxes = sqliteTable(
  "inboxes",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    /** Non-secret settings (phone number id, page id, address, greeting...). */
    settings: json<Record<string, unknown>>("settings")
      .notNull()
      .default(sql`'{}'`),
    /** Tokens and secrets, AES-GCM encrypted with ENCRYPTION_KEY; never returned by the API. */
    secretsEnc: text("secrets_enc"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index("inboxes_ws_idx").on(t.workspaceId, t.channel)],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: id(),
    workspaceId: workspaceId(),
    inboxId: text("inbox_id").notNull(),
    contactId: text("contact_id").notNull(),
    /** The identity the customer wrote from; unmerge moves conversations back by it. */
    identityId: text("identity_id").notNull(),
    channel: text("channel").notNull(),
    /** Provider-side conversation key (chat id, wa_id, email thread root, visitor id). */
    threadKey: text("thread_key").notNull(),
    status: text("status", { enum: CONVERSATION_STATUSES }).notNull().default("open"),
    owner: text("owner", { enum: ["bot", "human", "queue"] })
      .notNull()
      .default("bot"),
    assigneeId: text("assignee_id"),
    teamId: text("team_id"),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
    tags: json<string[]>("tags")
      .notNull()
      .default(sql`'[]'`),
    category: text("category"),
    secondaryCategories: json<string[]>("secondary_categories")
      .notNull()
      .default(sql`'[]'`),
    language: text("language"),
    subject: text("subject"),
    lastMessageAt: integer("last_message_at"),
    lastMessagePreview: text("last_message_preview"),
    lastSeq: integer("last_seq").notNull().default(0),
    firstResponseDueAt: integer("first_response_due_at"),
    // When each clock turns at risk (workers/protocol/sla.ts), computed by the room in business time.
    firstResponseAtRiskAt: integer("first_response_at_risk_at"),
    resolutionDueAt: integer("resolution_due_at"),
    resolutionAtRiskAt: integer("resolution_at_risk_at"),
    firstRespondedAt: integer("first_responded_at"),
    resolvedAt: integer("resolved_at"),
    snoozedUntil: integer("snoozed_until"),
    csatScore: integer("csat_score"),
    csatComment: text("csat_comment"),
    npsScore: integer("nps_score"),
    aiResolved: integer("ai_resolved", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [
    index("conv_inbox_list_idx").on(t.workspaceId, t.status, t.lastMessageAt),
    index("conv_assignee_idx").on(t.workspaceId, t.assigneeId, t.status),
    index("conv_team_idx").on(t.workspaceId, t.teamId, t.status),
    index("conv_contact_idx").on(t.workspaceId, t.contactId),
    index("conv_category_idx").on(t.workspaceId, t.category),
    index("conv_thread_idx").on(t.workspaceId, t.inboxId, t.threadKey),
  ],
);

export const messages = sqliteTable(
  "messages",
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: text("conversation_id").notNull(),
    seq: integer("seq").notNull(),
    type: text("type", { enum: ["incoming", "outgoing", "activity", "note"] }).notNull(),
    senderType: text("sender_type", { enum: ["contact", "operator", "bot", "system"] }).notNull(),
    senderId: text("sender_id"),
    content: text("content").notNull(),
    /** Buttons, action references, language, streaming flags. */
    contentAttributes: json<Record<string, unknown>>("content_attributes")
      .notNull()
      .default(sql`'{}'`),
    attachments: json<Array<Record<string, unknown>>>("attachments")
      .notNull()
      .default(sql`'[]'`),
    clientId: text("client_id"),
    inboxId: text("inbox_id"),
    channelMessageId: text("channel_message_id"),
    deliveryStatus: text("delivery_status", { enum: ["pending", "sent", "delivered", "read", "failed"] }),
    deliveryError: text("delivery_error"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("messages_seq_uq").on(t.conversationId, t.seq),
    uniqueIndex("messages_channel_uq").on(t.inboxId, t.channelMessageId),
    index("messages_ws_conv_idx").on(t.workspaceId, t.conversationId, t.seq),
  ],
);

/**
 * D1 copy of the inbox intake journals (the journal of record is each inbox's InboxIntake
 * object): every accepted event with its latest status, for admins and reports. Written in
 * bulk by the intake; no index beyond the unique key, since each one costs every write.
 */
export const inboundEvents = sqliteTable(
  "inbound_events",
  {
    id: id(),
    workspaceId: workspaceId(),
    inboxId: text("inbox_id").notNull(),
    channelMessageId: text("channel_message_id").notNull(),
    kind: text("kind", { enum: ["message", "status"] }).notNull(),
    payload: json<Record<string, unknown>>("payload").notNull(),
    status: text("status", { enum: ["received", "processed", "failed"] })
      .notNull()
      .default("received"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("inbound_events_uq").on(t.inboxId, t.kind, t.channelMessageId)],
);

export const cannedResponses = sqliteTable(
  "canned_responses",
  {
    id: id(),
    workspaceId: workspaceId(),
    shortCode: text("short_code").notNull(),
    content: text("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("canned_code_uq").on(t.workspaceId, t.shortCode)],
);

export const categories = sqliteTable(
  "categories",
  {
    id: id(),
    workspaceId: workspaceId(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    instructions: text("instructions").notNull(),
    allowedTools: json<string[]>("allowed_tools")
      .notNull()
      .default(sql`'[]'`),
    provider: text("provider").notNull().default("local"),
    model: text("model").notNull().default("local-answer-v1"),
    reasoningLevel: text("reasoning_level", { enum: ["minimal", "low", "medium", "high"] })
      .notNull()
      .default("low"),
    autoSend: text("auto_send", { enum: ["always", "confident", "never"] })
      .notNull()
      .default("confident"),
    retentionOffer: text("retention_offer"),
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at").notNull().default(now),
    updatedBy: text("updated_by"),
  },
  (t) => [uniqueIndex("categories_key_uq").on(t.workspaceId, t.key)],
);

export const categoryVersions = sqliteTable(
  "category_versions",
  {
    id: id(),
    workspaceId: workspaceId(),
    categoryKey: text("category_key").notNull(),
    version: integer("version").notNull(),
    snapshot: json<Record<string, unknown>>("snapshot").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("category_versions_uq").on(t.workspaceId, t.categoryKey, t.version)],
);

export const knowledgeDocuments = sqliteTable(
  "knowledge_documents",
  {
    id: id(),
    workspaceId: workspaceId(),
    title: text("title").notNull(),
    fileName: text("file_name").notNull(),
    kind: text("kind", { enum: ["pdf", "docx", "txt", "md", "html"] }).notNull(),
    size: integer("size").notNull(),
    r2Key: text("r2_key").notNull(),
    category: text("category"),
    status: text("status", { enum: ["queued", "parsing", "embedding", "ready", "failed"] })
      .notNull()
      .default("queued"),
    progress: real("progress").notNull().default(0),
    error: text("error"),
    chunkCount: integer("chunk_count").notNull().default(0),
    contentHash: text("content_hash"),
    source: text("source", { enum: ["upload", "crawl", "seed"] })
      .notNull()
      .default("upload"),
    sourceUrl: text("source_url"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("kdocs_ws_idx").on(t.workspaceId, t.status), index("kdocs_url_idx").on(t.workspaceId, t.sourceUrl)],
);

export const knowledgeChunks = sqliteTable(
  "knowledge_chunks",
  {
    id: id(),
    workspaceId: workspaceId(),
    documentId: text("document_id").notNull(),
    ordinal: integer("ordinal").notNull(),
    heading: json<string[]>("heading")
      .notNull()
      .default(sql`'[]'`),
    text: text("text").notNull(),
    page: integer("page"),
    tokenCount: integer("token_count").notNull(),
    category: text("category"),
  },
  (t) => [index("kchunks_doc_idx").on(t.workspaceId, t.documentId, t.ordinal)],
);

export const crawlSources = sqliteTable(
  "crawl_sources",
  {
    id: id(),
    workspaceId: workspaceId(),
    startUrl: text("start_url").notNull(),
    depth: integer("depth").notNull().default(2),
    include: json<string[]>("include")
      .notNull()
      .default(sql`'[]'`),
    exclude: json<string[]>("exclude")
      .notNull()
      .default(sql`'[]'`),
    category: text("category"),
    /** Minutes between runs; the cron trigger checks every five minutes. */
    intervalMinutes: integer("interval_minutes").notNull().default(1440),
    lastRunAt: integer("last_run_at"),
    lastResult: json<Record<string, unknown>>("last_result"),
    createdAt: createdAt(),
  },
  (t) => [index("crawl_ws_idx").on(t.workspaceId)],
);

/** Approved question→answer pairs become few-shot examples (seed 003: learning from history). */
export const fewShotExamples = sqliteTable(
  "few_shot_examples",
  {
    id: id(),
    workspaceId: workspaceId(),
    category: text("category").notNull(),
    question: text("question").notNull(),
    answer: text("answer").notNull(),
    status: text("status", { enum: ["pending", "approved", "rejected"] })
      .notNull()
      .default("pending"),
    sourceMessageId: text("source_message_id"),
    markedBy: text("marked_by"),
    reviewedBy: text("reviewed_by"),
    createdAt: createdAt(),
  },
  (t) => [index("fewshot_ws_idx").on(t.workspaceId, t.category, t.status)],
);

export const actions = sqliteTable(
  "actions",
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: text("conversation_id").notNull(),
    contactId: text("contact_id"),
    customerRef: text("customer_ref"),
    tool: text("tool").notNull(),
    args: json<Record<string, unknown>>("args").notNull(),
    summary: text("summary").notNull(),
    status: text("status", { enum: ["proposed", "pending", "confirmed", "executed", "failed", "cancelled", "expired"] })
      .notNull()
      .default("pending"),
    proposedBy: text("proposed_by").notNull(),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    executedAt: integer("executed_at"),
    expiresAt: integer("expires_at").notNull(),
    result: json<Record<string, unknown>>("result"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [index("actions_conv_idx").on(t.workspaceId, t.conversationId, t.status)],
);

export const aiTraces = sqliteTable(
  "ai_traces",
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: text("conversation_id"),
    turnId: text("turn_id").notNull(),
    step: text("step", { enum: ["route", "retrieve", "generate", "tool", "gate", "identify"] }).notNull(),
    provider: text("provider"),
    model: text("model"),
    latencyMs: real("latency_ms").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    costUsd: real("cost_usd").notNull().default(0),
    detail: json<Record<string, unknown>>("detail")
      .notNull()
      .default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [index("traces_conv_idx").on(t.workspaceId, t.conversationId, t.createdAt)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    workspaceId: workspaceId(),
    actorType: text("actor_type", { enum: ["operator", "contact", "bot", "system"] }).notNull(),
    actorId: text("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    detail: json<Record<string, unknown>>("detail")
      .notNull()
      .default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [index("audit_ws_idx").on(t.workspaceId, t.createdAt)],
);

export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: id(),
    workspaceId: workspaceId(),
    queue: text("queue").notNull(),
    body: json<Record<string, unknown>>("body").notNull(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    replayedAt: integer("replayed_at"),
    createdAt: createdAt(),
  },
  (t) => [index("dead_letters_ws_idx").on(t.workspaceId, t.createdAt)],
);

/** One-time codes proving a customer owns the email on file. Only a hash is stored. */
export const verificationCodes = sqliteTable(
  "verification_codes",
  {
    id: id(),
    workspaceId: workspaceId(),
    conversationId: text("conversation_id").notNull(),
    email: text("email").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: integer("expires_at").notNull(),
    consumedAt: integer("consumed_at"),
    createdAt: createdAt(),
  },
  (t) => [index("vcodes_conv_idx").on(t.workspaceId, t.conversationId)],
);

// ---------------------------------------------------------------------------
// Demo store: the embedded commerce backend (a monthly subscription box).
// ---------------------------------------------------------------------------

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postalCode: string;
  country: string;
}

export const storeCustomers = sqliteTable(
  "store_customers",
  {
    id: id(),
    workspaceId: workspaceId(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    phone: text("phone"),
    address: json<PostalAddress>("address").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("store_customers_email_uq").on(t.workspaceId, t.email)],
);

export const storeSubscriptions = sqliteTable(
  "store_subscriptions",
  {
    id: id(),
    workspaceId: workspaceId(),
    customerId: text("customer_id").notNull(),
    plan: text("plan").notNull(),
    priceCents: integer("price_cents").notNull(),
    currency: text("currency").notNull().default("USD"),
    frequency: text("frequency", { enum: ["monthly", "bimonthly", "quarterly"] }).notNull(),
    status: text("status", { enum: ["active", "paused", "cancelled"] }).notNull(),
    nextBoxDate: text("next_box_date"),
    skippedMonths: json<string[]>("skipped_months")
      .notNull()
      .default(sql`'[]'`),
    pausedUntil: text("paused_until"),
    createdAt: createdAt(),
  },
  (t) => [index("store_subs_customer_idx").on(t.workspaceId, t.customerId)],
);

export const storeOrders = sqliteTable(
  "store_orders",
  {
    id: id(),
    workspaceId: workspaceId(),
    number: text("number").notNull(),
    customerId: text("customer_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    boxMonth: text("box_month").notNull(),
    items: json<string[]>("items").notNull(),
    status: text("status", { enum: ["processing", "shipped", "delivered", "returned"] }).notNull(),
    totalCents: integer("total_cents").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("store_orders_customer_idx").on(t.workspaceId, t.customerId),
    uniqueIndex("store_orders_number_uq").on(t.workspaceId, t.number),
  ],
);

export interface ShipmentEvent {
  at: string;
  status: string;
  location: string;
}

export const storeShipments = sqliteTable(
  "store_shipments",
  {
    id: id(),
    workspaceId: workspaceId(),
    orderId: text("order_id").notNull(),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    status: text("status", {
      enum: ["label_created", "in_transit", "out_for_delivery", "delivered", "exception"],
    }).notNull(),
    events: json<ShipmentEvent[]>("events")
      .notNull()
      .default(sql`'[]'`),
    estimatedDelivery: text("estimated_delivery"),
    createdAt: createdAt(),
  },
  (t) => [index("store_shipments_order_idx").on(t.workspaceId, t.orderId)],
);

export const storeDamageClaims = sqliteTable(
  "store_damage_claims",
  {
    id: id(),
    workspaceId: workspaceId(),
    orderId: text("order_id").notNull(),
    customerId: text("customer_id").notNull(),
    description: text("description").notNull(),
    photos: json<string[]>("photos")
      .notNull()
      .default(sql`'[]'`),
    status: text("status", { enum: ["open", "approved", "rejected"] })
      .notNull()
      .default("open"),
    createdAt: createdAt(),
  },
  (t) => [index("store_claims_customer_idx").on(t.workspaceId, t.customerId)],
);

export const storePayments = sqliteTable(
  "store_payments",
  {
    id: id(),
    workspaceId: workspaceId(),
    customerId: text("customer_id").notNull(),
    subscriptionId: text("subscription_id"),
    kind: text("kind", { enum: ["charge", "refund"] }).notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("USD"),
    status: text("status", { enum: ["succeeded", "failed", "pending"] }).notNull(),
    failureReason: text("failure_reason"),
    createdAt: createdAt(),
  },
  (t) => [index("store_payments_customer_idx").on(t.workspaceId, t.customerId)],
);
export * from "./schema-contact-claims.ts";
export * from "./schema-security.ts";
export * from "./schema-evals.ts";
export * from "./schema-flows.ts";
export * from "./schema-analytics.ts";
export * from "./schema-rights.ts";
export * from "./schema-learnings.ts";
export * from "./schema-encryption.ts";
export * from "./schema-rekey.ts";
