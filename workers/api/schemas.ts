/** Response schemas of the REST API, named for the OpenAPI document (shapes in workers/protocol/api.ts). */
import "./openapi.ts";
import * as P from "../protocol/api.ts";

export const ConversationSchema = P.ConversationSchema.openapi("Conversation");
export const MessageSchema = P.MessageSchema.openapi("Message");
export const ContactSchema = P.ContactSchema.openapi("Contact");
export const IdentitySchema = P.IdentitySchema.openapi("ContactIdentity");
export const ContactClaimSchema = P.ContactClaimSchema.openapi("ContactClaim");
export const InboxSchema = P.InboxSchema.openapi("Inbox");
export const IntakeBacklogSchema = P.IntakeBacklogSchema.openapi("IntakeBacklog");
export const CategorySchema = P.CategorySchema.openapi("Category");
export const DocumentSchema = P.DocumentSchema.openapi("KnowledgeDocument");
export const AccountSchema = P.AccountSchema.openapi("Account");
export const ListOf = P.ListOf;
export const OperatorSchema = P.OperatorSchema.openapi("Operator");
export const LoginResponseSchema = P.LoginResponseSchema.openapi("LoginResponse");
export const TeamSchema = P.TeamSchema.openapi("Team");
export const CannedSchema = P.CannedSchema.openapi("CannedResponse");
export const AuditEntrySchema = P.AuditEntrySchema.openapi("AuditEntry");
export const SettingsEnvelopeSchema = P.SettingsEnvelopeSchema.openapi("WorkspaceSettings");
export const CategoryVersionSchema = P.CategoryVersionSchema.openapi("CategoryVersion");
export const ChunkSchema = P.ChunkSchema.openapi("KnowledgeChunk");
export const ReportSummarySchema = P.ReportSummarySchema.openapi("ReportSummary");
