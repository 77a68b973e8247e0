/**
 * Runs the answers scenario suite through the real engine (`runTurnWith`, the code path
 * the room uses) in a fresh workspace with the demo store and the demo FAQ, and scores
 * every turn against the store. Needs D1, R2 and the knowledge index, so it runs inside
 * workerd (test/workers/ai/answers-eval.test.ts; `npm run eval -- answers`).
 */
import { runTurnWith, type EngineDeps } from "../../workers/ai/engine.ts";
import type { EngineState } from "../../workers/ai/state.ts";
import type { TurnHistoryItem } from "../../workers/ai/turn-types.ts";
import { dayName, money, t } from "../../workers/ai/agent/templates.ts";
import { extractEmail } from "../../workers/ai/router/extract.ts";
import { DemoStoreConnector } from "../../workers/commerce/demo-store.ts";
import type { AccountSnapshot } from "../../workers/commerce/types.ts";
import { seedKnowledge } from "../../workers/knowledge/seed.ts";
import { freshStore } from "../actions/run.ts";
import { loadScenarios, type Scenario } from "./scenarios.ts";
import { figures, scoreTurn, type FactValues, type Figures, type ScoredTurn } from "./score.ts";

/** The suite's clock: the store is generated for this moment, so dates in it are coherent. */
export const EVAL_NOW = new Date("2026-11-10T09:00:00Z");
/** The one-time code the scripted customers type. */
const CODE = "123456";

/** Store facts of a customer in a language (see FACT_KEYS). */
export function factValues(a: AccountSnapshot | null, lang: string): FactValues {
  if (!a) return {};
  const s = a.subscription;
  const ship = a.latestShipment;
  const pay = a.latestPayment;
  const cash = (cents: number, cur: string) => [...new Set([money(lang, cents, cur), money("en", cents, cur)])];
  return {
    "sub.nextBoxDate": s?.nextBoxDate ? [dayName(lang, s.nextBoxDate)] : null,
    "sub.plan": s ? [s.plan] : null,
    "sub.price": s ? cash(s.priceCents, s.currency) : null,
    "sub.pausedUntil": s?.pausedUntil ? [dayName(lang, s.pausedUntil)] : null,
    "sub.status": s ? [t(lang, `status.${s.status}`)] : null,
    "ship.carrier": ship ? [ship.carrier] : null,
    "ship.tracking": ship ? [ship.trackingNumber] : null,
    "ship.eta": ship?.estimatedDelivery ? [dayName(lang, ship.estimatedDelivery)] : null,
    "pay.amount": pay ? cash(pay.amountCents, pay.currency) : null,
  };
}

export interface AnswersRun {
  turns: ScoredTurn[];
  heldout: Figures;
  tuning: Figures;
  all: Figures;
}

export interface AnswersOptions {
  /** Environment to run with (the LLM path passes one with a provider configured). */
  env?: Env;
  only?: (s: Scenario) => boolean;
}

async function runScenario(env: Env, wsId: string, connector: DemoStoreConnector, s: Scenario): Promise<ScoredTurn[]> {
  const customer = s.customer_email ? await connector.findCustomerByEmail(s.customer_email) : null;
  const account = customer ? await connector.getAccount(customer.customerRef) : null;
  const facts = factValues(account, s.language);
  let memory: EngineState =
    s.identity === "verified" && customer
      ? { verified: true, email: customer.email, customerRef: customer.customerRef, vouchChecked: true }
      : {};
  let given: string | null = null;
  const deps: EngineDeps = {
    connector,
    now: EVAL_NOW,
    issueCode: async () => undefined,
    checkCode: async (code) =>
      code === CODE && given ? { ok: true, email: given } : { ok: false, reason: "wrong", attemptsLeft: 2 },
    contactIdentity: async () =>
      s.identity === "vouched"
        ? { email: s.customer_email, verified: true, channel: "widget" }
        : s.identity === "email"
          ? { email: s.customer_email, verified: false, channel: "email" }
          : null,
  };
  const history: TurnHistoryItem[] = [];
  const out: ScoredTurn[] = [];
  for (const [index, turn] of s.turns.entries()) {
    given = extractEmail(turn.customer)?.toLowerCase() ?? given;
    const res = await runTurnWith(
      env,
      {
        workspaceId: wsId,
        conversationId: `conv_${wsId}_${s.id}`,
        channel: s.identity === "email" ? "email" : "widget",
        text: turn.customer,
        language: s.identity === "email" ? null : s.language,
        history: [...history],
        memory,
        attachmentKeys: [],
        contactName: null,
      },
      () => undefined,
      deps,
    );
    memory = res.memory;
    const outcome = {
      decision: res.gate.decision,
      replies: res.replies.map((r) => r.text),
      actions: res.actions.map((a) => ({ tool: a.tool, args: a.args })),
      handoff: res.handoff !== null,
    };
    const score = scoreTurn(turn, s.language, outcome, facts);
    out.push({ scenario: s, index, score, decision: outcome.decision, text: outcome.replies.join("\n") });
    history.push({ role: "customer", text: turn.customer });
    if (res.gate.decision === "send") history.push(...res.replies.map((r) => ({ role: "bot" as const, text: r.text })));
  }
  return out;
}

/** Runs the suite in a new workspace `ans_<runId>`. */
export async function runAnswersEval(baseEnv: Env, runId: string, opts: AnswersOptions = {}): Promise<AnswersRun> {
  const env = opts.env ?? baseEnv;
  const wsId = `ans_${runId}`;
  const tdb = await freshStore(baseEnv, wsId, EVAL_NOW, 50);
  await seedKnowledge(baseEnv, wsId);
  const connector = new DemoStoreConnector(tdb, baseEnv.PUBLIC_URL);
  const turns: ScoredTurn[] = [];
  for (const s of loadScenarios().filter(opts.only ?? (() => true)))
    turns.push(...(await runScenario(env, wsId, connector, s)));
  return {
    turns,
    heldout: figures(turns.filter((x) => x.scenario.split === "heldout")),
    tuning: figures(turns.filter((x) => x.scenario.split === "tuning")),
    all: figures(turns),
  };
}

/** One line of figures for logs and the report. */
export function formatFigures(name: string, f: Figures): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return (
    `${name}: ${f.conversations} conversations, ${f.turns} turns, acceptable ${f.acceptable}/${f.turns} (${pct(f.acceptableRate)}), ` +
    `silent ${f.silent}, held ${f.held}, actions outside a sent turn ${f.actionsOutsideSent}, ` +
    `non-English knowledge answered ${f.nonEnglishKnowledgeAnswered}/${f.nonEnglishKnowledge} (${pct(f.nonEnglishKnowledgeRate)})`
  );
}
