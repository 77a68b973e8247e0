/**
 * OpenAI-compatible chat completions over HTTP: OpenAI itself, vLLM, Ollama, and
 * YandexGPT or GigaChat through their compatible endpoints. Tools go out as
 * `tools: [{type:"function"}]`, tool calls come back in `tool_calls` (streamed as
 * indexed fragments that are stitched together), usage from `usage` or the final
 * stream chunk. The API key travels only in the Authorization header and is never
 * put into errors or logs.
 */
import { z } from "zod";
import { sseJson } from "./sse.ts";
import { ProviderError, usageOf } from "./types.ts";
import type { ChatMessage, ChatProvider, ChatRequest, ChatResponse, ChatToolCall, WireUsage } from "./types.ts";

export interface OpenAiCompatibleOptions {
  baseUrl: string;
  apiKey: string;
  /** Overrides the id reported in traces (e.g. "yandexgpt"). */
  id?: string;
  fetcher?: typeof fetch;
}

const ToolCallWire = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.object({ name: z.string(), arguments: z.string().nullish() }),
});
const UsageWire = z
  .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
  .nullish();
const CompletionWire = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), tool_calls: z.array(ToolCallWire).nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: UsageWire,
});
const ChunkWire = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number().optional(),
                  id: z.string().optional(),
                  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
                }),
              )
              .nullish(),
          })
          .optional(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: UsageWire,
});
const ErrorWire = z.object({
  error: z.union([
    z.object({
      message: z.string().optional(),
      code: z.union([z.string(), z.number()]).nullish(),
      type: z.string().nullish(),
    }),
    z.string(),
  ]),
});

/** Chat messages in the chat-completions wire shape. */
export function toWireMessages(messages: ChatMessage[]): Array<Record<string, unknown>> {
  return messages.map((m) => {
    if (m.role === "tool") return { role: "tool", content: m.content, tool_call_id: m.toolCallId ?? "" };
    if (m.role === "assistant" && m.toolCalls?.length) {
      return {
        role: "assistant",
        content: m.content || null,
        tool_calls: m.toolCalls.map((c) => ({
          id: c.id,
          type: "function",
          function: { name: c.name, arguments: c.arguments },
        })),
      };
    }
    return { role: m.role, content: m.content };
  });
}

function reasoningEffort(model: string, level: ChatRequest["reasoning"]): string | undefined {
  if (!level || !/^(o\d|gpt-5)/.test(model)) return undefined;
  return level === "minimal" ? (model.startsWith("gpt-5") ? "minimal" : "low") : level;
}

/** Builds the JSON body of a chat-completions request. */
export function buildBody(req: ChatRequest, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model, messages: toWireMessages(req.messages) };
  if (req.tools?.length)
    body.tools = req.tools.map((t) => ({
      type: "function",
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  if (req.maxTokens) body.max_tokens = req.maxTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.json) body.response_format = { type: "json_object" };
  const effort = reasoningEffort(req.model, req.reasoning);
  if (effort) body.reasoning_effort = effort;
  if (stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

export class OpenAiCompatibleProvider implements ChatProvider {
  readonly id: string;
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;

  constructor(o: OpenAiCompatibleOptions) {
    this.id = o.id ?? "openai-compatible";
    this.#baseUrl = o.baseUrl.replace(/\/$/, "");
    this.#apiKey = o.apiKey;
    this.#fetch = o.fetcher ?? ((...a) => fetch(...a));
  }

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const stream = req.onDelta !== undefined;
    let res: Response;
    try {
      res = await this.#fetch(`${this.#baseUrl}/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${this.#apiKey}`,
          accept: stream ? "text/event-stream" : "application/json",
        },
        body: JSON.stringify(buildBody(req, stream)),
        signal: req.signal,
      });
    } catch (err) {
      const timeout = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      throw new ProviderError(this.id, timeout ? "request timed out" : "network error", { retryable: true });
    }
    if (!res.ok) throw await this.#error(res);
    if (stream && res.body && (res.headers.get("content-type") ?? "").includes("text/event-stream"))
      return this.#readStream(req, res.body);
    const parsed = CompletionWire.safeParse(await res.json().catch(() => null));
    if (!parsed.success)
      throw new ProviderError(this.id, "response is not a chat completion", { status: res.status, retryable: false });
    const choice = parsed.data.choices[0];
    const text = choice?.message.content ?? "";
    if (text && req.onDelta) req.onDelta(text);
    const toolCalls = (choice?.message.tool_calls ?? []).map((c, i) => ({
      id: c.id ?? `call_${i}`,
      name: c.function.name,
      arguments: c.function.arguments ?? "{}",
    }));
    return {
      text,
      toolCalls,
      provider: this.id,
      model: parsed.data.model ?? req.model,
      finishReason: choice?.finish_reason ?? null,
      usage: usageOf(req, text, parsed.data.usage),
    };
  }

  async #readStream(req: ChatRequest, body: ReadableStream<Uint8Array>): Promise<ChatResponse> {
    let text = "";
    let finish: string | null = null;
    let usage: WireUsage | null = null;
    const calls = new Map<number, ChatToolCall>();
    for await (const json of sseJson(body)) {
      const err = ErrorWire.safeParse(json);
      if (err.success)
        throw new ProviderError(this.id, "stream error: " + errorMessage(err.data.error), { retryable: true });
      const chunk = ChunkWire.safeParse(json);
      if (!chunk.success) continue;
      if (chunk.data.usage) usage = chunk.data.usage;
      for (const choice of chunk.data.choices) {
        const delta = choice.delta?.content;
        if (delta) {
          text += delta;
          req.onDelta?.(delta);
        }
        for (const tc of choice.delta?.tool_calls ?? []) {
          const idx = tc.index ?? 0;
          const cur = calls.get(idx) ?? { id: tc.id ?? `call_${idx}`, name: "", arguments: "" };
          if (tc.id) cur.id = tc.id;
          if (tc.function?.name) cur.name += tc.function.name;
          if (tc.function?.arguments) cur.arguments += tc.function.arguments;
          calls.set(idx, cur);
        }
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    return {
      text,
      toolCalls: [...calls.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([, c]) => ({ ...c, arguments: c.arguments || "{}" })),
      provider: this.id,
      model: req.model,
      finishReason: finish,
      usage: usageOf(req, text, usage),
    };
  }

  async #error(res: Response): Promise<ProviderError> {
    const body = await res.json().catch(() => null);
    const parsed = ErrorWire.safeParse(body);
    const detail = parsed.success ? errorMessage(parsed.data.error) : `HTTP ${res.status}`;
    const retryAfter = Number(res.headers.get("retry-after"));
    return new ProviderError(this.id, `HTTP ${res.status}: ${detail}`.slice(0, 300), {
      status: res.status,
      retryable: res.status === 429 || res.status === 408 || res.status >= 500,
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    });
  }
}

function errorMessage(e: string | { message?: string | undefined; code?: string | number | null | undefined }): string {
  return typeof e === "string" ? e : [e.code, e.message].filter((x) => x !== undefined && x !== null).join(": ");
}
