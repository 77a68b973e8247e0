/**
 * Column mapping and row validation for test-set imports: which CSV header feeds which
 * canonical column (explicit mapping first, then the header's own name and a few common
 * synonyms), and one CSV record → one EvalCase or the per-column reasons it is refused.
 * Pure: the API streams records through `rowToCase` and keeps only the first errors.
 */
import { CATEGORY_KEYS, LANGUAGES } from "../lib/categories.ts";
import {
  CANONICAL_COLUMNS,
  ExpectedAction,
  OUTCOMES,
  REQUIRED_COLUMNS,
  type CanonicalColumn,
  type ColumnMapping,
  type EvalCase,
  type ImportIssue,
} from "../protocol/evals.ts";

const SYNONYMS: Record<CanonicalColumn, string[]> = {
  id: ["id", "ticket_id", "ticket", "case_id"],
  message: ["message", "customer_message", "transcript", "question", "text"],
  reference_reply: ["reference_reply", "reference", "agent_reply", "answer", "expected_reply"],
  category: ["category", "label", "intent"],
  outcome: ["outcome", "result", "resolution"],
  expected_actions: ["expected_actions", "actions", "gold_actions"],
  customer_email: ["customer_email", "email"],
  language: ["language", "lang", "locale"],
  tags: ["tags", "labels"],
};

const norm = (h: string) =>
  h
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/** canonical column → index in the header, or the mapping problems. */
export type ResolvedMapping = Partial<Record<CanonicalColumn, number>>;

export function resolveMapping(
  header: string[],
  explicit: ColumnMapping = {},
): { mapping: ResolvedMapping; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const mapping: ResolvedMapping = {};
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    if (!byName.has(norm(h))) byName.set(norm(h), i);
  });
  for (const col of CANONICAL_COLUMNS) {
    const wanted = explicit[col];
    if (wanted !== undefined) {
      const i = header.indexOf(wanted);
      const j = i >= 0 ? i : (byName.get(norm(wanted)) ?? -1);
      if (j < 0) issues.push({ row: 0, column: col, message: `Mapped header "${wanted}" is not in the file` });
      else mapping[col] = j;
      continue;
    }
    const found = SYNONYMS[col].map((s) => byName.get(s)).find((i) => i !== undefined);
    if (found !== undefined) mapping[col] = found;
  }
  for (const col of REQUIRED_COLUMNS)
    if (mapping[col] === undefined && !issues.some((i) => i.column === col))
      issues.push({ row: 0, column: col, message: `Required column "${col}" is missing (map it to a header)` });
  return { mapping, issues };
}

function parseTags(raw: string): string[] {
  const t = raw.trim();
  if (!t) return [];
  if (t.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string").slice(0, 20);
    } catch {
      // fall through to the separated form
    }
  }
  return t
    .split(/[;,|]/)
    .map((x) => x.trim())
    .filter(Boolean)
    .slice(0, 20);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One record → a case, or the reasons (row, column, message) it cannot be imported. */
export function rowToCase(
  row: number,
  fields: string[],
  mapping: ResolvedMapping,
): { ok: true; value: EvalCase } | { ok: false; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const get = (c: CanonicalColumn): string => {
    const i = mapping[c];
    return i === undefined ? "" : (fields[i] ?? "");
  };
  const bad = (column: CanonicalColumn, message: string) => issues.push({ row, column, message });
  const id = get("id").trim();
  if (!id) bad("id", "id is empty");
  else if (id.length > 200) bad("id", "id is longer than 200 characters");
  const message = get("message");
  if (!message.trim()) bad("message", "message is empty");
  const category = get("category").trim().toLowerCase();
  const categoryKey = CATEGORY_KEYS.find((k) => k === category) ?? null;
  if (category && !categoryKey) bad("category", `unknown category "${category.slice(0, 40)}"`);
  const outcome = get("outcome").trim().toLowerCase();
  const outcomeKey = OUTCOMES.find((k) => k === outcome) ?? null;
  if (outcome && !outcomeKey) bad("outcome", `outcome must be one of ${OUTCOMES.join(", ")}`);
  const language = get("language").trim().toLowerCase().slice(0, 2);
  const lang = LANGUAGES.find((k) => k === language) ?? null;
  if (language && !lang) bad("language", `language must be one of ${LANGUAGES.join(", ")}`);
  const email = get("customer_email").trim().toLowerCase();
  if (email && !EMAIL.test(email)) bad("customer_email", "not an email address");
  let expectedActions: EvalCase["expectedActions"] = null;
  const rawActions = get("expected_actions").trim();
  if (rawActions) {
    try {
      const parsed = ExpectedAction.array().max(10).safeParse(JSON.parse(rawActions));
      if (parsed.success) expectedActions = parsed.data;
      else bad("expected_actions", 'expected_actions must be a JSON list of {"tool", "args"}');
    } catch {
      bad("expected_actions", "expected_actions is not valid JSON");
    }
  }
  if (issues.length) return { ok: false, issues };
  const reference = get("reference_reply");
  return {
    ok: true,
    value: {
      id,
      message,
      referenceReply: reference.trim() ? reference : null,
      category: categoryKey,
      outcome: outcomeKey,
      expectedActions,
      customerEmail: email || null,
      language: lang,
      tags: parseTags(get("tags")),
    },
  };
}

/** One turn of a transcript. */
export interface TranscriptTurn {
  role: "customer" | "agent";
  text: string;
}

const TURN = /^\s*(customer|client|user|agent|operator|bot|assistant)\s*:\s?/i;

/**
 * A message is either one customer message or a whole transcript with one
 * `Customer:` / `Agent:` turn per line (continuation lines belong to the turn above).
 */
export function transcriptTurns(message: string): TranscriptTurn[] {
  const lines = message.split(/\r?\n/);
  if (!lines.some((l) => TURN.test(l))) return [{ role: "customer", text: message.trim() }];
  const turns: TranscriptTurn[] = [];
  for (const line of lines) {
    const m = TURN.exec(line);
    if (m?.[1]) {
      const who = m[1].toLowerCase();
      turns.push({
        role: who === "customer" || who === "client" || who === "user" ? "customer" : "agent",
        text: line.slice(m[0].length),
      });
    } else if (turns.length && line.trim()) {
      const last = turns[turns.length - 1];
      if (last) last.text += `\n${line}`;
    } else if (!turns.length && line.trim()) turns.push({ role: "customer", text: line });
  }
  return turns.map((t) => ({ ...t, text: t.text.trim() })).filter((t) => t.text);
}
