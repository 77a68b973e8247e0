/**
 * Which flow starts a conversation: every active published flow's triggers are checked
 * against what the room knows at the customer's first message (its text, the widget page,
 * the channel, the router's category, after hours); the highest priority match wins, ties
 * going to the more specific trigger (keyword, page, category, channel, after hours, then
 * plain "first message"). No match: the AI agent answers as before.
 */
import type { FlowGraph, FlowTrigger } from "../protocol/flows.ts";

export interface TriggerFacts {
  text: string;
  pageUrl: string | null;
  channel: string;
  category: string | null;
  afterHours: boolean;
}

export interface CandidateFlow {
  id: string;
  version: number;
  graph: FlowGraph;
}

const SPECIFICITY: Record<FlowTrigger["kind"], number> = {
  keyword: 5,
  page: 4,
  category: 3,
  channel: 2,
  after_hours: 1,
  first_message: 0,
};

export function triggerMatches(t: FlowTrigger, f: TriggerFacts): boolean {
  switch (t.kind) {
    case "first_message":
      return true;
    case "keyword": {
      const text = f.text.toLowerCase();
      return t.keywords.some((k) => text.includes(k.toLowerCase()));
    }
    case "page":
      return f.pageUrl !== null && f.pageUrl.includes(t.urlContains);
    case "channel":
      return f.channel === t.channel;
    case "category":
      return f.category === t.category;
    case "after_hours":
      return f.afterHours;
  }
}

/** The flow to start, or null. */
export function selectFlow<T extends CandidateFlow>(flows: readonly T[], f: TriggerFacts): T | null {
  let best: { flow: T; score: number } | null = null;
  for (const flow of flows) {
    const matched = flow.graph.triggers.filter((t) => triggerMatches(t, f));
    if (matched.length === 0) continue;
    const score = flow.graph.priority * 10 + Math.max(...matched.map((t) => SPECIFICITY[t.kind]));
    if (!best || score > best.score) best = { flow, score };
  }
  return best?.flow ?? null;
}
