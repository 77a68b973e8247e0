/**
 * Scenario flows and automation rules: the wire shapes shared by the server (API, room
 * runner, simulator), the dashboard editor and the tests. A flow is a versioned JSON
 * graph of nodes and edges; an edge names the button or outcome it follows. The graph
 * validator lives beside the schema so the editor shows the same node + reason the API
 * refuses a save with.
 *
 * Over 400 lines: the flow and rule wire schemas plus the graph validator that belongs beside
 * them (see above), in marked sections.
 */
import { z } from "zod";
import { CATEGORY_KEYS, LANGUAGES } from "../lib/categories.ts";

export const FlowLanguage = z.enum(LANGUAGES);
export type FlowLanguage = z.infer<typeof FlowLanguage>;

/** Ids of nodes, edges, buttons, fields and branches: short, so `flow:<button>` fits a Telegram callback (≤ 64 bytes). */
export const FlowId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "1–40 letters, digits, _ or -");
/** Variable names: `order_number`, `contact.email` (dots only for the built-in namespaces). */
export const VariableName = z.string().regex(/^[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,39})?$/, "lower_snake_case");

/** Text with `{{variables}}`: the default plus optional per-language variants. */
export const LocalizedText = z.object({
  text: z.string().max(4000),
  translations: z.partialRecord(FlowLanguage, z.string().max(4000)).default({}),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

const Position = z.object({ x: z.number().finite(), y: z.number().finite() });

const base = { id: FlowId, position: Position.optional() };

export const FieldKind = z.enum(["text", "email", "phone", "number", "date", "choice"]);
export type FieldKind = z.infer<typeof FieldKind>;

export const FormField = z.object({
  name: VariableName,
  kind: FieldKind,
  prompt: LocalizedText,
  options: z.array(z.string().min(1).max(80)).max(10).default([]),
  required: z.boolean().default(true),
  min: z.number().finite().optional(),
  max: z.number().finite().optional(),
});
export type FormField = z.infer<typeof FormField>;

/** What a condition branch looks at. `business_hours` compares against "open" / "closed". */
export const ConditionSubject = z.enum([
  "variable",
  "contact",
  "channel",
  "language",
  "business_hours",
  "category",
  "urgency",
]);
export const ConditionOp = z.enum(["eq", "neq", "contains", "gt", "lt", "exists", "not_exists", "in"]);
export const Condition = z.object({
  subject: ConditionSubject,
  /** Variable or contact attribute name for `variable` / `contact`. */
  key: z.string().max(60).optional(),
  op: ConditionOp,
  /** Compared value; `in` takes a comma-separated list. */
  value: z.string().max(500).default(""),
});
export type Condition = z.infer<typeof Condition>;

export const HandoffReason = z.enum([
  "customer_request",
  "complex_issue",
  "complaint",
  "sales_lead",
  "identity_check",
  "after_hours",
  "loop_detected",
  "flow_error",
  "other",
]);

export const HttpMethod = z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]);

export const FlowNode = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("message"), text: LocalizedText, imageUrl: z.url().max(2000).optional() }),
  z.object({
    ...base,
    type: z.literal("buttons"),
    text: LocalizedText,
    buttons: z
      .array(z.object({ id: FlowId, title: LocalizedText }))
      .min(1)
      .max(10),
    /** Stores the chosen button's title (default language) here. */
    variable: VariableName.optional(),
  }),
  z.object({
    ...base,
    type: z.literal("form"),
    fields: z.array(FormField).min(1).max(10),
    invalidText: LocalizedText.optional(),
  }),
  z.object({
    ...base,
    type: z.literal("condition"),
    branches: z
      .array(z.object({ id: FlowId, when: z.array(Condition).min(1).max(10) }))
      .min(1)
      .max(10),
  }),
  z.object({ ...base, type: z.literal("set"), variable: VariableName, value: z.string().max(2000) }),
  z.object({
    ...base,
    type: z.literal("http"),
    method: HttpMethod,
    url: z.string().min(1).max(2000),
    headers: z.record(z.string().max(100), z.string().max(2000)).default({}),
    body: z.string().max(20_000).optional(),
    timeoutMs: z.number().int().min(100).max(30_000).default(5000),
    /** `variable ← path` where path is a dotted path into the JSON response (`data.status`, `items.0.id`). */
    map: z
      .array(z.object({ variable: VariableName, path: z.string().max(200) }))
      .max(20)
      .default([]),
  }),
  z.object({
    ...base,
    type: z.literal("ai"),
    category: z.enum(CATEGORY_KEYS).optional(),
    goal: z.string().max(1000).optional(),
  }),
  z.object({
    ...base,
    type: z.literal("action"),
    tool: z.string().min(1).max(60),
    args: z.record(z.string().max(60), z.string().max(500)).default({}),
  }),
  z.object({
    ...base,
    type: z.literal("handoff"),
    teamId: z.string().max(100).optional(),
    reason: HandoffReason,
    note: z.string().max(500).optional(),
    text: LocalizedText.optional(),
  }),
  z.object({
    ...base,
    type: z.literal("wait"),
    seconds: z
      .number()
      .int()
      .min(1)
      .max(14 * 86_400),
  }),
  z.object({ ...base, type: z.literal("jump"), flowId: z.string().min(1).max(100) }),
  z.object({ ...base, type: z.literal("end"), text: LocalizedText.optional() }),
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type FlowNodeType = FlowNode["type"];
export type NodeOf<T extends FlowNodeType> = Extract<FlowNode, { type: T }>;

export const FlowEdge = z.object({
  id: FlowId,
  from: FlowId,
  to: FlowId,
  /** The button id, branch id or outcome this edge follows; absent = the node's default exit. */
  on: z.string().max(40).optional(),
});
export type FlowEdge = z.infer<typeof FlowEdge>;

/** Which flow starts a conversation. The highest priority matching trigger wins. */
export const FlowTrigger = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("first_message") }),
  z.object({ kind: z.literal("keyword"), keywords: z.array(z.string().min(1).max(60)).min(1).max(30) }),
  z.object({ kind: z.literal("page"), urlContains: z.string().min(1).max(300) }),
  z.object({ kind: z.literal("channel"), channel: z.enum(["widget", "telegram", "whatsapp", "messenger", "email"]) }),
  z.object({ kind: z.literal("category"), category: z.enum(CATEGORY_KEYS) }),
  z.object({ kind: z.literal("after_hours") }),
]);
export type FlowTrigger = z.infer<typeof FlowTrigger>;

export const FlowGraph = z.object({
  start: FlowId,
  nodes: z.array(FlowNode).min(1).max(200),
  edges: z.array(FlowEdge).max(500),
  /** Declared variables with defaults; form fields, set nodes, button and HTTP mappings declare theirs implicitly. */
  variables: z
    .array(z.object({ name: VariableName, default: z.string().max(500).default("") }))
    .max(100)
    .default([]),
  defaultLanguage: FlowLanguage.default("en"),
  /** After a human hands the conversation back: continue where it paused, or start over. */
  onReturnToBot: z.enum(["resume", "restart"]).default("resume"),
  triggers: z.array(FlowTrigger).max(20).default([]),
  priority: z.number().int().min(0).max(1000).default(0),
});
export type FlowGraph = z.infer<typeof FlowGraph>;
export type FlowGraphInput = z.input<typeof FlowGraph>;

/** Built-in variables the runner fills; `{{contact.*}}` is any contact attribute. */
export const BUILTIN_VARIABLES = [
  "channel",
  "language",
  "category",
  "urgency",
  "last_input",
  "http_status",
  "http_error",
  "conversation.id",
] as const;

/** Outcomes a node's edges may follow (beyond button / branch ids). */
export const NODE_OUTCOMES: Record<FlowNodeType, readonly string[]> = {
  message: [],
  buttons: [],
  form: [],
  condition: ["else"],
  set: [],
  http: ["ok", "error"],
  ai: ["done", "handoff"],
  action: ["done", "cancelled", "failed"],
  handoff: [],
  wait: ["elapsed", "reply"],
  jump: [],
  end: [],
};

/** Nodes that stop the interpreter until something outside it happens: a loop through one of them cannot spin. */
export const PAUSING_TYPES: ReadonlySet<FlowNodeType> = new Set(["buttons", "form", "wait", "ai", "action", "http"]);
/** Nodes with no exits. */
export const TERMINAL_TYPES: ReadonlySet<FlowNodeType> = new Set(["handoff", "jump", "end"]);

export interface GraphIssue {
  nodeId: string | null;
  code:
    | "schema"
    | "duplicate_id"
    | "missing_start"
    | "dangling_edge"
    | "unknown_outcome"
    | "missing_exit"
    | "unreachable"
    | "loop_without_input"
    | "unknown_variable";
  message: string;
}

const VAR_RE = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/** Names used as `{{name}}` in a template string. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(VAR_RE)].map((m) => m[1] ?? "");
}

function textsOf(t: LocalizedText | undefined): string[] {
  if (!t) return [];
  return [t.text, ...Object.values(t.translations).filter((v): v is string => typeof v === "string")];
}

/** Every template string of a node (where `{{variables}}` may appear). */
export function nodeTemplates(n: FlowNode): string[] {
  switch (n.type) {
    case "message":
    case "buttons":
      return [...textsOf(n.text), ...(n.type === "buttons" ? n.buttons.flatMap((b) => textsOf(b.title)) : [])];
    case "form":
      return [...n.fields.flatMap((f) => textsOf(f.prompt)), ...textsOf(n.invalidText)];
    case "condition":
      return n.branches.flatMap((b) => b.when.map((c) => c.value));
    case "set":
      return [n.value];
    case "http":
      return [n.url, ...Object.values(n.headers), n.body ?? ""];
    case "ai":
      return [n.goal ?? ""];
    case "action":
      return Object.values(n.args);
    case "handoff":
      return [...textsOf(n.text), n.note ?? ""];
    case "end":
      return textsOf(n.text);
    case "wait":
    case "jump":
      return [];
  }
}

/** Variables a node writes. */
export function nodeWrites(n: FlowNode): string[] {
  switch (n.type) {
    case "buttons":
      return n.variable ? [n.variable] : [];
    case "form":
      return n.fields.map((f) => f.name);
    case "set":
      return [n.variable];
    case "http":
      return n.map.map((m) => m.variable);
    default:
      return [];
  }
}

/** Variables a node reads outside templates (condition keys). */
function nodeReads(n: FlowNode): string[] {
  if (n.type !== "condition") return [];
  return n.branches.flatMap((b) => b.when.filter((c) => c.subject === "variable" && c.key).map((c) => c.key ?? ""));
}

/** Labels a node's edges may carry: its button / branch ids and its outcomes. */
export function nodeExitLabels(n: FlowNode): string[] {
  const own =
    n.type === "buttons" ? n.buttons.map((b) => b.id) : n.type === "condition" ? n.branches.map((b) => b.id) : [];
  return [...own, ...NODE_OUTCOMES[n.type]];
}

/** Exits that must have an edge for the node to make sense. */
function requiredExits(n: FlowNode): string[] {
  if (n.type === "buttons") return n.buttons.map((b) => b.id);
  return [];
}

function isKnownVariable(name: string, declared: Set<string>): boolean {
  if (declared.has(name)) return true;
  if ((BUILTIN_VARIABLES as readonly string[]).includes(name)) return true;
  return name.startsWith("contact.") || name.startsWith("http.");
}

/**
 * Checks a parsed graph for what the schema cannot: ids unique, the start node present,
 * edges between existing nodes on labels the node has, every button wired, every node
 * reachable, no cycle made only of nodes that never wait, every `{{variable}}` known.
 * Returns an empty list for a valid graph.
 */
export function validateGraph(g: FlowGraph): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byId = new Map<string, FlowNode>();
  for (const n of g.nodes) {
    if (byId.has(n.id)) issues.push({ nodeId: n.id, code: "duplicate_id", message: `Two nodes have the id ${n.id}` });
    byId.set(n.id, n);
  }
  if (!byId.has(g.start))
    issues.push({ nodeId: null, code: "missing_start", message: `The start node ${g.start} does not exist` });

  const out = new Map<string, FlowEdge[]>();
  const edgeIds = new Set<string>();
  for (const e of g.edges) {
    if (edgeIds.has(e.id))
      issues.push({ nodeId: e.from, code: "duplicate_id", message: `Two edges have the id ${e.id}` });
    edgeIds.add(e.id);
    const from = byId.get(e.from);
    if (!from || !byId.has(e.to)) {
      issues.push({
        nodeId: from ? e.from : null,
        code: "dangling_edge",
        message: `Edge ${e.id} connects ${e.from} to ${e.to}, which does not exist`,
      });
      continue;
    }
    if (TERMINAL_TYPES.has(from.type)) {
      issues.push({
        nodeId: from.id,
        code: "unknown_outcome",
        message: `A ${from.type} node has no exits (edge ${e.id})`,
      });
      continue;
    }
    if (e.on !== undefined && !nodeExitLabels(from).includes(e.on)) {
      issues.push({
        nodeId: from.id,
        code: "unknown_outcome",
        message: `Edge ${e.id} follows "${e.on}", which node ${from.id} does not have`,
      });
      continue;
    }
    const list = out.get(e.from) ?? [];
    if (list.some((x) => x.on === e.on))
      issues.push({
        nodeId: from.id,
        code: "duplicate_id",
        message: `Node ${from.id} has two edges for ${e.on ?? "its default exit"}`,
      });
    list.push(e);
    out.set(e.from, list);
  }

  for (const n of g.nodes) {
    const labels = new Set((out.get(n.id) ?? []).map((e) => e.on));
    for (const exit of requiredExits(n))
      if (!labels.has(exit))
        issues.push({ nodeId: n.id, code: "missing_exit", message: `Button ${exit} of node ${n.id} leads nowhere` });
  }

  // Reachability from the start.
  const seen = new Set<string>();
  const stack = byId.has(g.start) ? [g.start] : [];
  while (stack.length) {
    const id = stack.pop() ?? "";
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of out.get(id) ?? []) if (!seen.has(e.to)) stack.push(e.to);
  }
  for (const n of g.nodes)
    if (!seen.has(n.id))
      issues.push({ nodeId: n.id, code: "unreachable", message: `Node ${n.id} cannot be reached from the start` });

  // Cycles through non-pausing nodes only (colour DFS over that subgraph).
  const colour = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  const visit = (id: string): void => {
    colour.set(id, 1);
    for (const e of out.get(id) ?? []) {
      const to = byId.get(e.to);
      if (!to || PAUSING_TYPES.has(to.type)) continue;
      const c = colour.get(e.to);
      if (c === 1 && !reported.has(e.to)) {
        reported.add(e.to);
        issues.push({
          nodeId: e.to,
          code: "loop_without_input",
          message: `Node ${e.to} is on a loop with no wait, question or other pause`,
        });
      } else if (c === undefined) visit(e.to);
    }
    colour.set(id, 2);
  };
  for (const n of g.nodes) if (!PAUSING_TYPES.has(n.type) && !colour.has(n.id)) visit(n.id);

  // Variables.
  const declared = new Set<string>(g.variables.map((v) => v.name));
  for (const n of g.nodes) for (const w of nodeWrites(n)) declared.add(w);
  for (const n of g.nodes) {
    const used = [...nodeTemplates(n).flatMap(templateVariables), ...nodeReads(n)];
    for (const name of new Set(used))
      if (!isKnownVariable(name, declared))
        issues.push({
          nodeId: n.id,
          code: "unknown_variable",
          message: `Node ${n.id} uses {{${name}}}, which is never set`,
        });
  }
  return issues;
}

// ---------------------------------------------------------------------------
// Automation rules
// ---------------------------------------------------------------------------

export const RuleEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("conversation_created") }),
  z.object({ kind: z.literal("message_received") }),
  z.object({
    kind: z.literal("customer_idle"),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 14),
  }),
  z.object({
    kind: z.literal("operator_idle"),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 14),
    businessHoursOnly: z.boolean().default(true),
  }),
  z.object({ kind: z.literal("sla_at_risk") }),
  z.object({ kind: z.literal("sla_breached") }),
  z.object({ kind: z.literal("csat_received") }),
  z.object({ kind: z.literal("tag_added") }),
  z.object({ kind: z.literal("status_changed") }),
  z.object({ kind: z.literal("business_hours_start") }),
  z.object({ kind: z.literal("business_hours_end") }),
  z.object({ kind: z.literal("scheduled"), at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM") }),
]);
export type RuleEvent = z.infer<typeof RuleEvent>;
export type RuleEventKind = RuleEvent["kind"];

export const RuleField = z.enum([
  "channel",
  "status",
  "priority",
  "category",
  "urgency",
  "language",
  "tags",
  "owner",
  "csat",
  "message_text",
  "business_hours",
  "assigned",
  /** Who wrote the last message to the customer: bot, operator or rule (a rule's own nudge). */
  "last_reply_by",
]);
export const RuleCondition = z.object({ field: RuleField, op: ConditionOp, value: z.string().max(500).default("") });
export type RuleCondition = z.infer<typeof RuleCondition>;

export const RuleAction = z.discriminatedUnion("type", [
  z.object({ type: z.literal("send_message"), text: LocalizedText }),
  z.object({ type: z.literal("send_template"), templateId: z.string().min(1).max(100) }),
  z.object({ type: z.literal("start_flow"), flowId: z.string().min(1).max(100) }),
  z.object({
    type: z.literal("assign"),
    to: z.enum(["operator", "team", "round_robin"]),
    id: z.string().max(100).optional(),
  }),
  z.object({ type: z.literal("set_priority"), priority: z.enum(["low", "normal", "high", "urgent"]) }),
  z.object({
    type: z.literal("add_tags"),
    tags: z.array(z.string().min(1).max(40)).min(1).max(10),
  }),
  z.object({ type: z.literal("add_note"), text: z.string().min(1).max(2000) }),
  z.object({
    type: z.literal("snooze"),
    minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30),
  }),
  z.object({ type: z.literal("resolve") }),
  z.object({ type: z.literal("escalate"), teamId: z.string().max(100).optional() }),
  z.object({ type: z.literal("webhook"), url: z.url().max(2000) }),
]);
export type RuleAction = z.infer<typeof RuleAction>;

export const RuleDefinition = z.object({
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  event: RuleEvent,
  conditions: z.array(RuleCondition).max(20).default([]),
  actions: z.array(RuleAction).min(1).max(10),
  /** A rule fires at most once per conversation per event occurrence; `once` = at most once per conversation. */
  once: z.boolean().default(false),
});
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type RuleDefinitionInput = z.input<typeof RuleDefinition>;

// ---------------------------------------------------------------------------
// Simulator and webhooks wire shapes
// ---------------------------------------------------------------------------

export const SimulateInput = z.union([z.string().max(4000), z.object({ button: z.string().min(1).max(200) })]);
export const TranscriptEntry = z.object({
  from: z.enum(["bot", "customer"]),
  text: z.string(),
  buttons: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
});
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
export const SimulateResponse = z.object({
  transcript: z.array(TranscriptEntry),
  ended: z.boolean(),
  handoff: z.boolean(),
  variables: z.record(z.string(), z.string()),
});
export type SimulateResponse = z.infer<typeof SimulateResponse>;

export const WEBHOOK_EVENTS = [
  "conversation.created",
  "conversation.assigned",
  "conversation.resolved",
  "message.created",
  "csat.received",
  "action.executed",
  "flow.completed",
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENTS);
export type WebhookEventType = z.infer<typeof WebhookEventType>;
