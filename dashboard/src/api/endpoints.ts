/** One function per REST route the dashboard calls, each parsing its answer. */
import { z } from "zod";
import { api, upload, withQuery } from "./client.ts";
import { ConversationState, type OperatorCommand } from "../../../workers/protocol/frames.ts";
import {
  WorkspaceSettingsSchema,
  type BusinessHours,
  type WorkspaceSettings,
} from "../../../workers/protocol/settings.ts";
import { AttachmentLinks } from "../../../workers/protocol/widget.ts";
import { MentionList } from "../../../workers/protocol/api.ts";
import { LearningProposalSchema, LearningRunSchema } from "../../../workers/protocol/learnings.ts";
import {
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
  InboxSchema,
  KnowledgeSearchSchema,
  ListOf,
  LoginResponseSchema,
  MessagePageSchema,
  type MessageSchema,
  OperatorSchema,
  PlaygroundResponseSchema,
  ReportSummarySchema,
  SettingsEnvelopeSchema,
  SuggestResponseSchema,
  TeamSchema,
  TracesSchema,
} from "./schemas.ts";

export type Conversation = z.infer<typeof ConversationSchema>;
export type Message = z.infer<typeof MessageSchema>;
export type Contact = z.infer<typeof ContactSchema>;
export type Inbox = z.infer<typeof InboxSchema>;
export type Category = z.infer<typeof CategorySchema>;

/**
 * The answer's `token` is for API clients: the browser's session is the HttpOnly cookie the
 * same answer sets, so the dashboard parses the token away and never holds it.
 */
export const login = (body: { email: string; password: string; totp?: string }) =>
  api(LoginResponseSchema.omit({ token: true }), "/auth/login", { method: "POST", body });
export const me = () => api(OperatorSchema, "/auth/me");
export const logout = () => api(z.object({ ok: z.literal(true) }), "/auth/logout", { method: "POST" });
/** A 60-second socket ticket: the session token never goes into a socket URL. */
export const socketTicket = () =>
  api(z.object({ ticket: z.string(), expiresIn: z.number() }), "/auth/socket-ticket", { method: "POST" });

export interface ConversationFilters {
  status?: string;
  inboxId?: string;
  channel?: string;
  assigneeId?: string;
  teamId?: string;
  category?: string;
  tag?: string;
  contactId?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}
export const listConversations = (f: ConversationFilters = {}) =>
  api(ListOf(ConversationSchema), withQuery("/conversations", { ...f }));
export const getConversation = (id: string) => api(ConversationSchema, `/conversations/${encodeURIComponent(id)}`);
export const listMessages = (id: string, after = 0) =>
  api(MessagePageSchema, withQuery(`/conversations/${encodeURIComponent(id)}/messages`, { after, limit: 500 }));
export const listContacts = (q?: string, cursor?: string) =>
  api(
    ListOf(ContactSchema),
    withQuery("/contacts", { q: q && q.trim().length >= 3 ? q : undefined, cursor, limit: 100 }),
  );
export const getContact = (id: string) => api(ContactDetailSchema, `/contacts/${encodeURIComponent(id)}`);
export const patchContact = (id: string, body: { name?: string; email?: string; phone?: string; tags?: string[] }) =>
  api(ContactSchema, `/contacts/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const mergeContact = (targetId: string, sourceContactId: string) =>
  api(ContactSchema, `/contacts/${encodeURIComponent(targetId)}/merge`, { method: "POST", body: { sourceContactId } });
export const suggest = (id: string) =>
  api(SuggestResponseSchema, "/ai/suggest", { method: "POST", body: { conversationId: id } });
export const decideAction = (conversationId: string, actionId: string, decision: "approve" | "reject") =>
  api(
    ActionListSchema,
    `/conversations/${encodeURIComponent(conversationId)}/actions/${encodeURIComponent(actionId)}/${decision}`,
    { method: "POST", body: {} },
  );
export const listActions = (id: string) => api(ActionListSchema, `/conversations/${encodeURIComponent(id)}/actions`);
export const runCommand = (id: string, cmd: OperatorCommand) =>
  api(ConversationState, `/conversations/${encodeURIComponent(id)}/commands`, { method: "POST", body: cmd });
export const attachmentLinks = (conversationId: string, keys: string[]) =>
  api(
    AttachmentLinks,
    `/conversations/${encodeURIComponent(conversationId)}/attachment-urls?${keys.map((k) => `key=${encodeURIComponent(k)}`).join("&")}`,
  );
export const listMentions = () => api(MentionList, "/mentions");
export const traces = (conversationId: string) =>
  api(TracesSchema, `/conversations/${encodeURIComponent(conversationId)}/traces`);

export const listOperators = () => api(z.object({ items: z.array(OperatorSchema) }), "/operators");
export const createOperator = (body: {
  email: string;
  name: string;
  handle: string;
  role: "admin" | "operator" | "analyst";
  password: string;
  skills: string[];
  languages: string[];
  maxConcurrent: number;
}) => api(OperatorSchema, "/operators", { method: "POST", body });
export const patchOperator = (
  id: string,
  body: {
    role?: "admin" | "operator" | "analyst";
    skills?: string[];
    languages?: string[];
    maxConcurrent?: number;
    disabled?: boolean;
  },
) => api(OperatorSchema, `/operators/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const listTeams = () => api(z.object({ items: z.array(TeamSchema) }), "/teams");
export const createTeam = (body: { name: string; memberIds: string[] }) =>
  api(TeamSchema, "/teams", { method: "POST", body });
export const patchTeam = (id: string, body: { name?: string; memberIds?: string[] }) =>
  api(TeamSchema, `/teams/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const listInboxes = () => api(z.object({ items: z.array(InboxSchema) }), "/inboxes");
export const createInbox = (body: unknown) => api(InboxSchema, "/inboxes", { method: "POST", body });
export interface InboxPatch {
  name?: string;
  enabled?: boolean;
  greeting?: string | null;
  hours?: "workspace" | "always" | BusinessHours | null;
  csatEnabled?: boolean | null;
  teamId?: string | null;
}
export const patchInbox = (id: string, body: InboxPatch) =>
  api(InboxSchema, `/inboxes/${encodeURIComponent(id)}`, { method: "PATCH", body });
export const deleteInbox = (id: string) =>
  api(DeletedSchema, `/inboxes/${encodeURIComponent(id)}`, { method: "DELETE" });
export const getSettings = () => api(SettingsEnvelopeSchema, "/settings");
export const putSettings = (settings: WorkspaceSettings) =>
  api(SettingsEnvelopeSchema, "/settings", { method: "PUT", body: WorkspaceSettingsSchema.parse(settings) });
export const listCategories = () => api(z.object({ items: z.array(CategorySchema) }), "/categories");
export const putCategory = (key: string, body: unknown) =>
  api(CategorySchema, `/categories/${encodeURIComponent(key)}`, { method: "PUT", body });
export const categoryVersions = (key: string) =>
  api(z.object({ items: z.array(CategoryVersionSchema) }), `/categories/${encodeURIComponent(key)}/versions`);
export const rollbackCategory = (key: string, version: number) =>
  api(CategorySchema, `/categories/${encodeURIComponent(key)}/rollback`, { method: "POST", body: { version } });
export const listCanned = () => api(z.object({ items: z.array(CannedSchema) }), "/canned-responses");
export const auditLog = (limit = 100) =>
  api(z.object({ items: z.array(AuditEntrySchema) }), withQuery("/audit", { limit }));

export const listDocuments = () => api(z.object({ items: z.array(DocumentSchema) }), "/knowledge/documents");
export const getDocument = (id: string) => api(DocumentDetailSchema, `/knowledge/documents/${encodeURIComponent(id)}`);
export const deleteDocument = (id: string) =>
  api(DeletedSchema, `/knowledge/documents/${encodeURIComponent(id)}`, { method: "DELETE" });
export function uploadDocument(file: File, category: string | null, onProgress: (f: number) => void) {
  const form = new FormData();
  form.set("file", file);
  if (category) form.set("category", category);
  return upload(DocumentAcceptedSchema, "/knowledge/documents", form, onProgress);
}
export const listLearnings = () => api(z.object({ items: z.array(LearningProposalSchema) }), "/learnings");
export const runLearnings = () => api(LearningRunSchema, "/learnings/run", { method: "POST", body: {} });
export const approveLearning = (id: string, body: { answer?: string; instruction?: string }) =>
  api(LearningProposalSchema, `/learnings/${encodeURIComponent(id)}/approve`, { method: "POST", body });
export const dismissLearning = (id: string) =>
  api(LearningProposalSchema, `/learnings/${encodeURIComponent(id)}/dismiss`, { method: "POST" });
export const searchKnowledge = (q: string, category?: string) =>
  api(KnowledgeSearchSchema, withQuery("/knowledge/search", { q, category }));

export const playgroundChat = (messages: Array<{ role: "customer"; text: string }>, customerEmail?: string) =>
  api(PlaygroundResponseSchema, "/playground/chat", {
    method: "POST",
    body: customerEmail ? { messages, customerEmail } : { messages },
  });
export const reportSummary = (from: number, to: number) =>
  api(ReportSummarySchema, withQuery("/reports/summary", { from, to }));
export const deadLetters = () => api(DeadLetterPageSchema, "/dead-letters");
export const replayDeadLetter = (id: string) =>
  api(DeadLetterSchema, `/dead-letters/${encodeURIComponent(id)}/replay`, { method: "POST", body: {} });
