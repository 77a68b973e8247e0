/**
 * Response shapes of the REST API in plain zod, shared by the server (which names them
 * in the OpenAPI document, see workers/api/schemas.ts) and the dashboard (which parses
 * responses with them). Plain zod keeps the OpenAPI generator out of the browser bundle.
 *
 * Over 400 lines: schemas only, one per REST response, in one file so the server's OpenAPI
 * document and the dashboard share one contract.
 */
import { z } from "zod";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import { WorkspaceSettingsSchema } from "./settings.ts";
import { ConversationStatus, Priority, TurnOwner, WireAction } from "./frames.ts";
import { ChannelSchema } from "./vocabulary.ts";
import { SLA_STATES } from "./sla.ts";

export const ConversationSchema = z.object({
  id: z.string(),
  inboxId: z.string(),
  contactId: z.string(),
  channel: z.string(),
  status: ConversationStatus,
  owner: TurnOwner,
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  priority: Priority,
  tags: z.array(z.string()),
  category: z.string().nullable(),
  secondaryCategories: z.array(z.string()),
  language: z.string().nullable(),
  subject: z.string().nullable(),
  lastMessageAt: z.number().nullable(),
  lastMessagePreview: z.string().nullable(),
  lastSeq: z.number(),
  firstResponseDueAt: z.number().nullable(),
  /** When the first-response clock turns at risk (computed by the room, in business time where set). */
  firstResponseAtRiskAt: z.number().nullable(),
  resolutionDueAt: z.number().nullable(),
  resolutionAtRiskAt: z.number().nullable(),
  firstRespondedAt: z.number().nullable(),
  resolvedAt: z.number().nullable(),
  /** The running clock's state when the response was made (`slaState` of workers/protocol/sla.ts). */
  slaState: z.enum(SLA_STATES),
  snoozedUntil: z.number().nullable(),
  csatScore: z.number().nullable(),
  csatComment: z.string().nullable(),
  npsScore: z.number().nullable(),
  createdAt: z.number(),
});

export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number(),
  type: z.enum(["incoming", "outgoing", "activity", "note"]),
  senderType: z.enum(["contact", "operator", "bot", "system"]),
  senderId: z.string().nullable(),
  content: z.string(),
  contentAttributes: z.record(z.string(), z.unknown()),
  attachments: z.array(z.record(z.string(), z.unknown())),
  deliveryStatus: z.string().nullable(),
  createdAt: z.number(),
});

export const ContactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  mergedIntoId: z.string().nullable(),
  customerRef: z.string().nullable(),
  createdAt: z.number(),
});

export const IdentitySchema = z.object({
  id: z.string(),
  contactId: z.string(),
  originalContactId: z.string(),
  channel: z.string(),
  inboxId: z.string(),
  externalId: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  verified: z.boolean(),
});

/** Unverified email or phone a customer typed; `candidateContactId` is a possible match for an operator to confirm. */
export const ContactClaimSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  conversationId: z.string().nullable(),
  field: z.enum(["email", "phone"]),
  value: z.string(),
  candidateContactId: z.string().nullable(),
  status: z.enum(["pending", "confirmed", "dismissed"]),
  createdAt: z.number(),
});

export const InboxSchema = z.object({
  id: z.string(),
  name: z.string(),
  channel: ChannelSchema,
  settings: z.record(z.string(), z.unknown()),
  /** Which secrets are configured; their values are never returned. */
  configuredSecrets: z.array(z.string()),
  enabled: z.boolean(),
  webhookUrl: z.string().nullable(),
});

/** A channel inbox's intake backlog (GET /api/inboxes/{id}/intake). */
export const IntakeBacklogSchema = z.object({
  /** Deliveries journaled and acknowledged, not yet processed. */
  waiting: z.number().int(),
  /** Deliveries whose processing failed, retried with backoff for an hour. */
  failed: z.number().int(),
  /** Journal rows whose latest status D1 (reports) has not seen yet. */
  unmirrored: z.number().int(),
  /** Arrival time (ms) of the oldest waiting delivery, or null. */
  oldestWaitingAt: z.number().int().nullable(),
});

export const CategorySchema = z.object({
  key: z.enum(CATEGORY_KEYS),
  name: z.string(),
  instructions: z.string(),
  allowedTools: z.array(z.string()),
  provider: z.string(),
  model: z.string(),
  reasoningLevel: z.enum(["minimal", "low", "medium", "high"]),
  autoSend: z.enum(["always", "confident", "never"]),
  retentionOffer: z.string().nullable(),
  version: z.number(),
  updatedAt: z.number(),
});

export const DocumentSchema = z.object({
  id: z.string(),
  title: z.string(),
  fileName: z.string(),
  kind: z.enum(["pdf", "docx", "txt", "md", "html"]),
  size: z.number(),
  category: z.string().nullable(),
  status: z.enum(["queued", "parsing", "embedding", "ready", "failed"]),
  progress: z.number(),
  error: z.string().nullable(),
  chunkCount: z.number(),
  source: z.enum(["upload", "crawl", "seed"]),
  sourceUrl: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const ListOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** The customer's account from the commerce connector (customer card). */
export const AccountSchema = z.object({
  customerRef: z.string(),
  name: z.string(),
  email: z.string(),
  subscription: z
    .object({
      plan: z.string(),
      status: z.enum(["active", "paused", "cancelled"]),
      frequency: z.enum(["monthly", "bimonthly", "quarterly"]),
      priceCents: z.number(),
      currency: z.string(),
      nextBoxDate: z.string().nullable(),
      pausedUntil: z.string().nullable(),
      skippedMonths: z.array(z.string()),
    })
    .nullable(),
  latestShipment: z
    .object({
      orderNumber: z.string(),
      boxMonth: z.string(),
      carrier: z.string(),
      trackingNumber: z.string(),
      trackingUrl: z.string(),
      status: z.string(),
      lastEvent: z.object({ at: z.string(), status: z.string(), location: z.string() }).nullable(),
      estimatedDelivery: z.string().nullable(),
    })
    .nullable(),
  orders: z.array(
    z.object({ orderNumber: z.string(), boxMonth: z.string(), status: z.string(), items: z.array(z.string()) }),
  ),
  latestPayment: z
    .object({
      status: z.string(),
      amountCents: z.number(),
      currency: z.string(),
      failureReason: z.string().nullable(),
      at: z.string(),
    })
    .nullable(),
});

export const OperatorSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  email: z.string(),
  name: z.string(),
  handle: z.string(),
  role: z.enum(["owner", "admin", "operator", "analyst"]),
  skills: z.array(z.string()),
  languages: z.array(z.string()),
  maxConcurrent: z.number(),
  totpEnabled: z.boolean(),
});

export const LoginResponseSchema = z.object({ token: z.string(), expiresIn: z.number(), operator: OperatorSchema });
export const TeamSchema = z.object({ id: z.string(), name: z.string(), memberIds: z.array(z.string()) });
export const CannedSchema = z.object({ id: z.string(), shortCode: z.string(), content: z.string() });
export const AuditEntrySchema = z.object({
  id: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});
export const SettingsEnvelopeSchema = z.object({
  name: z.string(),
  widgetKey: z.string(),
  settings: WorkspaceSettingsSchema,
});
export const CategoryVersionSchema = z.object({
  version: z.number(),
  createdAt: z.number(),
  createdBy: z.string().nullable(),
  snapshot: z.record(z.string(), z.unknown()),
});
export const ChunkSchema = z.object({
  id: z.string(),
  ordinal: z.number(),
  heading: z.array(z.string()),
  text: z.string(),
  page: z.number().nullable(),
  tokenCount: z.number(),
});

/** GET /api/reports/summary (seed 003 §8). Times in seconds, rates in 0..1. */
export const ReportSummarySchema = z.object({
  total: z.number(),
  byChannel: z.record(z.string(), z.number()),
  firstResponseSeconds: z.object({ avg: z.number().nullable(), median: z.number().nullable() }),
  resolutionSeconds: z.object({ avg: z.number().nullable(), median: z.number().nullable() }),
  operatorLoad: z.array(z.object({ operatorId: z.string(), conversations: z.number() })),
  peakHours: z.array(z.number()),
  csat: z.object({ average: z.number().nullable(), responses: z.number(), distribution: z.array(z.number()) }),
  nps: z.object({
    score: z.number().nullable(),
    responses: z.number(),
    promoters: z.number(),
    passives: z.number(),
    detractors: z.number(),
  }),
  abandoned: z.number(),
  ai: z.object({
    resolutionRate: z.number().nullable(),
    autoSendRate: z.number().nullable(),
    handoffRate: z.number().nullable(),
  }),
  costPerConversationUsd: z.number().nullable(),
  from: z.number(),
  to: z.number(),
});

/** Notes that @mention the caller (GET /api/mentions). */
export const MentionList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      conversationId: z.string(),
      authorName: z.string().nullable(),
      text: z.string(),
      createdAt: z.number(),
    }),
  ),
});

/** GET /conversations/{id}/messages: the room's log after a sequence number. */
export const MessagePageSchema = z.object({ items: z.array(MessageSchema), lastSeq: z.number() });

/** GET /contacts/{id}: a contact with identities, conversations and cross-channel timeline. */
export const ContactDetailSchema = z.object({
  contact: ContactSchema,
  identities: z.array(IdentitySchema),
  conversations: z.array(ConversationSchema),
  timeline: z.array(MessageSchema),
  account: AccountSchema.nullable(),
  /** Unverified email/phone the customer typed, with possible matches to confirm (never linked on their own). */
  claims: z.array(ContactClaimSchema),
});

/** GET /knowledge/documents/{id}: a document and its chunks. */
export const DocumentDetailSchema = z.object({ document: DocumentSchema, chunks: z.array(ChunkSchema) });
/** 202 of a document upload or re-index. */
export const DocumentAcceptedSchema = z.object({ document: DocumentSchema });

/** One passage of GET /knowledge/search. */
export const KnowledgePassageSchema = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  documentTitle: z.string(),
  heading: z.array(z.string()),
  text: z.string(),
  score: z.number(),
  citation: z.string(),
});
export const KnowledgeSearchSchema = z.object({ items: z.array(KnowledgePassageSchema) });

/** Pending and executed actions of a conversation (also the answer to approve/reject). */
export const ActionListSchema = z.object({ items: z.array(WireAction) });

/** One stored AI step of GET /conversations/{id}/traces. */
export const TraceStepSchema = z.object({
  id: z.string(),
  turnId: z.string(),
  step: z.string(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  latencyMs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});
export const TracesSchema = z.object({ items: z.array(TraceStepSchema) });

/** The outbound dead-letter table (admin). */
export const DeadLetterSchema = z.object({
  id: z.string(),
  queue: z.string(),
  body: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  attempts: z.number(),
  replayedAt: z.number().nullable(),
  createdAt: z.number(),
});
export const DeadLetterPageSchema = z.object({ items: z.array(DeadLetterSchema), nextCursor: z.string().nullable() });

/** POST /ai/route: the local router's decision. */
export const RouteResultSchema = z.object({
  primary: z.string(),
  secondary: z.array(z.string()),
  urgency: z.string(),
  escalate: z.boolean(),
  escalateReasons: z.array(z.string()),
  language: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  orderNumber: z.string().nullable(),
  confidence: z.number(),
  source: z.string(),
});

/** The eval gate's decision with its reasons. */
export const GateResultSchema = z.object({
  decision: z.enum(["send", "draft", "escalate"]),
  reasons: z.array(z.string()),
});

/** One bot reply of the playground. */
export const PlaygroundReplySchema = z.object({
  text: z.string(),
  actionIndex: z.number().optional(),
  citations: z.array(z.object({ documentId: z.string(), title: z.string(), section: z.string() })).optional(),
});

/** POST /playground/chat: the whole engine on demo data, with its trace. */
export const PlaygroundResponseSchema = z.object({
  replies: z.array(PlaygroundReplySchema),
  route: RouteResultSchema.nullable(),
  actions: z.array(
    z.object({
      tool: z.string(),
      args: z.record(z.string(), z.unknown()),
      summary: z.string(),
      simulatedResult: z.string().nullable(),
    }),
  ),
  gate: GateResultSchema,
  handoff: z.object({ reason: z.string() }).nullable(),
  trace: z.array(
    z.object({
      step: z.string(),
      provider: z.string().nullable(),
      model: z.string().nullable(),
      latencyMs: z.number(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      costUsd: z.number(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  turns: z.array(z.object({ customer: z.string(), replies: z.array(PlaygroundReplySchema), gate: GateResultSchema })),
});

/** POST /ai/suggest: copilot suggestions for a conversation. */
export const SuggestResponseSchema = z.object({
  draft: z.string().nullable(),
  summary: z.string().nullable(),
  sentiment: z.string().nullable(),
  category: z.string().nullable(),
  gate: GateResultSchema,
  actions: z.array(z.object({ tool: z.string(), summary: z.string() })),
});

/** `{ deleted: true }` of a DELETE. */
export const DeletedSchema = z.object({ deleted: z.boolean() });
