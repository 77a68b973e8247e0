/**
 * Price table per model (USD per million tokens, list prices) so every call's cost is
 * recorded in ai_traces. Unknown models cost 0 and are reported as unpriced rather than
 * guessed; the embedded provider is free.
 */
import type { Usage } from "./types.ts";

interface Price {
  input: number;
  output: number;
}

export const PRICES: Record<string, Price> = {
  "local-answer-v1": { input: 0, output: 0 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4.1-nano": { input: 0.1, output: 0.4 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4.1": { input: 2, output: 8 },
  "o4-mini": { input: 1.1, output: 4.4 },
  "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { input: 0.29, output: 2.25 },
  "@cf/meta/llama-3.1-8b-instruct-fast": { input: 0.045, output: 0.384 },
  "@cf/meta/llama-4-scout-17b-16e-instruct": { input: 0.27, output: 0.85 },
  "@cf/qwen/qwen2.5-coder-32b-instruct": { input: 0.66, output: 1 },
  "yandexgpt-lite": { input: 1.6, output: 1.6 },
  GigaChat: { input: 1.5, output: 1.5 },
};

/** Cost of one call in USD, and whether the model had a known price. */
export function costOf(model: string, usage: Usage): { costUsd: number; priced: boolean } {
  const p = PRICES[model] ?? PRICES[model.replace(/-\d{4}-\d{2}-\d{2}$/, "")];
  if (!p) return { costUsd: 0, priced: false };
  const costUsd = (usage.inputTokens * p.input + usage.outputTokens * p.output) / 1_000_000;
  return { costUsd: Math.round(costUsd * 1e8) / 1e8, priced: true };
}
