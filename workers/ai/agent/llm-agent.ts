/**
 * The LLM support agent: native tool calling in a short loop. The model sees only the
 * category's tools; each call it makes goes to `onToolCall` (the engine checks it with
 * the guardrails, runs reads, turns writes into proposals) and the result goes back as
 * a tool message, until the model answers in text or the step budget is spent.
 */
import {
  chatWithFallback,
  DEFAULT_RETRY,
  type Attempt,
  type ProviderTarget,
  type RetryPolicy,
} from "../providers/resilient.ts";
import type { ChatMessage, ReasoningLevel, ToolSpec, Usage } from "../providers/types.ts";

export interface LlmAgentInput {
  targets: ProviderTarget[];
  system: string;
  history: Array<{ role: "customer" | "bot" | "operator"; text: string }>;
  text: string;
  tools: ToolSpec[];
  reasoning: ReasoningLevel;
  onToolCall: (name: string, args: unknown) => Promise<string>;
  onDelta?: (delta: string) => void;
  maxSteps?: number;
  retry?: RetryPolicy;
  /** Time budget of the turn; see {@link DEFAULT_LLM_BUDGET}. */
  budget?: LlmBudget;
}

export interface LlmBudget {
  /** The model's first answer must arrive within this, retries and fallbacks included. */
  firstMs: number;
  /** The whole tool loop must finish within this. */
  totalMs: number;
}

/**
 * A customer waits ~8 s at most for the first answer; after that the local engine answers
 * instead (issue 18: a hung provider used to cost 25 s × 3 attempts, 76–153 s measured).
 * One retry fits in the budget when the first failure is fast (429, 5xx).
 */
export const DEFAULT_LLM_BUDGET: LlmBudget = { firstMs: 8_000, totalMs: 20_000 };
const AGENT_RETRY: RetryPolicy = { ...DEFAULT_RETRY, retries: 1 };

export interface LlmAgentResult {
  text: string;
  usage: Usage;
  attempts: Attempt[];
  provider: string;
  model: string;
  toolCalls: Array<{ name: string; args: unknown }>;
}

const MAX_TOKENS: Record<ReasoningLevel, number> = { minimal: 300, low: 500, medium: 800, high: 1200 };

/** Runs the tool-calling loop; throws when every provider failed. */
export async function runLlmAgent(input: LlmAgentInput): Promise<LlmAgentResult> {
  const messages: ChatMessage[] = [
    { role: "system", content: input.system },
    ...input.history
      .slice(-12)
      .map((h): ChatMessage => ({ role: h.role === "customer" ? "user" : "assistant", content: h.text })),
    { role: "user", content: input.text },
  ];
  const usage = { inputTokens: 0, outputTokens: 0 };
  const attempts: Attempt[] = [];
  const calls: Array<{ name: string; args: unknown }> = [];
  let provider = "";
  let model = "";
  const started = Date.now();
  const budget = input.budget ?? DEFAULT_LLM_BUDGET;
  for (let step = 0; step < (input.maxSteps ?? 4); step++) {
    const deadline = started + (step === 0 ? budget.firstMs : budget.totalMs);
    const { response, attempts: a } = await chatWithFallback(
      input.targets,
      {
        model: "",
        messages,
        tools: input.tools,
        reasoning: input.reasoning,
        maxTokens: MAX_TOKENS[input.reasoning],
        temperature: 0.2,
        ...(input.onDelta ? { onDelta: input.onDelta } : {}),
      },
      { ...(input.retry ?? AGENT_RETRY), deadline },
    );
    attempts.push(...a);
    usage.inputTokens += response.usage.inputTokens;
    usage.outputTokens += response.usage.outputTokens;
    provider = response.provider;
    model = response.model;
    if (response.toolCalls.length === 0)
      return { text: response.text.trim(), usage, attempts, provider, model, toolCalls: calls };
    messages.push({ role: "assistant", content: response.text, toolCalls: response.toolCalls });
    for (const c of response.toolCalls) {
      let args: unknown;
      try {
        args = JSON.parse(c.arguments || "{}");
      } catch {
        args = { _unparsable: c.arguments.slice(0, 200) };
      }
      calls.push({ name: c.name, args });
      messages.push({ role: "tool", toolCallId: c.id, content: await input.onToolCall(c.name, args) });
    }
  }
  return { text: "", usage, attempts, provider, model, toolCalls: calls };
}
