/**
 * The AI engine's entry point for one conversation turn (seed 000 §3):
 * route → input scan → customer identification → support agent assembled per category
 * (three prompt layers, that category's tools and model; the local rule-based agent when
 * no model is configured or every provider failed) → guardrails on every tool call and
 * on the draft → eval gate. Multi-intent messages are answered primary first, then the
 * secondary intents, each proposal with its own confirmation.
 *
 * Over 400 lines: `runTurnWith` is the turn's pipeline in order, with its early exits
 * (blocked input, identification steps, held answers) where they happen; every stage it
 * calls is its own module, and the order is easier to check when it reads top to bottom.
 */
import { needsLlmRouter, routeMessage } from "./router/index.ts";
import type { RouteResult } from "./router/types.ts";
import { scanCustomerMessage } from "./guardrails/input.ts";
import { checkDraft, redactDraft } from "./guardrails/draft.ts";
import { checkPoisoning, sourceViolations } from "./guardrails/links.ts";
import { draftLinkPolicy } from "./draft-links.ts";
import { checkTone } from "./guardrails/tone.ts";
import type { TurnContext, Violation } from "./guardrails/types.ts";
import { evalGate } from "./gate.ts";
import type { CategoryKey, Language } from "../lib/categories.ts";
import { commerceFor } from "../commerce/connector.ts";
import type { AccountSnapshot, CommerceConnector } from "../commerce/types.ts";
import {
  aiModeFor,
  loadCategory,
  loadFewShot,
  loadKnowledge,
  loadSettings,
  tenantDb,
  type CategoryConfig,
} from "./agent/context.ts";
import { identifyStep, isIdentificationReply } from "./identify/flow.ts";
import {
  checkCode,
  contactIdentity,
  issueCode,
  type CodeCheck,
  type ContactIdentity,
  type IssueResult,
} from "./identify/service.ts";
import { customerText } from "../copy/customer.ts";
import { routerTargets } from "./providers/registry.ts";
import { llmRoute, ROUTER_BUDGET_MS } from "./llm-router.ts";
import type { LlmBudget } from "./agent/llm-agent.ts";
import { costOf } from "./providers/pricing.ts";
import { categoriesOf, needsAccount, readState, type EngineState } from "./state.ts";
import { allPhrases, t, templateLanguage } from "./agent/templates.ts";
import { checkGrounding } from "./grounding.ts";
import { isFollowUp, previousCustomerText } from "./followup.ts";
import { isQuestion, likelyRetrieval } from "./knowledge-prefetch.ts";
import { memoAsync } from "../lib/memo.ts";
import { accountFields } from "./agent/account-question.ts";
import { answerFromKnowledge } from "./agent/local-agent.ts";
import { runAgent, type AgentOutput } from "./agent/run.ts";
import { sentimentOf, summarise } from "./copilot.ts";
import type { Streamer, TurnRequest, TurnResult, TurnTrace } from "./turn-types.ts";
import { compactTraces } from "./engine-traces.ts";
import { gateConfidence } from "./confidence.ts";
import type { WorkspaceSettings } from "../protocol/settings.ts";
import type { RetrievedPassage } from "../knowledge/types.ts";

/** Seams for the playground, the evals and tests. */
export interface EngineDeps {
  connector?: CommerceConnector;
  now?: Date;
  /** Playground: an email given is trusted without a code (admins testing, no real customer). */
  trustEmail?: boolean;
  issueCode?: (email: string, shopName: string) => Promise<IssueResult | void>;
  checkCode?: (code: string) => Promise<CodeCheck>;
  /** Time budget of the LLM path (evals against slow fakes shorten it). */
  llmBudget?: LlmBudget;
  /** The conversation's contact identity (evals): the D1 lookup otherwise. */
  contactIdentity?: () => Promise<ContactIdentity | null>;
  /** Eval Lab: a variant's category configuration (pinned prompt version, provider, model) instead of the live row. */
  category?: (loaded: CategoryConfig) => CategoryConfig;
  /**
   * Eval Lab: what a batch of cases read once (workspace settings, category rows, few-shot
   * examples, retrieval over the run's knowledge) instead of per turn. A production turn
   * leaves these unset and reads everything fresh, so an edit applies to the next message.
   */
  preloaded?: PreloadedContext;
}

/** Loaders a batch of eval cases shares (see EngineDeps.preloaded); each returns what the per-turn read would. */
export interface PreloadedContext {
  settings: { settings: WorkspaceSettings; name: string };
  category: (key: CategoryKey) => Promise<CategoryConfig>;
  fewShot: (key: CategoryKey, query: string) => Promise<Array<{ question: string; answer: string }>>;
  knowledge: (query: string, key: CategoryKey) => Promise<RetrievedPassage[]>;
}

const ms = (since: number) => Date.now() - since;

function trace(
  step: TurnTrace["step"],
  started: number,
  detail: Record<string, unknown>,
  usage?: { provider: string; model: string; inputTokens: number; outputTokens: number },
): TurnTrace {
  const cost = usage ? costOf(usage.model, usage) : { costUsd: 0, priced: true };
  return {
    step,
    provider: usage?.provider ?? (step === "route" || step === "identify" || step === "gate" ? "local" : null),
    model: usage?.model ?? null,
    latencyMs: ms(started),
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    costUsd: cost.costUsd,
    detail: cost.priced ? detail : { ...detail, unpriced: true },
  };
}

/** Runs one turn (see module comment). */
export async function runTurn(env: Env, req: TurnRequest, stream: Streamer): Promise<TurnResult> {
  return runTurnWith(env, req, stream, {});
}

/** runTurn with injectable seams. */
export async function runTurnWith(env: Env, req: TurnRequest, stream: Streamer, deps: EngineDeps): Promise<TurnResult> {
  const traces: TurnTrace[] = [];
  const now = deps.now ?? new Date();
  const state: EngineState = readState(req.memory);
  const tdb = tenantDb(env, req.workspaceId);
  const connector = deps.connector ?? commerceFor(env, req.workspaceId);
  const pre = deps.preloaded;
  // Retrievals are memoised per (query, category) for the turn: the one started early
  // (knowledge-prefetch.ts) is the one the agent later asks for, never a second read.
  const knowledgeFor = memoAsync(
    (query: string, key: CategoryKey) => `${key}\u0000${query}`,
    (query, key): Promise<RetrievedPassage[]> =>
      pre ? pre.knowledge(query, key) : loadKnowledge(env, req.workspaceId, query, key),
  );
  // Category rows are read once per turn, whoever asks first.
  const categoryOf = memoAsync(
    (c: CategoryKey) => c,
    (c): Promise<CategoryConfig> =>
      (pre ? pre.category(c) : loadCategory(tdb, c)).then((loaded) => (deps.category ? deps.category(loaded) : loaded)),
  );

  // 1. Route: the local classifier; a model only when it is unsure and one is configured.
  let started = Date.now();
  let route: RouteResult = routeMessage(req.text);
  traces.push(
    trace("route", started, {
      primary: route.primary,
      secondary: route.secondary,
      confidence: route.confidence,
      source: route.source,
    }),
  );
  // What every turn reads, read together (issue 17: one round trip before the first
  // token instead of one per read): the workspace settings, the contact's identity while it
  // is unchecked, the caller's memories, and the category rows of the classifier's intents
  // (the ones the turn uses unless identification or a follow-up changes them).
  const vouchCheck = !state.verified && !state.vouchChecked;
  // The retrieval the turn most likely starts with runs alongside these reads.
  const early = likelyRetrieval({ state, route, text: req.text, history: req.history });
  // Handled here too: a retrieval the turn never asks for must not be an unhandled rejection.
  if (early) knowledgeFor(req.text, early).catch(() => undefined);
  const [{ settings, name: shopName }, identity, memories] = await Promise.all([
    pre ? pre.settings : loadSettings(tdb),
    vouchCheck
      ? deps.contactIdentity
        ? deps.contactIdentity()
        : contactIdentity(env, req.workspaceId, req.conversationId)
      : null,
    req.memories ?? [],
    ...[route.primary, ...route.secondary].slice(0, 3).map(categoryOf),
  ]);
  if (needsLlmRouter(route)) {
    const targets = routerTargets(env);
    if (targets.length) {
      started = Date.now();
      const r = await llmRoute(targets, req.text, route, undefined, {
        history: req.history.filter((h) => h.role === "customer").map((h) => h.text),
        ...(deps.llmBudget ? { budgetMs: Math.min(ROUTER_BUDGET_MS, deps.llmBudget.firstMs) } : {}),
      });
      route = r.route;
      for (const a of r.attempts.filter((x) => !x.ok))
        traces.push({
          step: "route",
          provider: a.provider,
          model: a.model,
          latencyMs: a.latencyMs ?? 0,
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          detail: { error: (a.error ?? "failed").slice(0, 200), ...(a.status ? { status: a.status } : {}), llm: true },
        });
      if (r.response)
        traces.push(
          trace(
            "route",
            started,
            { primary: route.primary, llm: true },
            { provider: r.response.provider, model: r.response.model, ...r.response.usage },
          ),
        );
    }
  }
  const lang = replyLanguage(req.text, route.language, req.language);

  // 2. Input scan: signals only; the message never gains authority.
  const scan = scanCustomerMessage(req.text);

  // A customer the host site vouched for (HMAC identity), or one who writes by email from
  // an address on file, is known without a code (issue 18, answers 5). An email sender
  // with no account is told so instead of being asked for an email and a code.
  if (vouchCheck) {
    state.vouchChecked = true;
    const known = identity && (identity.verified || identity.channel === "email") ? identity.email : null;
    const customer = known ? await connector.findCustomerByEmail(known) : null;
    if (known && customer) Object.assign(state, { verified: true, email: known, customerRef: customer.customerRef });
    else if (identity?.channel === "email") state.unknownEmail = identity.email;
  }

  // 3. What this turn is about: an email or code answers identification, so the intents
  //    are those of the message that asked; an answer to our question continues its topic.
  const idState = {
    verified: state.verified === true && Boolean(state.customerRef),
    email: state.email ?? null,
    awaitingEmail: state.awaitingEmail === true,
    awaitingCode: state.awaitingCode === true,
  };
  const pending = categoriesOf(state.pendingIntents);
  const idReply = isIdentificationReply(idState, req.text, route.email) && pending.length > 0;
  let intents: CategoryKey[] = [route.primary, ...route.secondary].filter((c, i, a) => a.indexOf(c) === i);
  if (intents.length > 1) intents = intents.filter((c) => c !== "other");
  intents = intents.slice(0, 3);
  let workText = req.text;
  let attachments = req.attachmentKeys;
  let effRoute: RouteResult = route;
  const lastCategory = categoriesOf(state.category ? [state.category] : [])[0];
  const prevCustomer = previousCustomerText(req.history);
  let context: string | null = null;
  if (idReply) {
    intents = pending;
    workText = state.pendingText ?? req.text;
    attachments = [...(state.pendingAttachments ?? []), ...req.attachmentKeys];
    effRoute = { ...(state.lastRoute ?? route), email: route.email ?? state.lastRoute?.email ?? null, language: lang };
  } else if (
    state.ask &&
    (route.primary === "other" || route.confidence < 0.6 || intents[0] === askCategory(state.ask))
  ) {
    intents = [askCategory(state.ask)];
    effRoute = {
      ...route,
      primary: intents[0] ?? route.primary,
      confidence: Math.max(route.confidence, state.pendingConfidence ?? 0.9),
    };
  } else if (
    prevCustomer &&
    lastCategory &&
    lastCategory !== "other" &&
    isFollowUp(req.text) &&
    (route.primary === "other" || route.confidence < 0.75 || route.primary === lastCategory)
  ) {
    // "What about Germany?": the previous question's topic with the new entity.
    intents = [lastCategory];
    context = prevCustomer;
    effRoute = { ...route, primary: lastCategory, confidence: Math.max(route.confidence, 0.8) };
  } else if (route.primary === "other" && route.confidence < 0.6 && lastCategory && lastCategory !== "other") {
    intents = [lastCategory];
    effRoute = {
      ...route,
      primary: lastCategory,
      confidence: Math.max(route.confidence, state.pendingConfidence ?? 0.9),
    };
  }
  // A question about the account itself ("What plan am I on?") is a general question answered from the store.
  if (intents[0] === "other" && accountFields(workText).length > 0) {
    intents = ["general_question", ...intents.slice(1)];
    effRoute = { ...effRoute, primary: "general_question" };
  }
  const primary: CategoryKey = intents[0] ?? "other";

  // 4. Identification.
  const replies: TurnResult["replies"] = [];
  // Replies templated here (not model or knowledge text) are exempt from the poisoning checks.
  const platformPrompts = new Set<string>();
  const identifyOnly = (text: string): void => {
    platformPrompts.add(text);
    replies.push({ text });
  };
  started = Date.now();
  const step = identifyStep(idState, req.text, route.email, intents.some((c) => needsAccount(c, req.text)) || idReply);
  let proceed = true;
  const rememberPending = (): void => {
    if (!idReply && intents.some((c) => needsAccount(c, req.text))) {
      state.pendingIntents = intents;
      state.pendingText = req.text;
      state.pendingAttachments = req.attachmentKeys;
      state.pendingConfidence = route.confidence;
      state.lastRoute = route;
    }
  };
  let idHandoff: string | null = null;
  if (step.kind === "ask_email" && state.unknownEmail) {
    identifyOnly(t(lang, "noAccountEmail"));
    idHandoff = "No account for the sender's email address";
    proceed = false;
  } else if (step.kind === "ask_email") {
    rememberPending();
    state.awaitingEmail = true;
    const general = intents.filter((c) => !needsAccount(c, req.text));
    if (general.length === 0 && intents.includes("damaged_item")) identifyOnly(t(lang, "damageSorry"));
    identifyOnly(t(lang, "askEmail"));
    proceed = general.length > 0;
    intents = general;
  } else if (step.kind === "invalid_email") {
    identifyOnly(t(lang, "emailInvalid"));
    proceed = false;
  } else if (step.kind === "send_code") {
    rememberPending();
    const customer = await connector.findCustomerByEmail(step.email);
    state.email = step.email;
    state.awaitingEmail = false;
    if (customer && deps.trustEmail) {
      Object.assign(state, { verified: true, customerRef: customer.customerRef, awaitingCode: false });
      identifyOnly(t(lang, "verified", { name: customer.name.split(" ")[0] ?? customer.name }));
      intents = categoriesOf(state.pendingIntents).length ? categoriesOf(state.pendingIntents) : intents;
      workText = state.pendingText ?? workText;
    } else {
      // The same words and the same caps whether or not the address has an account: for an
      // unknown one a code is recorded but never sent (identify/service.ts). Saying "no
      // account" (or refusing further codes only for real accounts) told anyone who typed
      // an address whether it was a customer's.
      const issued = await (deps.issueCode
        ? deps.issueCode(customer?.email ?? step.email, shopName)
        : issueCode(env, req.workspaceId, req.conversationId, customer?.email ?? step.email, shopName, {
            deliver: customer !== null,
            language: lang,
          }));
      if (issued && !issued.ok) {
        // Plainly, and without saying whether the address has an account.
        state.awaitingCode = false;
        identifyOnly(customerText(lang, "codeLimit"));
      } else {
        state.awaitingCode = true;
        identifyOnly(t(lang, "codeSent", { email: step.email }));
      }
      proceed = false;
    }
  } else if (step.kind === "check_code") {
    const res = await (deps.checkCode
      ? deps.checkCode(step.code)
      : checkCode(env, req.workspaceId, req.conversationId, step.code));
    const customer = res.ok ? await connector.findCustomerByEmail(res.email) : null;
    if (res.ok && customer) {
      Object.assign(state, {
        verified: true,
        customerRef: customer.customerRef,
        email: res.email,
        awaitingCode: false,
        awaitingEmail: false,
      });
      identifyOnly(t(lang, "verified", { name: customer.name.split(" ")[0] ?? customer.name }));
    } else if (!res.ok && res.reason === "wrong") {
      identifyOnly(t(lang, "codeWrong", { left: res.attemptsLeft }));
      proceed = false;
    } else if (!res.ok && res.reason === "locked") {
      Object.assign(state, { awaitingCode: false, awaitingEmail: true });
      identifyOnly(customerText(lang, "codeLocked"));
      proceed = false;
    } else {
      Object.assign(state, { awaitingCode: false, awaitingEmail: true });
      identifyOnly(t(lang, "codeExpired"));
      proceed = false;
    }
  } else if (step.kind === "remind_code") {
    identifyOnly(t(lang, "codeAsk"));
    proceed = false;
  }
  if (step.kind !== "none")
    traces.push(trace("identify", started, { step: step.kind, verified: state.verified === true }));
  const identificationOnly = !proceed || intents.length === 0;

  // 5. The support agent, per intent.
  const verified = state.verified === true && Boolean(state.customerRef);
  let account: AccountSnapshot | null = null;
  if (proceed && verified && state.customerRef && intents.some((c) => needsAccount(c, workText))) {
    started = Date.now();
    account = await connector.getAccount(state.customerRef);
    traces.push(trace("tool", started, { tool: "get_subscription", found: account !== null }));
  }
  const configs: CategoryConfig[] = [];
  for (const c of intents.length ? intents : [primary]) configs.push(await categoryOf(c));
  const primaryConfig = configs[0] ?? (await categoryOf(primary));
  const internalMarkers = [state.customerRef ?? "", req.conversationId, req.workspaceId].filter((x) => x.length > 3);
  const ctxFor = (cfg: CategoryConfig): TurnContext => ({
    category: cfg.key,
    allowedTools: cfg.allowedTools,
    customer: { verified, customerId: state.customerRef ?? null, email: state.email ?? null },
    confirmedActionIds: [],
    route: { escalate: effRoute.escalate || scan.threat || scan.chargeback, escalateReasons: effRoute.escalateReasons },
    systemPromptFingerprints: [],
    internalMarkers,
    refundAuthorized: false,
    subscriptionStatus: account?.subscription?.status ?? null,
  });
  let agent: AgentOutput = {
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
  if (proceed && intents.length) {
    agent = await runAgent(env, {
      workspaceId: req.workspaceId,
      ...(memories.length ? { memories } : {}),
      intents,
      configs,
      text: workText,
      lang,
      account,
      history: req.history,
      attachments,
      now,
      connector,
      verified,
      customerRef: state.customerRef ?? null,
      retentionOffered: state.retentionOffered === true,
      ctxFor,
      publicUrl: env.PUBLIC_URL,
      stream,
      loadKnowledge: (q, c) => knowledgeFor(context ? `${context} ${q}` : q, c),
      context,
      ...(deps.llmBudget ? { llmBudget: deps.llmBudget } : {}),
      shopName,
      timeZone: settings.businessHours?.timeZone ?? "UTC",
      channel: req.channel,
      fewShot: (c) => (pre ? pre.fewShot(c, workText) : loadFewShot(env, req.workspaceId, c, workText)),
    });
  } else if (!proceed) {
    // General help while identification is under way: a matching FAQ passage, if any. A
    // policy question asked about the customer's own account ("When do you bill my card?")
    // also gets the policy now, when a passage answers it closely, next to the email request.
    const general = intents.filter((c) => !needsAccount(c, req.text));
    const policyToo = general.length === 0 && step.kind === "ask_email" && isQuestion(req.text);
    for (const c of policyToo ? [primary] : general) {
      const passages = await knowledgeFor(workText, c);
      const faq = answerFromKnowledge(passages, lang, workText, null, policyToo ? CLOSE_ANSWER : undefined);
      if (faq) {
        replies.unshift({ text: faq.text, citations: [faq.citation] });
        agent.sources = [...(agent.sources ?? []), faq.source];
        agent.evidence.push(...passages.map((p) => p.text));
      }
    }
  }
  traces.push(...agent.traces);
  replies.push(...agent.replies);

  // 6. Red lines on the draft, then 7. the gate.
  started = Date.now();
  const draft = replies.map((r) => r.text).join("\n\n");
  const ctx = ctxFor(primaryConfig);
  ctx.systemPromptFingerprints = agent.fingerprints ?? [];
  const violations: Violation[] = [
    ...agent.violations,
    ...checkDraft(
      draft,
      ctx,
      agent.actions.map((a) => a.tool),
    ),
    ...replies
      .filter((r) => !platformPrompts.has(r.text))
      .flatMap((r) => checkPoisoning(r.text, draftLinkPolicy(env, settings.linkAllowlist))),
    // A quote is only as safe as the passage it comes from: a page that asks for card numbers or links
    // elsewhere is not quoted to a customer unreviewed, even by its harmless-looking line.
    ...sourceViolations(agent.sources ?? [], draftLinkPolicy(env, settings.linkAllowlist)),
  ];
  const tone = checkTone(draft);
  const grounding = checkGrounding(draft, [...agent.evidence, req.text, workText, allPhrases(lang)]);
  const strict = identificationOnly
    ? "always"
    : configs
        .map((c) => c.autoSend)
        .reduce<"always" | "confident" | "never">(
          (a, b) =>
            a === "never" || b === "never" ? "never" : a === "confident" || b === "confident" ? "confident" : "always",
          "always",
        );
  const mode = (intents.length ? intents : [primary]).some((c) => aiModeFor(settings, c) === "copilot")
    ? "copilot"
    : "autopilot";
  const gate = evalGate({
    draft,
    violations,
    route: { escalate: effRoute.escalate, escalateReasons: effRoute.escalateReasons },
    categoryPolicy: { autoSend: strict },
    confidence: gateConfidence(effRoute.confidence, agent.grounding, grounding),
    grounding,
    mode,
    tone,
    actionsOk: agent.actionsOk,
    input: scan,
  });
  traces.push(
    trace("gate", started, {
      decision: gate.decision,
      reasons: gate.reasons,
      violations: violations.map((v) => v.code),
    }),
  );
  const outReplies =
    gate.decision === "send" ? replies : replies.map((r) => ({ ...r, text: redactDraft(r.text, ctx) }));
  if (!agent.streamed && outReplies.length) stream(outReplies.map((r) => r.text).join("\n\n"), true);

  // 8. Memory for the next turn.
  if (proceed && verified) {
    state.pendingIntents = [];
    state.pendingText = null;
    state.pendingAttachments = [];
  }
  if (agent.retentionOffered) state.retentionOffered = true;
  state.ask = agent.ask;
  if (intents.length && !identificationOnly) state.category = primary;
  else if (!state.category) state.category = primary;
  state.lastRoute = effRoute;

  const open = agent.actions.map((a) => a.summary);
  return {
    route: effRoute,
    replies: outReplies,
    actions: agent.actions,
    gate,
    handoff: agent.handoff ? { reason: agent.handoff } : idHandoff ? { reason: idHandoff } : null,
    memory: state,
    traces: compactTraces(traces),
    copilot: {
      draft: draft || null,
      sentiment: sentimentOf(req.history, req.text),
      summary: summarise(req.history, req.text, { category: primary, verified, open }),
    },
  };
}

function askCategory(ask: "pause" | "frequency" | "address"): CategoryKey {
  return ask === "pause" ? "pause_subscription" : ask === "frequency" ? "change_frequency" : "change_address";
}

/**
 * The language to answer in: the script decides for Cyrillic and Hebrew; a short Latin
 * message says too little to tell English from Spanish or French, so the conversation's
 * language (widget setting, earlier messages) wins there.
 */
export function replyLanguage(text: string, detected: string, conversation: string | null): Language {
  if (/[\u0590-\u05ff]/.test(text)) return "he";
  if (/[\u0400-\u04ff]/.test(text)) return "ru";
  const words = text.trim().split(/\s+/).length;
  return templateLanguage(words <= 6 && conversation ? conversation : detected);
}

/** Coverage a passage needs to be offered while the customer is still being identified. */
const CLOSE_ANSWER = 0.6;
