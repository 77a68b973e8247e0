/**
 * Executes one test case the way production answers a customer: every customer turn of
 * the case goes through the engine's public entry (`runTurnWith`: router → identification
 * (simulated: a case naming a customer email starts verified) → agent → guardrails → gate)
 * with the variant's category configuration, against a private copy of the store. The
 * simulated customer confirms every proposed action, which then runs on that copy; the
 * expected actions are replayed on a second copy and the two end states are hashed.
 * Then every evaluator scores the case.
 */
import { runTurnWith, type PreloadedContext } from "../ai/engine.ts";
import type { CategoryConfig } from "../ai/agent/context.ts";
import type { TurnHistoryItem } from "../ai/turn-types.ts";
import type { EngineState } from "../ai/state.ts";
import { executeWith } from "../commerce/execute.ts";
import { CommerceError } from "../commerce/types.ts";
import { isCategoryKey } from "../lib/categories.ts";
import type { EvalCase, Score, Variant } from "../protocol/evals.ts";
import { runCustom, type CustomEvaluatorDef } from "./custom.ts";
import { casePass, deterministicScores, grounding, type CaseExecution } from "./evaluators.ts";
import { judgeScore, localJudge, type Judge, type JudgeConfig } from "./judge.ts";
import { transcriptTurns } from "./mapping.ts";
import { SandboxStore, type StoreSnapshot } from "./sandbox-store.ts";

/** The variant's provider failed and the engine fell back: the case is not a result of this variant. */
export class VariantProviderError extends Error {
  override readonly name = "VariantProviderError";
}

/** What a batch shares across its cases. */
export interface RunContext {
  env: Env;
  workspaceId: string;
  runId: string;
  variant: Variant;
  /** category key → the variant's configuration of it (prompt version, provider, model). */
  categories: Map<string, Partial<CategoryConfig>>;
  snapshot: StoreSnapshot;
  judge: Judge;
  rubric: JudgeConfig;
  customs: Array<{ name: string; def: CustomEvaluatorDef }>;
  now: Date;
  /** Settings, category rows, few-shot and knowledge read once per batch (workers/evals/preload.ts). */
  preloaded: PreloadedContext;
}

export interface CaseOutcome {
  pass: boolean;
  redLine: boolean;
  unsure: boolean;
  costUsd: number;
  latencyMs: number;
  category: string | null;
  /** A provider (engine or judge) was called: the case is checkpointed on its own, never re-run and billed again. */
  billed: boolean;
  scores: Score[];
  detail: {
    reply: string;
    draft: string;
    routedCategory: string | null;
    gate: string;
    gateReasons: string[];
    proposed: CaseExecution["proposed"];
    scores: Score[];
    judge: { scores: Record<string, number>; unsure: boolean };
  };
}

/** The variant applied on top of a category as loaded from the workspace. */
export function applyVariant(
  loaded: CategoryConfig,
  variant: Variant,
  pinned: Partial<CategoryConfig> | undefined,
): CategoryConfig {
  return {
    ...loaded,
    ...(pinned ?? {}),
    key: loaded.key,
    ...(variant.provider ? { provider: variant.provider } : {}),
    ...(variant.model ? { model: variant.model } : {}),
    ...(variant.reasoningLevel ? { reasoningLevel: variant.reasoningLevel } : {}),
  };
}

/** Violations from the gate's reasons: `violation:<code>` (blocking) or `violation:<code>:<severity>`. */
export function violationsOf(reasons: string[]): CaseExecution["violations"] {
  return reasons
    .filter((r) => r.startsWith("violation:"))
    .map((r) => {
      const [, code = "unknown", sev] = r.split(":");
      return { code, severity: sev === "review" ? ("review" as const) : ("block" as const), message: r };
    });
}

/** An execution with nothing in it, for asking one evaluator a question early. */
function blankExecution(c: EvalCase): CaseExecution {
  return {
    case: c,
    reply: "",
    draft: "",
    routedCategory: null,
    gateDecision: "send",
    handoff: false,
    violations: [],
    proposed: [],
    agentStateHash: null,
    goldStateHash: null,
    sources: [],
    latencyMs: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
}

/**
 * Executes an action on a sandbox as the room would after Confirm. A refusal of the store
 * (cancelled subscription, unknown order) leaves the copy unchanged, as it would in production.
 */
async function replay(
  store: SandboxStore,
  customerRef: string | null,
  tool: string,
  args: Record<string, unknown>,
): Promise<string> {
  try {
    return (await executeWith(store, customerRef, tool, args)).message;
  } catch (err) {
    if (err instanceof CommerceError) return `not done: ${err.message}`;
    throw err;
  }
}

/** Runs and scores one case (see module comment). Throws VariantProviderError when the variant's model failed. */
export async function executeCase(ctx: RunContext, c: EvalCase, idx: number, repeat: number): Promise<CaseOutcome> {
  const started = Date.now();
  const sandbox = new SandboxStore(ctx.snapshot, ctx.env.PUBLIC_URL);
  const customer = c.customerEmail ? await sandbox.findCustomerByEmail(c.customerEmail) : null;
  let memory: EngineState = customer
    ? { verified: true, email: customer.email, customerRef: customer.customerRef, vouchChecked: true }
    : { vouchChecked: true };
  const turns = transcriptTurns(c.message).filter((t) => t.role === "customer");
  const history: TurnHistoryItem[] = [];
  const proposed: CaseExecution["proposed"] = [];
  const violations: CaseExecution["violations"] = [];
  const sources: string[] = [c.message];
  let reply = "";
  let draft = "";
  let routed: string | null = null;
  let gate: CaseExecution["gateDecision"] = "send";
  let gateReasons: string[] = [];
  let handoff = false;
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  const conversationId = `eval_${ctx.runId}_${idx}_${repeat}`;
  for (const turn of turns.length ? turns : [{ role: "customer" as const, text: c.message }]) {
    const res = await runTurnWith(
      ctx.env,
      {
        workspaceId: ctx.workspaceId,
        conversationId,
        channel: "eval",
        text: turn.text,
        language: c.language,
        history: [...history],
        memory,
        attachmentKeys: [],
        contactName: null,
      },
      () => undefined,
      {
        connector: sandbox,
        now: ctx.now,
        trustEmail: true,
        issueCode: async () => undefined,
        checkCode: async () => ({ ok: false, reason: "expired" }),
        category: (loaded) => applyVariant(loaded, ctx.variant, ctx.categories.get(loaded.key)),
        preloaded: ctx.preloaded,
      },
    );
    for (const tr of res.traces) {
      inputTokens += tr.inputTokens;
      outputTokens += tr.outputTokens;
      costUsd += tr.costUsd;
      if (tr.step === "generate" && tr.detail.fallback === "local" && ctx.variant.provider)
        throw new VariantProviderError(String(tr.detail.error ?? "provider failed"));
    }
    memory = res.memory;
    routed = res.route?.primary ?? routed;
    gate = res.gate.decision;
    gateReasons = res.gate.reasons;
    handoff ||= res.handoff !== null;
    violations.push(...violationsOf(res.gate.reasons));
    reply = res.replies.map((r) => r.text).join("\n\n");
    draft = res.copilot.draft ?? reply;
    history.push(
      { role: "customer", text: turn.text },
      ...res.replies.map((r) => ({ role: "bot" as const, text: r.text })),
    );
    for (const [i, a] of res.actions.entries()) {
      proposed.push({
        tool: a.tool,
        args: a.args,
        confirmationAsked: res.replies.some((r) => r.actionIndex === i),
      });
      // The simulated customer presses Confirm; the action runs on this case's copy only.
      const done = await replay(sandbox, memory.customerRef ?? null, a.tool, a.args);
      history.push({ role: "bot", text: done });
      sources.push(done);
    }
  }
  sources.push(...sandbox.reads);
  const ref = memory.customerRef ?? customer?.customerRef ?? null;
  if (ref) {
    const account = await sandbox.getAccount(ref);
    if (account) sources.push(JSON.stringify(account));
  }
  // Passages are fetched again (retrieval is deterministic) only when the reply states facts the account does not explain.
  const routedKey = routed !== null && isCategoryKey(routed) ? routed : null;
  const explained = grounding({ ...blankExecution(c), draft, sources }).pass !== false;
  if (routedKey && !explained)
    for (const p of await ctx.preloaded.knowledge(turns.at(-1)?.text ?? c.message, routedKey)) sources.push(p.text);

  let agentStateHash: string | null = null;
  let goldStateHash: string | null = null;
  if (c.expectedActions !== null || c.outcome === "action") {
    const gold = new SandboxStore(ctx.snapshot, ctx.env.PUBLIC_URL);
    for (const g of c.expectedActions ?? []) await replay(gold, customer?.customerRef ?? null, g.tool, g.args);
    const touched = [...sandbox.touched, ...gold.touched];
    if (customer) touched.push(customer.customerRef);
    agentStateHash = await sandbox.stateHash(touched);
    goldStateHash = await gold.stateHash(touched);
  }

  const execution: CaseExecution = {
    case: c,
    reply,
    draft,
    routedCategory: routed,
    gateDecision: gate,
    handoff,
    violations,
    proposed,
    agentStateHash,
    goldStateHash,
    sources,
    latencyMs: Date.now() - started,
    inputTokens,
    outputTokens,
    costUsd,
  };
  const verdict = await ctx.judge(execution, ctx.rubric);
  execution.costUsd += verdict.costUsd;
  const scores: Score[] = [
    ...deterministicScores(execution),
    judgeScore(verdict),
    ...ctx.customs.map((x) => runCustom(x.name, x.def, execution)),
  ];
  const pass = casePass(scores);
  return {
    pass,
    redLine: scores.some((s) => s.name === "red_lines" && s.pass === false),
    unsure: verdict.unsure,
    costUsd: execution.costUsd,
    latencyMs: execution.latencyMs,
    category: c.category ?? routed,
    billed: inputTokens + outputTokens > 0 || execution.costUsd > 0 || ctx.judge !== localJudge,
    scores,
    detail: {
      reply,
      draft,
      routedCategory: routed,
      gate,
      gateReasons,
      proposed,
      scores,
      judge: { scores: verdict.scores, unsure: verdict.unsure },
    },
  };
}
