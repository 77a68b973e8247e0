/**
 * Which model answers a category: read per turn from the category row in D1 (so an
 * admin's change applies on the next message) and from deployment variables
 * (AI_PROVIDER, OPENAI_API_KEY, OPENAI_BASE_URL, the AI binding). A category left on
 * "local" follows the deployment default; a category pinned to a provider uses it when
 * it is configured. Model aliases ("fast", "balanced", "deep") map to a concrete model
 * of the chosen provider. Keys are read here and passed to providers, never logged.
 */
import { envString } from "../../commerce/connector.ts";
import { LOCAL_MODEL } from "./local.ts";
import { OpenAiCompatibleProvider } from "./openai-compatible.ts";
import type { ProviderTarget } from "./resilient.ts";
import type { ReasoningLevel } from "./types.ts";
import { aiRunner, WorkersAiProvider } from "./workers-ai.ts";

export type ProviderId = "local" | "workers-ai" | "openai-compatible";

const ALIASES: Record<Exclude<ProviderId, "local">, Record<string, string>> = {
  "workers-ai": {
    fast: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    balanced: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
    deep: "@cf/meta/llama-4-scout-17b-16e-instruct",
    router: "@cf/meta/llama-3.1-8b-instruct-fast",
  },
  "openai-compatible": { fast: "gpt-4o-mini", balanced: "gpt-4.1-mini", deep: "gpt-4.1", router: "gpt-4.1-nano" },
};

export interface ModelChoice {
  kind: "local" | "llm";
  provider: ProviderId;
  model: string;
  reasoning: ReasoningLevel;
  /** Primary first, then fallbacks; empty for local. */
  targets: ProviderTarget[];
}

export function normaliseProvider(id: string): ProviderId | null {
  const x = id.trim().toLowerCase();
  if (x === "local") return "local";
  if (x === "workers-ai" || x === "workersai" || x === "cloudflare") return "workers-ai";
  if (
    x === "openai-compatible" ||
    x === "openai" ||
    x === "vllm" ||
    x === "ollama" ||
    x === "yandexgpt" ||
    x === "gigachat"
  )
    return "openai-compatible";
  return null;
}

function available(env: Env, p: ProviderId): boolean {
  if (p === "local") return true;
  if (p === "workers-ai") return env.AI !== undefined;
  return envString(env, "OPENAI_API_KEY") !== "" || envString(env, "OPENAI_BASE_URL") !== "";
}

function target(env: Env, p: Exclude<ProviderId, "local">, model: string): ProviderTarget | null {
  const concrete = ALIASES[p][model] ?? model;
  if (p === "workers-ai") return env.AI ? { provider: new WorkersAiProvider(aiRunner(env.AI)), model: concrete } : null;
  const base = envString(env, "OPENAI_BASE_URL") || "https://api.openai.com/v1";
  const key = envString(env, "OPENAI_API_KEY");
  if (!key && !envString(env, "OPENAI_BASE_URL")) return null;
  return { provider: new OpenAiCompatibleProvider({ baseUrl: base, apiKey: key }), model: concrete };
}

/** The deployment's default provider (AI_PROVIDER), if it is configured. */
export function defaultProvider(env: Env): ProviderId {
  const p = normaliseProvider(envString(env, "AI_PROVIDER") || "local") ?? "local";
  return available(env, p) ? p : "local";
}

/** Resolves provider, model and fallbacks for a category row. */
export function chooseModel(
  env: Env,
  category: { provider: string; model: string; reasoningLevel: ReasoningLevel },
): ModelChoice {
  const pinned = normaliseProvider(category.provider);
  const wanted: ProviderId = pinned && pinned !== "local" && available(env, pinned) ? pinned : defaultProvider(env);
  if (wanted === "local")
    return { kind: "local", provider: "local", model: LOCAL_MODEL, reasoning: category.reasoningLevel, targets: [] };
  const targets: ProviderTarget[] = [];
  const primary = target(env, wanted, category.model);
  if (primary) targets.push(primary);
  const other: Exclude<ProviderId, "local"> = wanted === "workers-ai" ? "openai-compatible" : "workers-ai";
  const fb = target(env, other, ALIASES[other][category.model] ? category.model : "balanced");
  if (fb) targets.push(fb);
  if (!primary)
    return { kind: "local", provider: "local", model: LOCAL_MODEL, reasoning: category.reasoningLevel, targets: [] };
  return { kind: "llm", provider: wanted, model: primary.model, reasoning: category.reasoningLevel, targets };
}

/** Targets for the LLM router (a small, fast model), or none when only local is available. */
export function routerTargets(env: Env): ProviderTarget[] {
  const p = defaultProvider(env);
  if (p === "local") return [];
  const t = target(env, p, "router");
  return t ? [t] : [];
}

/** Targets for background memory extraction (issue 20): the deployment default's fast model, or none (rules only). */
export function memoryTargets(env: Env): ProviderTarget[] {
  const p = defaultProvider(env);
  if (p === "local") return [];
  const t = target(env, p, "fast");
  return t ? [t] : [];
}
