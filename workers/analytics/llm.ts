/**
 * The LLM path: the six layers as context, the question, and a repair loop — the model's
 * SQL goes through the guard and the database; on a refusal or an error the model gets
 * the message and tries again, at most `maxRetries` times. A success after a failure
 * yields a learning (the error and the fix) for an analyst to approve.
 */
import { chatWithFallback, type ProviderTarget } from "../ai/providers/resilient.ts";
import type { ChatMessage } from "../ai/providers/types.ts";
import { GuardRefusal } from "./guard.ts";
import { ExecutionError, type ExecutedQuery } from "./executor.ts";

export interface Attempt {
  sql: string;
  error: string | null;
}

export type LlmOutcome =
  | { ok: true; result: ExecutedQuery; attempts: Attempt[]; learning: { error: string; sql: string } | null }
  | { ok: false; attempts: Attempt[]; reason: string };

const SYSTEM = [
  "You write one SQLite SELECT statement (WITH … SELECT allowed) answering an analyst's question about a customer-support platform.",
  "Use only the tables and columns listed; prefer the metric catalogue's expressions; alias conversations as c.",
  "Times are epoch milliseconds: compare with unixepoch('now', '-7 days') * 1000 and format with strftime(..., created_at / 1000, 'unixepoch').",
  "No PRAGMA, no writes, no recursive CTEs, every JOIN with ON. Answer with the SQL in one ```sql block and nothing else.",
  "If the question cannot be answered from these tables, answer exactly: CANNOT_ANSWER: <short reason>.",
].join("\n");

/** The SQL in a reply (a ```sql block, else the whole text), or a refusal. */
export function extractSql(reply: string): { sql: string } | { cannot: string } {
  const cannot = /CANNOT_ANSWER:\s*(.*)/i.exec(reply);
  if (cannot) return { cannot: (cannot[1] ?? "").trim().slice(0, 300) };
  const block = /```(?:sql)?\s*([\s\S]*?)```/i.exec(reply);
  return { sql: (block?.[1] ?? reply).trim() };
}

export async function llmAnswer(
  targets: ProviderTarget[],
  question: string,
  context: string,
  run: (sql: string) => Promise<ExecutedQuery>,
  maxRetries = 2,
): Promise<LlmOutcome> {
  const messages: ChatMessage[] = [
    { role: "system", content: `${SYSTEM}\n\n${context}` },
    { role: "user", content: question },
  ];
  const attempts: Attempt[] = [];
  for (let i = 0; i <= maxRetries; i++) {
    const { response } = await chatWithFallback(targets, {
      model: targets[0]?.model ?? "",
      messages,
      temperature: 0,
      maxTokens: 800,
    });
    const got = extractSql(response.text);
    if ("cannot" in got)
      return { ok: false, attempts, reason: got.cannot || "The model could not answer from the data." };
    try {
      const result = await run(got.sql);
      attempts.push({ sql: got.sql, error: null });
      const failed = attempts.find((a) => a.error !== null);
      return {
        ok: true,
        result,
        attempts,
        learning: failed?.error ? { error: failed.error, sql: result.sql } : null,
      };
    } catch (err) {
      if (!(err instanceof GuardRefusal || err instanceof ExecutionError)) throw err;
      attempts.push({ sql: got.sql, error: err.message });
      messages.push({ role: "assistant", content: response.text });
      messages.push({
        role: "user",
        content: `That query failed: ${err.message}\nFix it and answer with the corrected SQL only.`,
      });
    }
  }
  return { ok: false, attempts, reason: attempts[attempts.length - 1]?.error ?? "The model's SQL kept failing." };
}
