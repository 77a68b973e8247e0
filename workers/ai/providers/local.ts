/**
 * The embedded provider: no network, no model weights, deterministic. As a ChatProvider
 * it answers extractively — the sentence of the supplied context (system and tool
 * messages) that shares most words with the customer's last message — and never calls
 * tools. The support agent's real local behaviour (tool planning and templated answers
 * over account data) is `agent/local-agent.ts`; this class keeps the interface whole so
 * the LLM path can run, and be tested, without any backend.
 */
import { estimateTokens } from "./types.ts";
import type { ChatProvider, ChatRequest, ChatResponse } from "./types.ts";

export const LOCAL_MODEL = "local-answer-v1";

const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length > 2),
  );

export class LocalProvider implements ChatProvider {
  readonly id = "local";

  async chat(req: ChatRequest): Promise<ChatResponse> {
    const question = [...req.messages].reverse().find((m) => m.role === "user")?.content ?? "";
    const q = words(question);
    const context = req.messages
      .filter((m) => m.role === "system" || m.role === "tool")
      .map((m) => m.content)
      .join("\n");
    const sentences = context
      .split(/(?<=[.!?])\s+|\n+/)
      .map((s) => s.trim())
      .filter((s) => s.length > 20);
    let best = "";
    let score = 0;
    for (const s of sentences) {
      const w = words(s);
      let hits = 0;
      for (const x of q) if (w.has(x)) hits++;
      if (hits > score) {
        best = s;
        score = hits;
      }
    }
    const text = score > 0 ? best : "";
    if (text) req.onDelta?.(text);
    return {
      text,
      toolCalls: [],
      usage: { inputTokens: estimateTokens(context + question), outputTokens: estimateTokens(text) },
      provider: this.id,
      model: LOCAL_MODEL,
      finishReason: "stop",
    };
  }
}
