/**
 * The one chat interface every model backend implements: chat-completions-shaped
 * messages, native tool calling, optional streaming, and usage on every call so cost
 * accounting never depends on which backend answered.
 */

export type ChatRole = "system" | "user" | "assistant" | "tool";

export interface ChatToolCall {
  id: string;
  name: string;
  /** JSON text exactly as the model produced it; parse and validate before use. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  toolCalls?: ChatToolCall[];
  /** For role "tool": which call this is the result of. */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ReasoningLevel = "minimal" | "low" | "medium" | "high";

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  reasoning?: ReasoningLevel;
  maxTokens?: number;
  temperature?: number;
  /** Ask for a JSON object answer (router, classification). */
  json?: boolean;
  /** When set the provider streams and calls this with every text delta. */
  onDelta?: (delta: string) => void;
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export interface ChatResponse {
  text: string;
  toolCalls: ChatToolCall[];
  usage: Usage;
  /** Which backend and model actually answered (after fallback). */
  provider: string;
  model: string;
  finishReason: string | null;
}

export interface ChatProvider {
  /** Stable id: "workers-ai", "openai-compatible", "local". */
  readonly id: string;
  chat(req: ChatRequest): Promise<ChatResponse>;
}

/**
 * A provider failure. `retryable` for rate limits, server errors, timeouts and network
 * errors; a 400 means our request is wrong and retrying would only repeat it.
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly status: number | null;
  readonly retryable: boolean;
  readonly provider: string;
  /** Seconds the server asked us to wait (Retry-After), when given. */
  readonly retryAfter: number | null;
  constructor(
    provider: string,
    message: string,
    opts: { status?: number | null; retryable: boolean; retryAfter?: number | null },
  ) {
    super(message);
    this.provider = provider;
    this.status = opts.status ?? null;
    this.retryable = opts.retryable;
    this.retryAfter = opts.retryAfter ?? null;
  }
}

/** Rough token estimate (4 characters per token) for backends that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Usage in OpenAI's wire shape (Workers AI reports the same), as far as the backend sent it. */
export interface WireUsage {
  prompt_tokens?: number | undefined;
  completion_tokens?: number | undefined;
}

/** The backend's token counts, estimated from the request and the reply where it sent none. */
export function usageOf(req: ChatRequest, text: string, wire: WireUsage | null | undefined): Usage {
  return {
    inputTokens: wire?.prompt_tokens ?? estimateTokens(JSON.stringify(req.messages)),
    outputTokens: wire?.completion_tokens ?? estimateTokens(text),
  };
}
