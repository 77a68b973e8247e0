/**
 * The contract between the ConversationRoom and the AI engine: the room hands over
 * the conversation's state and the new message; the engine answers with what to say,
 * which actions to propose, whether to hand over to a human, and its traces.
 * The room stays ignorant of models, prompts and tools.
 */
import type { RouteResult } from "./router/types.ts";

export interface TurnHistoryItem {
  role: "customer" | "bot" | "operator";
  text: string;
}

export interface EngineMemory {
  /** The customer's email once given, and whether ownership was proven (code or host HMAC). */
  email?: string | null;
  verified?: boolean;
  customerRef?: string | null;
  /** What to do once the customer is verified (the intents of the message that asked). */
  pendingIntents?: string[];
  awaitingCode?: boolean;
  /** Category of the conversation so far, to keep context across turns. */
  category?: string | null;
  lastRoute?: RouteResult | null;
  /** Set after a retention offer was made, so it is made once. */
  retentionOffered?: boolean;
}

export interface TurnRequest {
  workspaceId: string;
  conversationId: string;
  channel: string;
  text: string;
  language: string | null;
  history: TurnHistoryItem[];
  memory: EngineMemory;
  /** Attachments of the message (photos for damage claims). */
  attachmentKeys: string[];
  contactName: string | null;
  /**
   * Approved memories of this contact (issue 20); never proposed ones, never another
   * contact's. A promise lets the caller's read run alongside the engine's own first reads.
   */
  memories?: Array<{ fact: string; source: string }> | Promise<Array<{ fact: string; source: string }>>;
  /** Decision of a just-confirmed action, reported by the room so the engine can follow up. */
  confirmedActionSummaries?: string[];
}

export interface ProposedAction {
  tool: string;
  args: Record<string, unknown>;
  summary: string;
}

export interface TurnTrace {
  step: "route" | "retrieve" | "generate" | "tool" | "gate" | "identify";
  provider: string | null;
  model: string | null;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  detail: Record<string, unknown>;
}

export interface TurnReply {
  text: string;
  buttons?: Array<{ title: string; payload: string }>;
  /** Index into `actions` when this reply asks to confirm that action. */
  actionIndex?: number;
  citations?: Array<{ documentId: string; title: string; section: string }>;
}

export interface TurnResult {
  route: RouteResult | null;
  replies: TurnReply[];
  actions: ProposedAction[];
  /** send = deliver to the customer; draft = hold for an operator; escalate = hand over now. */
  gate: { decision: "send" | "draft" | "escalate"; reasons: string[] };
  handoff: { reason: string } | null;
  memory: EngineMemory;
  traces: TurnTrace[];
  /** Copilot material for the operator panel. */
  copilot: { draft: string | null; sentiment: string | null; summary: string | null };
}

export type Streamer = (delta: string, done: boolean) => void;
