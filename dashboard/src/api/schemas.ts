/**
 * The dashboard's response schemas are the server's: every one comes from
 * `workers/protocol/api.ts`, the same zod objects the API routes name in the OpenAPI
 * document (workers/api/schemas.ts). No shape is declared here, so the dashboard cannot
 * drift from the server; a test in test/workers/api checks the routes answer them.
 */
import type { z } from "zod";
import type { CannedSchema, OperatorSchema, TeamSchema } from "../../../workers/protocol/api.ts";

export {
  AccountSchema,
  ActionListSchema,
  AuditEntrySchema,
  CannedSchema,
  CategorySchema,
  CategoryVersionSchema,
  ContactDetailSchema,
  ContactSchema,
  ConversationSchema,
  DeadLetterPageSchema,
  DeadLetterSchema,
  DeletedSchema,
  DocumentAcceptedSchema,
  DocumentDetailSchema,
  DocumentSchema,
  IdentitySchema,
  InboxSchema,
  KnowledgeSearchSchema,
  ListOf,
  LoginResponseSchema,
  MessagePageSchema,
  MessageSchema,
  OperatorSchema,
  PlaygroundResponseSchema,
  ReportSummarySchema,
  SettingsEnvelopeSchema,
  SuggestResponseSchema,
  TeamSchema,
  TracesSchema,
} from "../../../workers/protocol/api.ts";

export type Operator = z.infer<typeof OperatorSchema>;
export type Team = z.infer<typeof TeamSchema>;
export type Canned = z.infer<typeof CannedSchema>;
