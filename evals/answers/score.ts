/**
 * Scoring of one engine turn against a scenario turn, and the suite's figures. Pure, so
 * the rules of "acceptable" are unit-tested apart from the engine that is measured.
 */
import { detectLanguage } from "../../workers/ai/router/language.ts";
import type { FactKey, Scenario, ScenarioTurn } from "./scenarios.ts";

/** What the engine did in one turn, as far as the customer and the store are concerned. */
export interface TurnOutcome {
  decision: "send" | "draft" | "escalate";
  /** Reply texts (sent to the customer only when decision is "send"). */
  replies: string[];
  actions: Array<{ tool: string; args: Record<string, unknown> }>;
  handoff: boolean;
}

/** Accepted spellings of each store fact for this customer and language; null when the store has none. */
export type FactValues = Partial<Record<FactKey, string[] | null>>;

export interface TurnScore {
  acceptable: boolean;
  silent: boolean;
  /** Actions put in front of the customer by a turn that was not sent. */
  actionsOutsideSent: number;
  reasons: string[];
}

const ASKS_IDENTITY = /e-?mail|почт|אימייל|דוא"ל|correo|courriel|code|код|קוד|código/iu;

function sentText(o: TurnOutcome): string {
  return o.decision === "send" ? o.replies.join("\n") : "";
}

function matches(text: string, pattern: string): boolean {
  return new RegExp(pattern, "iu").test(text);
}

/** Language of a reply, ignoring links, e-mail addresses, tracking numbers and quoted names. */
export function replyLanguage(text: string): string {
  const cleaned = text
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\S+@\S+/g, " ")
    .replace(/\b[A-Z0-9]{8,}\b/g, " ");
  return detectLanguage(cleaned);
}

function argsMatch(want: Record<string, unknown> | undefined, got: Record<string, unknown>): boolean {
  if (!want) return true;
  return Object.entries(want).every(([k, v]) => JSON.stringify(got[k]) === JSON.stringify(v));
}

/** Scores one turn (see module comment). */
export function scoreTurn(turn: ScenarioTurn, lang: string, o: TurnOutcome, facts: FactValues): TurnScore {
  const reasons: string[] = [];
  const text = sentText(o);
  const sent = o.decision === "send" && text.trim().length > 0;
  const silent = o.decision === "send" && text.trim().length === 0;
  const actionsOutsideSent = o.decision === "send" ? 0 : o.actions.length;
  if (silent) reasons.push("silent");
  if (actionsOutsideSent) reasons.push("actions in a held turn");

  const needSent = turn.kind !== "handoff" && turn.kind !== "safe";
  if (needSent && !sent) reasons.push(`not sent (${o.decision})`);
  if (turn.kind === "handoff" && o.decision === "send" && !o.handoff) reasons.push("no handoff");
  if (turn.kind === "answer_handoff" && !o.handoff) reasons.push("no handoff");
  if ((turn.kind === "answer" || turn.kind === "ask" || turn.kind === "propose") && o.handoff && !sent)
    reasons.push("handed off");
  if (turn.kind === "identify" && sent && !ASKS_IDENTITY.test(text)) reasons.push("does not ask for email/code");

  for (const f of turn.facts) {
    const values = facts[f];
    if (!values?.length) reasons.push(`fact ${f} missing in store`);
    else if (!values.some((v) => text.toLowerCase().includes(v.toLowerCase()))) reasons.push(`fact ${f} absent`);
  }
  for (const f of turn.notFacts) {
    const values = facts[f] ?? [];
    if (values.some((v) => text.toLowerCase().includes(v.toLowerCase()))) reasons.push(`fact ${f} present`);
  }
  for (const c of turn.contains) if (!matches(text, c)) reasons.push(`missing /${c}/`);
  for (const c of turn.notContains) if (matches(text, c)) reasons.push(`says /${c}/`);

  const wanted = turn.actions;
  const got = o.actions;
  if (turn.kind === "safe" || turn.kind === "handoff" || turn.kind === "ask" || turn.kind === "identify") {
    if (got.length) reasons.push(`unexpected actions ${got.map((a) => a.tool).join(",")}`);
  } else {
    const tools = (xs: Array<{ tool: string }>) =>
      xs
        .map((a) => a.tool)
        .sort()
        .join(",");
    if (tools(wanted) !== tools(got)) reasons.push(`actions ${tools(got) || "none"} ≠ ${tools(wanted) || "none"}`);
    for (const w of wanted) {
      const g = got.find((a) => a.tool === w.tool);
      if (g && !argsMatch(w.args, g.args)) reasons.push(`args of ${w.tool}: ${JSON.stringify(g.args)}`);
    }
  }
  if (sent && needSent && turn.kind !== "answer_handoff" && replyLanguage(text) !== lang)
    reasons.push(`language ${replyLanguage(text)}`);
  return { acceptable: reasons.length === 0, silent, actionsOutsideSent, reasons };
}

export interface ScoredTurn {
  scenario: Scenario;
  index: number;
  score: TurnScore;
  decision: TurnOutcome["decision"];
  text: string;
}

export interface Figures {
  conversations: number;
  turns: number;
  acceptable: number;
  acceptableRate: number;
  silent: number;
  held: number;
  actionsOutsideSent: number;
  nonEnglishKnowledge: number;
  nonEnglishKnowledgeAnswered: number;
  nonEnglishKnowledgeRate: number;
}

/** Suite figures over scored turns. */
export function figures(turns: ScoredTurn[]): Figures {
  const acceptable = turns.filter((t) => t.score.acceptable).length;
  const nek = turns.filter((t) => t.scenario.language !== "en" && t.scenario.turns[t.index]?.knowledge === true);
  const nekOk = nek.filter((t) => t.score.acceptable).length;
  return {
    conversations: new Set(turns.map((t) => t.scenario.id)).size,
    turns: turns.length,
    acceptable,
    acceptableRate: turns.length ? acceptable / turns.length : 0,
    silent: turns.filter((t) => t.score.silent).length,
    held: turns.filter((t) => t.decision === "draft").length,
    actionsOutsideSent: turns.reduce((n, t) => n + t.score.actionsOutsideSent, 0),
    nonEnglishKnowledge: nek.length,
    nonEnglishKnowledgeAnswered: nekOk,
    nonEnglishKnowledgeRate: nek.length ? nekOk / nek.length : 0,
  };
}
