/**
 * Execution accuracy of the embedded analytics engine on the gold set (BIRD-style): each
 * question is parsed and compiled, both its SQL and the gold SQL run through the guard on
 * the same synthetic history, and the result sets are compared as multisets of rows
 * (values rounded to 2 decimals, column order ignored). Reports per split × tier ×
 * language; lists the dev half's misses (the held-out half's only with --show-heldout).
 * Run: npm run eval:analytics  (or node evals/analytics/run.ts [--json])
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { demoDb, sqliteExec, WORKSPACE } from "./db.ts";
import { runGuarded, type SqlExec } from "../../workers/analytics/executor.ts";
import { parseQuestion } from "../../workers/analytics/semantic.ts";
import { compile } from "../../workers/analytics/query.ts";

export const GoldSchema = z.object({
  questions: z.array(
    z.object({
      id: z.string(),
      split: z.enum(["dev", "heldout"]),
      tier: z.enum(["simple", "moderate", "challenging"]),
      lang: z.enum(["en", "ru"]),
      question: z.string(),
      sql: z.string(),
    }),
  ),
});
export type Gold = z.infer<typeof GoldSchema>["questions"][number];

export function loadGold(): Gold[] {
  const file = fileURLToPath(new URL("./gold.json", import.meta.url));
  return GoldSchema.parse(JSON.parse(readFileSync(file, "utf8"))).questions;
}

function norm(v: unknown): string {
  if (typeof v === "number") return (Math.round(v * 100) / 100).toFixed(2);
  if (v === null || v === undefined) return "null";
  return String(v);
}

/** Rows as a sorted multiset of sorted value tuples. */
export function resultKey(rows: unknown[][]): string {
  return JSON.stringify(rows.map((r) => r.map(norm).sort().join("\u0001")).sort());
}

export interface Scored {
  id: string;
  split: string;
  tier: string;
  lang: string;
  ok: boolean;
  reason: string;
  parseMs: number;
}

export async function score(exec: SqlExec, gold: Gold[]): Promise<Scored[]> {
  const ctx = { workspaceId: WORKSPACE, role: "analyst" as const };
  const out: Scored[] = [];
  for (const g of gold) {
    const t0 = performance.now();
    const u = parseQuestion(g.question, null);
    const parseMs = performance.now() - t0;
    const base = { id: g.id, split: g.split, tier: g.tier, lang: g.lang, parseMs };
    if (!u.query) {
      out.push({ ...base, ok: false, reason: `refused: ${u.problem ?? ""}` });
      continue;
    }
    try {
      const predicted = await runGuarded(exec, compile(u.query).sql, ctx);
      const expected = await runGuarded(exec, g.sql, ctx);
      const ok = resultKey(predicted.rows) === resultKey(expected.rows);
      out.push({ ...base, ok, reason: ok ? "" : `different result for ${JSON.stringify(u.query)}` });
    } catch (e) {
      out.push({ ...base, ok: false, reason: `error: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return out;
}

export function summarise(rows: Scored[]): Record<string, { n: number; correct: number; accuracy: number }> {
  const groups: Record<string, { n: number; correct: number; accuracy: number }> = {};
  const add = (k: string, ok: boolean) => {
    const g = (groups[k] ??= { n: 0, correct: 0, accuracy: 0 });
    g.n++;
    if (ok) g.correct++;
    g.accuracy = Math.round((g.correct / g.n) * 1000) / 10;
  };
  for (const r of rows) {
    add(r.split, r.ok);
    add(`${r.split}/${r.tier}`, r.ok);
    add(`${r.split}/${r.lang}`, r.ok);
    add("all", r.ok);
  }
  return groups;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const gold = loadGold();
  const db = demoDb();
  const rows = await score(sqliteExec(db), gold);
  const summary = summarise(rows);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify({ summary }, null, 1));
  } else {
    console.log("Analytics gold set — execution accuracy (embedded engine)\n");
    for (const [k, v] of Object.entries(summary).sort())
      console.log(
        `${k.padEnd(26)} ${String(v.correct).padStart(3)}/${String(v.n).padEnd(3)} ${v.accuracy.toFixed(1)} %`,
      );
    const show = process.argv.includes("--show-heldout");
    const misses = rows.filter((r) => !r.ok && (show || r.split === "dev"));
    if (misses.length) console.log("\nMisses:");
    for (const r of misses) {
      const q = gold.find((g) => g.id === r.id);
      console.log(`${r.id} [${r.tier}/${r.lang}] ${q?.question}\n   ${r.reason}`);
    }
  }
}
