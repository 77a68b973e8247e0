/**
 * Response schemas. Most come from the server's shared shapes (`workers/protocol/api.ts`,
 * `workers/protocol/*`). The few below mirror routes whose schemas the server does not
 * export yet (operators, teams, canned responses, audit, settings envelope) or routes
 * still being built (playground, traces, reports, suggest, dead letters, knowledge
 * search); those are deliberately lenient — unknown fields pass through — so a richer
 * server answer never breaks the screen.
 */
import { z } from "zod";
import { WireAction } from "../../../workers/protocol/frames.ts";

export {
  AccountSchema,
  CategorySchema,
  ContactSchema,
  ConversationSchema,
  DocumentSchema,
  IdentitySchema,
  InboxSchema,
  ListOf,
  MessageSchema,
} from "../../../workers/protocol/api.ts";

export {
  AuditEntrySchema,
  CannedSchema,
  CategoryVersionSchema,
  ChunkSchema,
  LoginResponseSchema,
  OperatorSchema,
  ReportSummarySchema,
  SettingsEnvelopeSchema,
  TeamSchema,
} from "../../../workers/protocol/api.ts";
import type {
  OperatorSchema as OperatorShape,
  TeamSchema as TeamShape,
  CannedSchema as CannedShape,
} from "../../../workers/protocol/api.ts";
export type Operator = z.infer<typeof OperatorShape>;
export type Team = z.infer<typeof TeamShape>;
export type Canned = z.infer<typeof CannedShape>;

// ---- Routes the lead is adding: lenient on purpose. ----

export const SearchHitSchema = z.looseObject({
  text: z.string().optional(),
  score: z.number().optional(),
  documentId: z.string().optional(),
  title: z.string().optional(),
  heading: z.array(z.string()).optional(),
  chunkId: z.string().optional(),
});
export const SearchResultSchema = z.looseObject({
  items: z.array(SearchHitSchema).optional(),
  hits: z.array(SearchHitSchema).optional(),
  results: z.array(SearchHitSchema).optional(),
});

export const PlaygroundReplySchema = z.looseObject({
  replies: z
    .array(z.union([z.string(), z.looseObject({ text: z.string().optional(), content: z.string().optional() })]))
    .default([]),
  route: z.unknown().optional(),
  actions: z.array(z.unknown()).default([]),
  gate: z.unknown().optional(),
  trace: z.unknown().optional(),
});

export const TraceStepSchema = z.looseObject({
  id: z.string().optional(),
  step: z.string().optional(),
  kind: z.string().optional(),
  model: z.string().nullable().optional(),
  latencyMs: z.number().nullable().optional(),
  provider: z.string().nullable().optional(),
  inputTokens: z.number().nullable().optional(),
  outputTokens: z.number().nullable().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
  costUsd: z.number().nullable().optional(),
  createdAt: z.number().optional(),
});
export const TracesSchema = z.looseObject({ items: z.array(TraceStepSchema) });

export const SuggestSchema = z.looseObject({
  draft: z.string().nullable().optional(),
  summary: z.string().nullable().optional(),
  sentiment: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
  // The suggest endpoint returns the gate's full decision; the room's `ai` frame only its name.
  gate: z
    .union([z.string(), z.object({ decision: z.string(), reasons: z.array(z.string()) }).transform((g) => g.decision)])
    .nullable()
    .optional(),
});

export const DeadLetterSchema = z.looseObject({
  id: z.string(),
  queue: z.string().optional(),
  error: z.string().nullable().optional(),
  attempts: z.number().optional(),
  createdAt: z.number().optional(),
});
export const DeadLettersSchema = z.looseObject({ items: z.array(DeadLetterSchema) });

export const ActionListSchema = z.object({ items: z.array(WireAction) });
export const AnySchema = z.unknown();
