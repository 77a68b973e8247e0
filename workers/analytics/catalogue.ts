/**
 * Context layer 2: the metric catalogue and its dimensions. Each metric is one SQL
 * expression over `conversations c` (plus the one table it needs), with its own filter;
 * the semantic parser and the LLM path both build on these definitions, and the gold set
 * (evals/analytics/gold.json) was written from them. Workspaces may override labels,
 * synonyms and descriptions (admins, stored as layer entries); the SQL of the built-in
 * metrics stays here, reviewed in code.
 */
export type Unit = "count" | "percent" | "minutes" | "hours" | "usd" | "score" | "ratio";
export type Source = "conversations" | "traces" | "messages" | "actions";

export interface Metric {
  key: string;
  label: { en: string; ru: string };
  description: string;
  unit: Unit;
  /** Aggregate expression; the row set is `conversations c` joined to the metric's source. */
  expr: string;
  /** The metric's own filter (e.g. only rated conversations). */
  where?: string;
  source: Source;
  /** Whether a larger value is good (for "best"/"worst" and for flags). */
  higherIsBetter: boolean;
  /** Additive metrics can be split into contributions ("biggest contributor"). */
  additive: boolean;
  /** The column whose NULL share is reported (sanity check). */
  measured?: string;
}

export interface Dimension {
  key: string;
  label: { en: string; ru: string };
  expr: string;
  /** A join the dimension needs (inner: only rows that have it). */
  join?: string;
  /** The metric sources it can be combined with (default: all). */
  sources?: Source[];
  /** Time grains sort by the dimension, not by the value. */
  time?: boolean;
}

const SLA_BREACH =
  "CASE WHEN c.first_responded_at > c.first_response_due_at OR (c.first_responded_at IS NULL AND c.first_response_due_at < unixepoch('now') * 1000) THEN 1 ELSE 0 END";

const SOURCE_JOIN: Record<Source, string | null> = {
  conversations: null,
  traces: "JOIN ai_traces t ON t.conversation_id = c.id",
  messages: "JOIN messages m ON m.conversation_id = c.id",
  actions: "JOIN actions a ON a.conversation_id = c.id",
};

export function sourceJoin(source: Source): string | null {
  return SOURCE_JOIN[source];
}

export const METRICS: Metric[] = [
  {
    key: "conversations",
    label: { en: "Conversations", ru: "Диалоги" },
    description: "Number of conversations opened.",
    unit: "count",
    expr: "COUNT(*)",
    source: "conversations",
    higherIsBetter: true,
    additive: true,
  },
  {
    key: "open_conversations",
    label: { en: "Open conversations", ru: "Открытые диалоги" },
    description: "Conversations not resolved yet (open, pending or snoozed).",
    unit: "count",
    expr: "COUNT(*)",
    where: "c.status <> 'resolved'",
    source: "conversations",
    higherIsBetter: false,
    additive: true,
  },
  {
    key: "resolved_conversations",
    label: { en: "Resolved conversations", ru: "Решённые диалоги" },
    description: "Conversations with status resolved.",
    unit: "count",
    expr: "COUNT(*)",
    where: "c.status = 'resolved'",
    source: "conversations",
    higherIsBetter: true,
    additive: true,
  },
  {
    key: "ai_resolved_conversations",
    label: { en: "Conversations resolved by AI", ru: "Решено AI" },
    description: "Conversations the AI resolved without a human.",
    unit: "count",
    expr: "COUNT(*)",
    where: "c.ai_resolved = 1",
    source: "conversations",
    higherIsBetter: true,
    additive: true,
  },
  {
    key: "first_response_time",
    label: { en: "First response time", ru: "Время первого ответа" },
    description: "Average minutes from the first customer message to the first reply (bot or operator).",
    unit: "minutes",
    expr: "AVG((c.first_responded_at - c.created_at) / 60000.0)",
    where: "c.first_responded_at IS NOT NULL",
    source: "conversations",
    higherIsBetter: false,
    additive: false,
    measured: "c.first_responded_at",
  },
  {
    key: "resolution_time",
    label: { en: "Resolution time", ru: "Время решения" },
    description: "Average hours from opening to resolution, resolved conversations only.",
    unit: "hours",
    expr: "AVG((c.resolved_at - c.created_at) / 3600000.0)",
    where: "c.resolved_at IS NOT NULL",
    source: "conversations",
    higherIsBetter: false,
    additive: false,
    measured: "c.resolved_at",
  },
  {
    key: "csat_average",
    label: { en: "CSAT average", ru: "Средний CSAT" },
    description: "Average customer satisfaction (1–5) over rated conversations.",
    unit: "score",
    expr: "AVG(c.csat_score)",
    where: "c.csat_score IS NOT NULL",
    source: "conversations",
    higherIsBetter: true,
    additive: false,
    measured: "c.csat_score",
  },
  {
    key: "csat_percent",
    label: { en: "CSAT %", ru: "CSAT %" },
    description: "Share of ratings that are 4 or 5, among rated conversations.",
    unit: "percent",
    expr: "100.0 * SUM(CASE WHEN c.csat_score >= 4 THEN 1 ELSE 0 END) / COUNT(*)",
    where: "c.csat_score IS NOT NULL",
    source: "conversations",
    higherIsBetter: true,
    additive: false,
    measured: "c.csat_score",
  },
  {
    key: "nps",
    label: { en: "NPS", ru: "NPS" },
    description: "Promoters (9–10) minus detractors (0–6), in % of NPS answers.",
    unit: "score",
    expr: "100.0 * (SUM(CASE WHEN c.nps_score >= 9 THEN 1 ELSE 0 END) - SUM(CASE WHEN c.nps_score <= 6 THEN 1 ELSE 0 END)) / COUNT(*)",
    where: "c.nps_score IS NOT NULL",
    source: "conversations",
    higherIsBetter: true,
    additive: false,
    measured: "c.nps_score",
  },
  {
    key: "ai_resolution_rate",
    label: { en: "AI resolution rate", ru: "Доля решённых AI" },
    description: "AI-resolved among resolved conversations, in %.",
    unit: "percent",
    expr: "100.0 * SUM(c.ai_resolved) / COUNT(*)",
    where: "c.status = 'resolved'",
    source: "conversations",
    higherIsBetter: true,
    additive: false,
  },
  {
    key: "handoff_rate",
    label: { en: "Handoff rate", ru: "Доля передач человеку" },
    description: "Conversations handed to a human operator, in % of all.",
    unit: "percent",
    expr: "100.0 * SUM(CASE WHEN c.assignee_id IS NOT NULL THEN 1 ELSE 0 END) / COUNT(*)",
    source: "conversations",
    higherIsBetter: false,
    additive: false,
  },
  {
    key: "sla_breaches",
    label: { en: "SLA breaches", ru: "Нарушения SLA" },
    description: "First response after its due time, or none yet and the due time passed.",
    unit: "count",
    expr: `SUM(${SLA_BREACH})`,
    source: "conversations",
    higherIsBetter: false,
    additive: true,
  },
  {
    key: "sla_breach_rate",
    label: { en: "SLA breach rate", ru: "Доля нарушений SLA" },
    description: "SLA breaches in % of conversations.",
    unit: "percent",
    expr: `100.0 * SUM(${SLA_BREACH}) / COUNT(*)`,
    source: "conversations",
    higherIsBetter: false,
    additive: false,
  },
  {
    key: "abandoned_chats",
    label: { en: "Abandoned chats", ru: "Брошенные чаты" },
    description: "Closed without any reply: the customer wrote and left before anyone answered.",
    unit: "count",
    expr: "COUNT(*)",
    where: "c.first_responded_at IS NULL AND c.status = 'resolved'",
    source: "conversations",
    higherIsBetter: false,
    additive: true,
  },
  {
    key: "ai_cost",
    label: { en: "AI cost", ru: "Стоимость AI" },
    description: "Total cost of AI calls in USD.",
    unit: "usd",
    expr: "SUM(t.cost_usd)",
    source: "traces",
    higherIsBetter: false,
    additive: true,
  },
  {
    key: "ai_cost_per_conversation",
    label: { en: "AI cost per conversation", ru: "Стоимость AI на диалог" },
    description: "AI cost over the conversations that have AI traces, in USD.",
    unit: "usd",
    expr: "SUM(t.cost_usd) / COUNT(DISTINCT c.id)",
    source: "traces",
    higherIsBetter: false,
    additive: false,
  },
  {
    key: "cost_per_resolution",
    label: { en: "Cost per resolution", ru: "Стоимость решения" },
    description: "AI cost over resolved conversations, in USD.",
    unit: "usd",
    expr: "SUM(t.cost_usd) / COUNT(DISTINCT CASE WHEN c.status = 'resolved' THEN c.id END)",
    source: "traces",
    higherIsBetter: false,
    additive: false,
  },
  {
    key: "messages_per_conversation",
    label: { en: "Messages per conversation", ru: "Сообщений на диалог" },
    description: "Messages of every kind over conversations.",
    unit: "ratio",
    expr: "COUNT(m.id) * 1.0 / COUNT(DISTINCT c.id)",
    source: "messages",
    higherIsBetter: false,
    additive: false,
  },
  {
    key: "actions",
    label: { en: "Actions", ru: "Действия" },
    description: "Account actions proposed (filter by status: executed, failed, cancelled, expired...).",
    unit: "count",
    expr: "COUNT(a.id)",
    source: "actions",
    higherIsBetter: true,
    additive: true,
  },
];

export const METRICS_BY_KEY: ReadonlyMap<string, Metric> = new Map(METRICS.map((m) => [m.key, m]));

export const DIMENSIONS: Dimension[] = [
  { key: "channel", label: { en: "channel", ru: "канал" }, expr: "c.channel" },
  { key: "category", label: { en: "category", ru: "категория" }, expr: "c.category" },
  { key: "language", label: { en: "language", ru: "язык" }, expr: "c.language" },
  { key: "priority", label: { en: "priority", ru: "приоритет" }, expr: "c.priority" },
  { key: "status", label: { en: "status", ru: "статус" }, expr: "c.status" },
  {
    key: "operator",
    label: { en: "operator", ru: "оператор" },
    expr: "o.name",
    join: "JOIN operators o ON o.id = c.assignee_id",
  },
  { key: "team", label: { en: "team", ru: "команда" }, expr: "tm.name", join: "JOIN teams tm ON tm.id = c.team_id" },
  { key: "tag", label: { en: "tag", ru: "тег" }, expr: "j.value", join: ", json_each(c.tags) j" },
  { key: "tool", label: { en: "tool", ru: "инструмент" }, expr: "a.tool", sources: ["actions"] },
  {
    key: "action_status",
    label: { en: "action status", ru: "статус действия" },
    expr: "a.status",
    sources: ["actions"],
  },
  { key: "model", label: { en: "model", ru: "модель" }, expr: "t.model", sources: ["traces"] },
  {
    key: "day",
    label: { en: "day", ru: "день" },
    expr: "strftime('%Y-%m-%d', c.created_at / 1000, 'unixepoch')",
    time: true,
  },
  {
    key: "week",
    label: { en: "week", ru: "неделя" },
    expr: "strftime('%Y-%W', c.created_at / 1000, 'unixepoch')",
    time: true,
  },
  {
    key: "month",
    label: { en: "month", ru: "месяц" },
    expr: "strftime('%Y-%m', c.created_at / 1000, 'unixepoch')",
    time: true,
  },
  {
    key: "hour",
    label: { en: "hour of day", ru: "час" },
    expr: "CAST(strftime('%H', c.created_at / 1000, 'unixepoch') AS INTEGER)",
    time: true,
  },
  {
    key: "weekday",
    label: { en: "weekday", ru: "день недели" },
    expr: "strftime('%w', c.created_at / 1000, 'unixepoch')",
    time: true,
  },
];

export const DIMENSIONS_BY_KEY: ReadonlyMap<string, Dimension> = new Map(DIMENSIONS.map((d) => [d.key, d]));
