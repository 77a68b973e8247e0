/**
 * Condition checks shared by flow condition nodes and automation rules: one comparison
 * vocabulary (eq, neq, contains, gt, lt, exists, not_exists, in) over strings, with
 * numbers compared as numbers when both sides parse.
 */
import type { Condition, FlowLanguage } from "../protocol/flows.ts";
import type { Vars } from "./template.ts";

export interface ConditionFacts {
  channel: string;
  language: FlowLanguage | null;
  category: string | null;
  urgency: string | null;
  contact: Readonly<Record<string, string>>;
  businessHoursOpen: boolean;
}

type Op = Condition["op"];

/** Compares `actual` (null = absent) with `expected` under `op`. */
export function compare(op: Op, actual: string | null, expected: string): boolean {
  const a = actual ?? "";
  switch (op) {
    case "exists":
      return actual !== null && a !== "";
    case "not_exists":
      return actual === null || a === "";
    case "eq":
      return a.toLowerCase() === expected.toLowerCase();
    case "neq":
      return a.toLowerCase() !== expected.toLowerCase();
    case "contains":
      return a.toLowerCase().includes(expected.toLowerCase());
    case "in":
      return expected
        .split(",")
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
        .includes(a.toLowerCase());
    case "gt":
    case "lt": {
      const x = Number(a);
      const y = Number(expected);
      if (a === "" || !Number.isFinite(x) || !Number.isFinite(y)) return false;
      return op === "gt" ? x > y : x < y;
    }
  }
}

/** One condition of a flow's condition node; `render` fills `{{variables}}` in the compared value. */
export function evaluateCondition(
  c: Condition,
  facts: ConditionFacts & { vars: Vars },
  render: (template: string) => string,
): boolean {
  const expected = render(c.value);
  let actual: string | null;
  switch (c.subject) {
    case "variable":
      actual = facts.vars[c.key ?? ""] ?? null;
      break;
    case "contact":
      actual = facts.contact[c.key ?? ""] ?? null;
      break;
    case "channel":
      actual = facts.channel;
      break;
    case "language":
      actual = facts.language;
      break;
    case "business_hours":
      actual = facts.businessHoursOpen ? "open" : "closed";
      break;
    case "category":
      actual = facts.category;
      break;
    case "urgency":
      actual = facts.urgency;
      break;
  }
  return compare(c.op, actual, expected);
}
