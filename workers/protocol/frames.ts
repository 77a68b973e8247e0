/**
 * The websocket protocol, defined once: every frame between the ConversationRoom /
 * Presence objects and the widget / dashboard is a zod schema in a union on `type`.
 * Servers parse client frames with `parseClientFrame`; clients parse server frames
 * with `ServerFrame` / `PresenceServerFrame`. Outgoing frames use `satisfies`.
 */
import { z } from "zod";
import { CONVERSATION_STATUSES, LanguageSchema, PRIORITIES, TURN_OWNERS } from "./vocabulary.ts";

export const LANGUAGE = LanguageSchema;

/** Client message id: makes sends idempotent (the same id is stored once). */
export const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8–64 letters, digits, _ or -");

export const AttachmentRef = z.object({
  key: z.string().min(1).max(300),
  name: z.string().min(1).max(200),
  mimeType: z.string().min(1).max(100),
  size: z.number().int().nonnegative(),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const WireButton = z.object({ title: z.string(), payload: z.string() });

/** A message as the widget and the dashboard see it. Notes never reach customers. */
export const WireMessage = z.object({
  id: z.string(),
  seq: z.number().int(),
  type: z.enum(["incoming", "outgoing", "activity", "note"]),
  senderType: z.enum(["contact", "operator", "bot", "system"]),
  senderName: z.string().nullable(),
  content: z.string(),
  attachments: z.array(AttachmentRef),
  buttons: z.array(WireButton).default([]),
  actionId: z.string().nullable().default(null),
  clientId: z.string().nullable(),
  language: z.string().nullable().default(null),
  createdAt: z.number(),
});
export type WireMessage = z.infer<typeof WireMessage>;

export const WireAction = z.object({
  id: z.string(),
  tool: z.string(),
  summary: z.string(),
  /** proposed: held for an operator's approval, never shown to the customer; pending: offered, awaiting the customer. */
  status: z.enum(["proposed", "pending", "confirmed", "executed", "failed", "cancelled", "expired"]),
  expiresAt: z.number(),
  result: z.record(z.string(), z.unknown()).nullable(),
});
export type WireAction = z.infer<typeof WireAction>;

/** A conversation's lifecycle, who holds the turn, and its priority: one vocabulary for frames, REST and filters. */
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);
export const TurnOwner = z.enum(TURN_OWNERS);
export const Priority = z.enum(PRIORITIES);

export const ConversationState = z.object({
  id: z.string(),
  status: ConversationStatus,
  owner: TurnOwner,
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  teamId: z.string().nullable(),
  priority: Priority,
  tags: z.array(z.string()),
  category: z.string().nullable(),
  language: z.string().nullable(),
  snoozedUntil: z.number().nullable(),
  queuePosition: z.number().int().nullable(),
  csatRequested: z.boolean(),
});
export type ConversationState = z.infer<typeof ConversationState>;

export const OperatorCommand = z.discriminatedUnion("command", [
  z.object({ command: z.literal("assign"), operatorId: z.string().max(100) }),
  z.object({ command: z.literal("unassign") }),
  z.object({
    command: z.literal("transfer"),
    operatorId: z.string().max(100).optional(),
    teamId: z.string().max(100).optional(),
    note: z.string().max(2000).optional(),
  }),
  z.object({ command: z.literal("resolve") }),
  z.object({ command: z.literal("reopen") }),
  z.object({ command: z.literal("snooze"), until: z.number().int().positive() }),
  z.object({ command: z.literal("set_tags"), tags: z.array(z.string().min(1).max(40)).max(30) }),
  z.object({ command: z.literal("set_priority"), priority: Priority }),
  z.object({ command: z.literal("return_to_bot") }),
]);
export type OperatorCommand = z.infer<typeof OperatorCommand>;

export const ClientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("send"),
    clientId: ClientId,
    text: z.string().max(8000),
    attachments: z.array(AttachmentRef).max(5).default([]),
    language: LANGUAGE.optional(),
  }),
  z.object({ type: z.literal("note"), clientId: ClientId, text: z.string().min(1).max(8000) }),
  z.object({ type: z.literal("typing"), on: z.boolean() }),
  z.object({ type: z.literal("read"), seq: z.number().int().nonnegative() }),
  z.object({ type: z.literal("resume"), lastSeq: z.number().int().nonnegative() }),
  z.object({
    type: z.literal("action.decide"),
    actionId: z.string().max(100),
    decision: z.enum(["confirm", "cancel"]),
  }),
  z.object({
    type: z.literal("csat"),
    score: z.number().int().min(1).max(5),
    comment: z.string().max(2000).optional(),
  }),
  z.object({ type: z.literal("nps"), score: z.number().int().min(0).max(10) }),
  z.object({
    type: z.literal("form"),
    form: z.enum(["prechat", "after_hours"]),
    fields: z.object({
      name: z.string().max(120).optional(),
      email: z.email().max(254).optional(),
      phone: z.string().max(40).optional(),
      question: z.string().max(4000).optional(),
      callback: z.boolean().optional(),
    }),
  }),
  z.object({ type: z.literal("command"), cmd: OperatorCommand }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export const ServerFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("welcome"),
    conversationId: z.string(),
    role: z.enum(["contact", "operator"]),
    lastSeq: z.number(),
    state: ConversationState,
  }),
  z.object({
    type: z.literal("sync"),
    messages: z.array(WireMessage),
    lastSeq: z.number(),
    actions: z.array(WireAction),
  }),
  z.object({ type: z.literal("message"), message: WireMessage }),
  z.object({
    type: z.literal("ack"),
    clientId: z.string(),
    seq: z.number(),
    messageId: z.string(),
    duplicate: z.boolean(),
  }),
  z.object({
    type: z.literal("typing"),
    from: z.enum(["contact", "operator", "bot"]),
    name: z.string().nullable(),
    on: z.boolean(),
  }),
  z.object({ type: z.literal("read"), by: z.enum(["contact", "operator"]), seq: z.number() }),
  z.object({ type: z.literal("stream"), streamId: z.string(), delta: z.string(), done: z.boolean() }),
  z.object({ type: z.literal("action"), action: WireAction }),
  z.object({ type: z.literal("state"), state: ConversationState }),
  z.object({
    type: z.literal("ai"),
    draft: z.string().nullable(),
    summary: z.string().nullable(),
    sentiment: z.string().nullable(),
    category: z.string().nullable(),
    gate: z.string().nullable(),
  }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string(), clientId: z.string().optional() }),
  z.object({ type: z.literal("pong") }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;

export type ParsedFrame<T> =
  { ok: true; frame: T } | { ok: false; code: "invalid_json" | "invalid_frame"; message: string };

/** JSON.parse then safeParse: a bad frame becomes an error frame, never an exception. */
export function parseFrame<T>(schema: z.ZodType<T>, raw: string | ArrayBuffer): ParsedFrame<T> {
  if (typeof raw !== "string") return { ok: false, code: "invalid_frame", message: "Binary frames are not supported" };
  if (raw.length > 64_000) return { ok: false, code: "invalid_frame", message: "Frame too large" };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: "invalid_json", message: "Frame is not valid JSON" };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    return {
      ok: false,
      code: "invalid_frame",
      message: parsed.error.issues.map((i) => `${i.path.join(".") || "frame"}: ${i.message}`).join("; "),
    };
  return { ok: true, frame: parsed.data };
}

export const parseClientFrame = (raw: string | ArrayBuffer) => parseFrame(ClientFrame, raw);

// ---------------------------------------------------------------------------
// Presence (one socket per operator dashboard)
// ---------------------------------------------------------------------------

export const OperatorPresence = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["online", "away", "break", "offline"]),
  activeCount: z.number().int(),
  maxConcurrent: z.number().int(),
});

export const InboxItem = z.object({
  conversationId: z.string(),
  contactName: z.string().nullable(),
  channel: z.string(),
  status: ConversationStatus,
  owner: TurnOwner,
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  priority: Priority,
  category: z.string().nullable(),
  tags: z.array(z.string()),
  preview: z.string().nullable(),
  lastMessageAt: z.number().nullable(),
  /** The running SLA clock (workers/protocol/sla.ts `inboxSlaClock`): due and at-risk instants, null when none. */
  slaDueAt: z.number().nullable(),
  slaAtRiskAt: z.number().nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const PresenceClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), status: z.enum(["online", "away", "break", "offline"]) }),
  z.object({ type: z.literal("heartbeat") }),
  z.object({ type: z.literal("pick"), conversationId: z.string().max(100) }),
]);
export type PresenceClientFrame = z.infer<typeof PresenceClientFrame>;

export const PresenceServerFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("presence"), operators: z.array(OperatorPresence) }),
  z.object({
    type: z.literal("queue"),
    items: z.array(
      z.object({
        conversationId: z.string(),
        position: z.number(),
        priority: z.string(),
        category: z.string().nullable(),
      }),
    ),
  }),
  z.object({ type: z.literal("inbox"), item: InboxItem }),
  z.object({ type: z.literal("assigned"), conversationId: z.string(), operatorId: z.string() }),
  z.object({
    type: z.literal("notify"),
    kind: z.enum(["new_conversation", "mention", "sla_breach", "sla_at_risk", "transfer"]),
    conversationId: z.string(),
    text: z.string(),
  }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type PresenceServerFrame = z.infer<typeof PresenceServerFrame>;

/** The room's snapshot RPC result (JSON across the Durable Object boundary). */
export const RoomSnapshot = z.object({
  state: ConversationState.nullable(),
  messages: z.array(WireMessage),
  actions: z.array(WireAction),
});
export type RoomSnapshot = z.infer<typeof RoomSnapshot>;
