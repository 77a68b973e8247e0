/**
 * Runs the support agent for the intents of one turn. The primary category's model
 * choice decides the path: a configured LLM gets native tool calling over the primary
 * category's tools with the other intents named in its prompt; otherwise — or when every
 * provider failed — the local agent plans and answers each intent in turn. Either way
 * every tool call passes `checkToolCall`, reads run now, writes become proposals.
 *
 * Over 400 lines: the two paths (local agent, LLM tool loop) share the read, proposal and
 * guardrail plumbing below, which keeps them to one rule for what a tool call may do.
 */
import { z } from "zod";
import type { CategoryKey } from "../../lib/categories.ts";
import type { AccountSnapshot, CommerceConnector } from "../../commerce/types.ts";
import type { RetrievedPassage } from "../../knowledge/types.ts";
import { checkToolCall } from "../guardrails/tool-call.ts";
import { toolSchemas } from "../guardrails/tool-schemas.ts";
import type { ToolCall, TurnContext, Violation } from "../guardrails/types.ts";
import { costOf } from "../providers/pricing.ts";
import { chooseModel } from "../providers/registry.ts";
import type { ToolSpec } from "../providers/types.ts";
import type { ProposedAction, Streamer, TurnHistoryItem, TurnReply, TurnTrace } from "../turn-types.ts";
import type { CategoryConfig } from "./context.ts";
import { runLlmAgent, type LlmBudget } from "./llm-agent.ts";
import { FallbackExhaustedError } from "../providers/resilient.ts";
import { composeIntent, planReads, type Proposal, type ReadResults } from "./local-agent.ts";
import { buildSystemPrompt, promptFingerprints } from "./prompt.ts";
import { addressLines, t } from "./templates.ts";

export interface AgentInput {
  workspaceId: string;
  /** Approved memories of the contact, for the system prompt. */
  memories?: Array<{ fact: string; source: string }>;
  intents: CategoryKey[];
  configs: CategoryConfig[];
  text: string;
  lang: string;
  account: AccountSnapshot | null;
  history: TurnHistoryItem[];
  attachments: string[];
  now: Date;
  connector: CommerceConnector;
  verified: boolean;
  customerRef: string | null;
  retentionOffered: boolean;
  ctxFor: (cfg: CategoryConfig) => TurnContext;
  publicUrl: string;
  stream: Streamer;
  loadKnowledge: (query: string, category: CategoryKey) => Promise<RetrievedPassage[]>;
  /** The previous question when this message is a short follow-up to it ("What about Germany?"). */
  context?: string | null;
  /** Time budget of the LLM path (evals shorten it). */
  llmBudget?: LlmBudget;
  shopName?: string;
  timeZone?: string;
  channel?: string;
  fewShot?: (category: CategoryKey) => Promise<Array<{ question: string; answer: string }>>;
}

export interface AgentOutput {
  replies: TurnReply[];
  actions: ProposedAction[];
  handoff: string | null;
  violations: Violation[];
  actionsOk: boolean;
  traces: TurnTrace[];
  retentionOffered: boolean;
  ask: "pause" | "frequency" | "address" | null;
  streamed: boolean;
  fingerprints?: string[];
  /** Lowest grounding over the intents answered from the knowledge base; undefined when any intent was not. */
  grounding?: number;
  /** What the turn saw (passages, tool results, the account, category texts): the grounding check's evidence. */
  evidence: string[];
  /** Whole passages the local agent quoted from (a poisoned page's harmless-looking line is still its author's). */
  sources?: string[];
}

const DESCRIPTIONS: Record<string, string> = {
  get_subscription: "Read the verified customer's subscription, orders, latest shipment and latest payment.",
  track_shipment: "Track the customer's latest (or a named) box: carrier, status, last scan, tracking link.",
  pause_subscription:
    "Propose pausing the subscription until a date (YYYY-MM-DD); runs only after the customer confirms.",
  skip_next_box: "Propose skipping the next box; runs only after the customer confirms.",
  change_frequency: "Propose a new delivery frequency; runs only after the customer confirms.",
  change_address: "Propose a new delivery address (ISO country code); runs only after the customer confirms.",
  create_damage_claim: "Propose a damage claim for an order number; runs only after the customer confirms.",
  payment_update_link: "Get a secure link where the customer updates their payment method.",
  cancellation_link: "Get the self-service cancellation link.",
  cancel_subscription: "Propose a cancellation (propose: true); runs only after the customer confirms.",
  escalate_to_human: "Hand the conversation to a human colleague with a reason.",
};

/** JSON Schema tool specs for a category's allowed tools (plus the hand-over). */
export function toolSpecs(allowed: string[], now: Date): ToolSpec[] {
  const schemas = toolSchemas(now);
  const names = [...new Set([...allowed, "escalate_to_human"])];
  return names.flatMap((name) => {
    const s = Object.entries(schemas).find(([k]) => k === name)?.[1];
    if (!s) return [];
    let parameters: Record<string, unknown> = { type: "object", properties: {} };
    try {
      const js: unknown = z.toJSONSchema(s, { unrepresentable: "any" });
      const obj = z.record(z.string(), z.unknown()).safeParse(js);
      if (obj.success) parameters = withoutIdentity(obj.data);
    } catch {
      // Schemas with refinements still describe their shape; keep the permissive default.
    }
    return [{ name, description: DESCRIPTIONS[name] ?? name, parameters }];
  });
}

/** Runs the agent (see module comment). */
export async function runAgent(env: Env, input: AgentInput): Promise<AgentOutput> {
  const primary = input.configs[0];
  const out: AgentOutput = {
    replies: [],
    actions: [],
    handoff: null,
    violations: [],
    actionsOk: true,
    traces: [],
    retentionOffered: false,
    ask: null,
    streamed: false,
    evidence: [],
  };
  if (!primary) return out;
  const choice = chooseModel(env, primary);
  if (choice.kind === "llm") {
    try {
      await runWithLlm(input, primary, choice.targets, choice.reasoning, out);
      return out;
    } catch (err) {
      // Every failed attempt is traced with its real latency and reason, then the local engine answers.
      const attempts = err instanceof FallbackExhaustedError ? err.attempts.filter((a) => !a.ok) : [];
      const failures = attempts.length
        ? attempts
        : [{ provider: choice.provider, model: choice.model, error: err instanceof Error ? err.message : "failed" }];
      for (const a of failures)
        out.traces.push({
          step: "generate",
          provider: a.provider,
          model: a.model,
          latencyMs: "latencyMs" in a && typeof a.latencyMs === "number" ? a.latencyMs : 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          detail: {
            error: (a.error ?? "failed").slice(0, 200),
            ...("status" in a && a.status ? { status: a.status } : {}),
            fallback: "local",
          },
        });
      Object.assign(out, {
        replies: [],
        actions: [],
        handoff: null,
        violations: [],
        actionsOk: true,
        streamed: false,
        evidence: [],
      });
      // The local engine never saw the model's prompt: its templates are not checked against it.
      delete out.fingerprints;
    }
  }
  await runLocal(input, out);
  return out;
}

async function runLocal(input: AgentInput, out: AgentOutput): Promise<void> {
  for (const [i, cfg] of input.configs.entries()) {
    const started = Date.now();
    const passages = await input.loadKnowledge(input.text, cfg.key);
    out.traces.push({
      step: "retrieve",
      provider: "local",
      model: null,
      latencyMs: Date.now() - started,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      detail: { category: cfg.key, passages: passages.map((p) => ({ chunkId: p.chunkId, score: p.score })) },
    });
    const ctx = input.ctxFor(cfg);
    out.evidence.push(...passages.map((p) => p.text), cfg.retentionOffer ?? "", accountEvidence(input.account));
    const ictx = {
      intent: cfg.key,
      secondary: i > 0,
      text: input.text,
      lang: input.lang,
      account: input.account,
      passages,
      retentionOffered: input.retentionOffered || out.retentionOffered,
      retentionOffer: cfg.retentionOffer,
      attachmentKeys: input.attachments,
      publicUrl: input.publicUrl,
      now: input.now,
      context: input.context ?? null,
    };
    const reads: ReadResults = {};
    for (const call of planReads(ictx)) {
      const res = await runRead(input, call, ctx, out);
      out.evidence.push(res.json);
      if (call.name === "track_shipment") reads.shipment = res.shipment ?? null;
      if (call.name === "payment_update_link") reads.paymentLink = res.url ?? null;
      if (call.name === "cancellation_link") reads.cancelLink = res.url ?? null;
    }
    const gen = Date.now();
    const outcome = composeIntent(ictx, reads);
    out.traces.push({
      step: "generate",
      provider: "local",
      model: "local-answer-v1",
      latencyMs: Date.now() - gen,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      detail: { category: cfg.key, proposal: outcome.proposal?.tool ?? null, handoff: outcome.handoff },
    });
    for (const text of outcome.texts)
      out.replies.push({ text, ...(outcome.citations.length ? { citations: outcome.citations } : {}) });
    out.grounding =
      outcome.grounding === undefined || (i > 0 && out.grounding === undefined)
        ? undefined
        : Math.min(out.grounding ?? 1, outcome.grounding);
    if (outcome.sources?.length) out.sources = [...(out.sources ?? []), ...outcome.sources];
    if (outcome.proposal) propose(outcome.proposal, ctx, input, out);
    if (outcome.handoff && !out.handoff) out.handoff = outcome.handoff;
    if (outcome.retentionOffered) out.retentionOffered = true;
    if (outcome.ask) out.ask = outcome.ask;
  }
}

/** Checks a write with the guardrails and, when allowed, adds it as a pending action with its own reply. */
function propose(p: Proposal, ctx: TurnContext, input: AgentInput, out: AgentOutput): void {
  const check = checkToolCall({ name: p.tool, args: p.args }, ctx, { now: input.now });
  out.traces.push({
    step: "tool",
    provider: null,
    model: null,
    latencyMs: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    detail: {
      tool: p.tool,
      proposed: check.allowed && check.requiresConfirmation,
      violation: check.violation?.code ?? null,
    },
  });
  if (!check.allowed || !check.requiresConfirmation) {
    if (check.violation) out.violations.push(check.violation);
    out.actionsOk = false;
    return;
  }
  out.actions.push({ tool: p.tool, args: { ...p.args, ...p.extras, language: input.lang }, summary: p.summary });
  // Values the engine derived for the proposal (the next box after a skip, a pause end) are evidence too.
  out.evidence.push(p.summary, JSON.stringify(p.args), JSON.stringify(p.extras));
  out.replies.push({ text: p.text, actionIndex: out.actions.length - 1 });
}

interface ReadOut {
  shipment?: Awaited<ReturnType<CommerceConnector["trackShipment"]>>;
  url?: string;
  json: string;
}

async function runRead(input: AgentInput, call: ToolCall, ctx: TurnContext, out: AgentOutput): Promise<ReadOut> {
  const started = Date.now();
  const check = checkToolCall(call, ctx, { now: input.now });
  if (!check.allowed || !input.customerRef) {
    if (check.violation) out.violations.push(check.violation);
    out.actionsOk = false;
    out.traces.push({
      step: "tool",
      provider: null,
      model: null,
      latencyMs: Date.now() - started,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      detail: { tool: call.name, blocked: check.violation?.code ?? "unverified" },
    });
    return { json: JSON.stringify({ error: check.violation?.message ?? "not allowed" }) };
  }
  let res: ReadOut = { json: "{}" };
  try {
    if (call.name === "track_shipment") {
      const orderId = z.object({ orderId: z.string().optional() }).safeParse(call.args);
      const shipment = await input.connector.trackShipment(
        input.customerRef,
        orderId.success ? orderId.data.orderId : undefined,
      );
      res = { shipment, json: JSON.stringify(shipment ?? { error: "no shipment" }) };
    } else if (call.name === "payment_update_link") {
      const link = await input.connector.paymentUpdateLink(input.customerRef);
      res = { url: link.url, json: JSON.stringify({ ...link, latestPayment: input.account?.latestPayment ?? null }) };
    } else if (call.name === "cancellation_link") {
      const link = await input.connector.cancellationLink(input.customerRef);
      res = { url: link.url, json: JSON.stringify(link) };
    } else if (call.name === "get_subscription") {
      const a = input.account;
      res = {
        json: JSON.stringify(
          a
            ? {
                name: a.name,
                subscription: a.subscription,
                orders: a.orders,
                latestShipment: a.latestShipment,
                latestPayment: a.latestPayment,
                address: a.address,
              }
            : { error: "no account" },
        ),
      };
    }
  } catch (err) {
    out.actionsOk = false;
    res = { json: JSON.stringify({ error: err instanceof Error ? err.message : "failed" }) };
  }
  out.traces.push({
    step: "tool",
    provider: null,
    model: null,
    latencyMs: Date.now() - started,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    detail: { tool: call.name },
  });
  return res;
}

async function runWithLlm(
  input: AgentInput,
  cfg: CategoryConfig,
  targets: Parameters<typeof runLlmAgent>[0]["targets"],
  reasoning: CategoryConfig["reasoningLevel"],
  out: AgentOutput,
): Promise<void> {
  const started = Date.now();
  const passages = await input.loadKnowledge(input.text, cfg.key);
  const fewShot = input.fewShot ? await input.fewShot(cfg.key) : [];
  const system = buildSystemPrompt({
    categoryName: cfg.name,
    instructions: cfg.instructions,
    retentionOffer: input.retentionOffered ? null : cfg.retentionOffer,
    fewShot,
    passages,
    language: input.lang,
    customer: { verified: input.verified, name: input.account?.name ?? null },
    secondaryIntents: input.intents.slice(1),
    now: input.now,
    tools: [...new Set(input.configs.flatMap((c) => c.allowedTools))],
    plan: input.account?.subscription
      ? {
          plan: input.account.subscription.plan,
          status: input.account.subscription.status,
          nextBoxDate: input.account.subscription.nextBoxDate,
          pausedUntil: input.account.subscription.pausedUntil,
        }
      : null,
    ...(input.shopName ? { shopName: input.shopName } : {}),
    ...(input.timeZone ? { timeZone: input.timeZone } : {}),
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.memories?.length ? { memories: input.memories } : {}),
  });
  out.fingerprints = promptFingerprints(cfg.instructions);
  out.evidence.push(
    ...passages.map((p) => p.text),
    cfg.instructions,
    cfg.retentionOffer ?? "",
    accountEvidence(input.account),
  );
  const allowed = [...new Set(input.configs.flatMap((c) => c.allowedTools))];
  const ctx: TurnContext = { ...input.ctxFor(cfg), allowedTools: allowed };
  const proposals: TurnReply[] = [];
  const result = await runLlmAgent({
    targets,
    system,
    history: input.history,
    text: input.text,
    tools: toolSpecs(allowed, input.now),
    reasoning,
    ...(input.llmBudget ? { budget: input.llmBudget } : {}),
    onDelta: (d) => {
      out.streamed = true;
      input.stream(d, false);
    },
    onToolCall: async (name, args) => {
      const call = { name, args };
      const check = checkToolCall(call, ctx, { now: input.now });
      if (!check.allowed) {
        if (check.violation) out.violations.push(check.violation);
        out.actionsOk = false;
        return JSON.stringify({ error: check.violation?.message ?? "not allowed" });
      }
      if (name === "escalate_to_human") {
        const reason = z.object({ reason: z.string() }).safeParse(args);
        out.handoff = reason.success ? reason.data.reason : "Model asked for a human";
        return JSON.stringify({ ok: true, note: "A human colleague will take over; tell the customer." });
      }
      if (check.requiresConfirmation) {
        const a = z.record(z.string(), z.unknown()).parse(args);
        const extras: Record<string, unknown> = {};
        if (name === "skip_next_box" && input.account?.subscription?.nextBoxDate)
          extras.month = input.account.subscription.nextBoxDate.slice(0, 7);
        out.actions.push({
          tool: name,
          args: { ...a, ...extras, language: input.lang },
          summary: `${name.replace(/_/g, " ")}: ${JSON.stringify(a)}`.slice(0, 200),
        });
        proposals.push({ text: proposalText(name, a, input.lang), actionIndex: out.actions.length - 1 });
        return JSON.stringify({
          proposed: true,
          note: "The customer sees Confirm/Cancel buttons. It is NOT done yet; do not say it is done.",
        });
      }
      const read = (await runRead(input, call, ctx, out)).json;
      out.evidence.push(read);
      return read;
    },
  });
  const cost = costOf(result.model, result.usage);
  out.traces.push({
    step: "generate",
    provider: result.provider,
    model: result.model,
    latencyMs: Date.now() - started,
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    costUsd: cost.costUsd,
    detail: {
      category: cfg.key,
      attempts: result.attempts,
      tools: result.toolCalls.map((c) => c.name),
      ...(cost.priced ? {} : { unpriced: true }),
    },
  });
  if (!result.text && proposals.length === 0) throw new Error("empty model answer");
  if (result.text)
    out.replies.push({
      text: result.text,
      ...(passages.length
        ? {
            citations: passages
              .slice(0, 1)
              .map((p) => ({ documentId: p.documentId, title: p.documentTitle, section: p.heading.at(-1) ?? "" })),
          }
        : {}),
    });
  out.replies.push(...proposals);
  if (out.streamed) input.stream("", true);
}

const AddressArgs = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string(),
});

/** The confirmation text of a model's proposal: an address is echoed field by field, the rest get the hint. */
function proposalText(tool: string, args: Record<string, unknown>, lang: string): string {
  const address = tool === "change_address" ? AddressArgs.safeParse(args) : null;
  if (address?.success) return t(lang, "addressPropose", { fields: addressLines(lang, address.data) });
  return t(lang, "confirmHint");
}

/** The account as evidence: what a reply may quote about the customer. */
function accountEvidence(a: AccountSnapshot | null): string {
  return a ? JSON.stringify(a) : "";
}

/** Whose account and which confirmed action are the server's to supply, never the model's: hidden from the tool schema. */
const SERVER_FIELDS = new Set(["customerId", "email", "actionId"]);

function withoutIdentity(schema: Record<string, unknown>): Record<string, unknown> {
  const props = z.record(z.string(), z.unknown()).safeParse(schema.properties);
  const required = z.array(z.string()).safeParse(schema.required);
  return {
    ...schema,
    ...(props.success
      ? { properties: Object.fromEntries(Object.entries(props.data).filter(([k]) => !SERVER_FIELDS.has(k))) }
      : {}),
    ...(required.success ? { required: required.data.filter((k) => !SERVER_FIELDS.has(k)) } : {}),
  };
}
