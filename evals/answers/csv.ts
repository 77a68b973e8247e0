/**
 * The scenario suite in the Eval Lab's CSV test-set format (issue 14): `id, message` (the
 * customer turns as a `Customer:` transcript, one per line), `reference_reply, category,
 * outcome, expected_actions` (JSON list of `{tool,args}`), `customer_email, language,
 * tags` (`|`-separated, with the split and the identity). The per-turn fact checks stay
 * in scenarios.json, the sidecar the lab can read by `id`.
 */
import { formatCsv } from "../lib/csv.ts";
import type { Scenario } from "./scenarios.ts";

export const CSV_COLUMNS = [
  "id",
  "message",
  "reference_reply",
  "category",
  "outcome",
  "expected_actions",
  "customer_email",
  "language",
  "tags",
] as const;

/** One CSV (with header) for the given scenarios. */
export function scenariosCsv(scenarios: Scenario[]): string {
  const rows = scenarios.map((s) => [
    s.id,
    s.turns.map((t) => `Customer: ${t.customer.replace(/\s*\n\s*/g, " ")}`).join("\n"),
    s.reference_reply,
    s.category,
    s.outcome,
    JSON.stringify(s.turns.flatMap((t) => t.actions.map((a) => ({ tool: a.tool, args: a.args ?? {} })))),
    s.customer_email,
    s.language,
    [`split:${s.split}`, `identity:${s.identity}`, ...s.tags].join("|"),
  ]);
  return formatCsv([[...CSV_COLUMNS], ...rows]);
}
