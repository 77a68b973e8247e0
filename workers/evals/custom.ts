/**
 * Custom evaluators an admin adds without code: a regex, a keyword list, or a small
 * JSON rule set over the case's fields. Definitions are validated with zod at the API;
 * patterns are length-capped and run on a capped reply, so a rule cannot stall a batch.
 */
import { z } from "zod";
import type { Score } from "../protocol/evals.ts";
import type { CaseExecution } from "./evaluators.ts";

const RegexRule = z.object({
  kind: z.literal("regex"),
  pattern: z
    .string()
    .min(1)
    .max(200)
    .refine((p) => {
      try {
        new RegExp(p, "iu");
        return true;
      } catch {
        return false;
      }
    }, "not a valid regular expression"),
  /** true: the reply must match; false: it must not. */
  mustMatch: z.boolean().default(true),
});

const KeywordRule = z.object({
  kind: z.literal("keyword"),
  keywords: z.array(z.string().min(1).max(100)).min(1).max(50),
  mode: z.enum(["any", "all", "none"]).default("any"),
});

const FIELDS = ["reply", "category", "routed_category", "gate", "tools", "language"] as const;
const JsonRule = z.object({
  field: z.enum(FIELDS),
  op: z.enum(["equals", "not_equals", "contains", "not_contains", "in", "max_length"]),
  value: z.union([z.string().max(500), z.number(), z.array(z.string().max(100)).max(50)]),
});
const JsonRules = z.object({
  kind: z.literal("json"),
  rules: z.array(JsonRule).min(1).max(20),
  /** all: every rule must hold; any: one is enough. */
  combine: z.enum(["all", "any"]).default("all"),
});

export const CustomEvaluatorDef = z.discriminatedUnion("kind", [RegexRule, KeywordRule, JsonRules]);
export type CustomEvaluatorDef = z.infer<typeof CustomEvaluatorDef>;

const MAX_TEXT = 8000;

function fieldOf(x: CaseExecution, f: (typeof FIELDS)[number]): string | string[] {
  switch (f) {
    case "reply":
      return (x.draft || x.reply).slice(0, MAX_TEXT);
    case "category":
      return x.case.category ?? "";
    case "routed_category":
      return x.routedCategory ?? "";
    case "gate":
      return x.gateDecision;
    case "tools":
      return x.proposed.map((p) => p.tool);
    case "language":
      return x.case.language ?? "";
  }
}

function holds(rule: z.infer<typeof JsonRule>, x: CaseExecution): boolean {
  const v = fieldOf(x, rule.field);
  const text = Array.isArray(v) ? v.join(" ") : v;
  const want = rule.value;
  switch (rule.op) {
    case "equals":
      return text === String(want);
    case "not_equals":
      return text !== String(want);
    case "contains":
      return Array.isArray(v) ? v.includes(String(want)) : text.toLowerCase().includes(String(want).toLowerCase());
    case "not_contains":
      return Array.isArray(v) ? !v.includes(String(want)) : !text.toLowerCase().includes(String(want).toLowerCase());
    case "in":
      return Array.isArray(want) && want.includes(text);
    case "max_length":
      return typeof want === "number" && text.length <= want;
  }
}

/** Scores one case with one custom evaluator; its score is named `custom:<name>`. */
export function runCustom(name: string, def: CustomEvaluatorDef, x: CaseExecution): Score {
  const reply = (x.draft || x.reply).slice(0, MAX_TEXT);
  const id = `custom:${name}`;
  if (def.kind === "regex") {
    const matched = new RegExp(def.pattern, "iu").test(reply);
    const pass = matched === def.mustMatch;
    return {
      name: id,
      pass,
      value: pass ? 1 : 0,
      rationale: `${matched ? "matches" : "does not match"} /${def.pattern}/`,
    };
  }
  if (def.kind === "keyword") {
    const low = reply.toLowerCase();
    const found = def.keywords.filter((k) => low.includes(k.toLowerCase()));
    const pass =
      def.mode === "any" ? found.length > 0 : def.mode === "all" ? found.length === def.keywords.length : !found.length;
    return { name: id, pass, value: pass ? 1 : 0, rationale: `found: ${found.join(", ") || "none"} (${def.mode})` };
  }
  const results = def.rules.map((r) => holds(r, x));
  const pass = def.combine === "all" ? results.every(Boolean) : results.some(Boolean);
  const failed = def.rules.filter((_, i) => !results[i]).map((r) => `${r.field} ${r.op} ${JSON.stringify(r.value)}`);
  return {
    name: id,
    pass,
    value: results.filter(Boolean).length / results.length,
    rationale: failed.length ? `failed: ${failed.join("; ")}` : "all rules hold",
  };
}
