/**
 * Workers AI through the `env.AI` binding, for chat models such as
 * `@cf/meta/llama-3.3-70b-instruct-fp8-fast`. Input: `{ messages, tools, stream,
 * max_tokens, temperature }`. Output: `{ response, tool_calls, usage }`, where
 * `tool_calls` is either the legacy `[{ name, arguments: object }]` or the OpenAI-style
 * `[{ id, type, function: { name, arguments: string } }]`; with `stream: true` the
 * binding returns an SSE byte stream of `{ response, usage?, tool_calls? }` chunks
 * ending in `[DONE]`. Every shape is validated before use.
 */
import { z } from "zod";
import { toWireMessages } from "./openai-compatible.ts";
import { sseJson } from "./sse.ts";
import { ProviderError, usageOf } from "./types.ts";
import type { ChatProvider, ChatRequest, ChatResponse, ChatToolCall } from "./types.ts";

/** The part of the AI binding this provider uses. */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
}

/** Adapts the typed `Ai` binding (whose overloads want literal model names) to AiRunner. */
export function aiRunner(ai: Ai): AiRunner {
  return {
    async run(model, inputs, options) {
      const out: unknown = await Reflect.apply(ai.run, ai, [model, inputs, options]);
      return out;
    },
  };
}

const LegacyCall = z.object({ name: z.string(), arguments: z.unknown().optional() });
const OpenAiCall = z.object({
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.object({ name: z.string(), arguments: z.unknown().optional() }),
});
const CallWire = z.union([OpenAiCall, LegacyCall]);
const Usage = z.object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() }).nullish();
const Output = z.object({ response: z.unknown().optional(), tool_calls: z.array(CallWire).nullish(), usage: Usage });

function toCall(c: z.infer<typeof CallWire>, i: number): ChatToolCall {
  const name = "function" in c ? c.function.name : c.name;
  const raw = "function" in c ? c.function.arguments : c.arguments;
  const id = "id" in c && typeof c.id === "string" ? c.id : `call_${i}`;
  return { id, name, arguments: typeof raw === "string" ? raw : JSON.stringify(raw ?? {}) };
}

function responseText(r: unknown): string {
  if (typeof r === "string") return r;
  if (r === undefined || r === null) return "";
  // With a JSON response_format some models return the object itself.
  return JSON.stringify(r);
}

export class WorkersAiProvider implements ChatProvider {
  readonly id = "workers-ai";
  readonly #ai: AiRunner;

  constructor(ai: AiRunner) {
    this.#ai = ai;
  }

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const stream = req.onDelta !== undefined && !req.tools?.length;
    const inputs: Record<string, unknown> = {
      messages: toWireMessages(req.messages),
      max_tokens: req.maxTokens ?? 1024,
    };
    if (req.temperature !== undefined) inputs.temperature = req.temperature;
    if (req.tools?.length)
      inputs.tools = req.tools.map((t) => ({
        type: "function",
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
    if (req.json) inputs.response_format = { type: "json_object" };
    if (stream) inputs.stream = true;
    let out: unknown;
    try {
      out = await this.#ai.run(req.model, inputs, req.signal ? { signal: req.signal } : undefined);
    } catch (err) {
      const msg = err instanceof Error ? err.message : "error";
      const status = /\b(429|5\d\d)\b/.exec(msg)?.[1];
      const capacity = /capacity|rate limit|overloaded|timeout|timed out|network/i.test(msg);
      throw new ProviderError(this.id, `binding error: ${msg.slice(0, 200)}`, {
        status: status ? Number(status) : null,
        retryable: Boolean(status) || capacity || (err instanceof Error && err.name === "TimeoutError"),
      });
    }
    if (out instanceof ReadableStream) return this.#readStream(req, out);
    const parsed = Output.safeParse(out);
    if (!parsed.success) throw new ProviderError(this.id, "unexpected Workers AI output", { retryable: false });
    const text = responseText(parsed.data.response);
    if (text && req.onDelta) req.onDelta(text);
    return {
      text,
      toolCalls: (parsed.data.tool_calls ?? []).map(toCall),
      provider: this.id,
      model: req.model,
      finishReason: null,
      usage: usageOf(req, text, parsed.data.usage),
    };
  }

  async #readStream(req: ChatRequest, body: ReadableStream<Uint8Array>): Promise<ChatResponse> {
    let text = "";
    let usage: z.infer<typeof Usage> = null;
    const calls: ChatToolCall[] = [];
    for await (const json of sseJson(body)) {
      const chunk = Output.safeParse(json);
      if (!chunk.success) continue;
      const delta = typeof chunk.data.response === "string" ? chunk.data.response : "";
      if (delta) {
        text += delta;
        req.onDelta?.(delta);
      }
      if (chunk.data.usage) usage = chunk.data.usage;
      for (const c of chunk.data.tool_calls ?? []) calls.push(toCall(c, calls.length));
    }
    return {
      text,
      toolCalls: calls,
      provider: this.id,
      model: req.model,
      finishReason: null,
      usage: usageOf(req, text, usage),
    };
  }
}
