/**
 * The six context layers of seed 000 §6 as data: the shapes of the entries stored per
 * workspace (layers 1–5; layer 6 is read live from D1), what they contribute to the
 * embedded parser (phrases) and the text they give the LLM path.
 */
import { z } from "zod";
import { EXPOSED } from "./exposure.ts";
import { METRICS, sourceJoin } from "./catalogue.ts";
import type { LearnedPhrase } from "./semantic.ts";

export const LAYER_NAMES = ["schema", "metrics", "patterns", "documentation", "learnings", "live_schema"] as const;
export type LayerName = (typeof LAYER_NAMES)[number];

export const ColumnNote = z.object({
  table: z.string().max(60),
  column: z.string().max(60),
  note: z.string().max(500),
});
export const MetricOverride = z.object({
  metric: z.string().max(60),
  synonyms: z.array(z.string().min(2).max(80)).max(30).default([]),
  label: z.string().max(80).optional(),
  description: z.string().max(500).optional(),
});
export const QueryPattern = z.object({ question: z.string().min(3).max(500), sql: z.string().min(6).max(8000) });
export const DocumentEntry = z.object({ title: z.string().min(1).max(200), text: z.string().min(1).max(4000) });
export const Learning = z.object({
  note: z.string().max(1000).default(""),
  question: z.string().max(500).optional(),
  phrase: z.string().min(2).max(80).optional(),
  metric: z.string().max(60).optional(),
  dimension: z.string().max(40).optional(),
  error: z.string().max(500).optional(),
  sql: z.string().max(8000).optional(),
});

export const LayerEntryInput = z.discriminatedUnion("layer", [
  z.object({ layer: z.literal(1), content: ColumnNote }),
  z.object({ layer: z.literal(2), content: MetricOverride }),
  z.object({ layer: z.literal(3), content: QueryPattern }),
  z.object({ layer: z.literal(4), content: DocumentEntry }),
  z.object({ layer: z.literal(5), content: Learning }),
]);
export type LayerEntryInput = z.infer<typeof LayerEntryInput>;

export interface StoredEntry {
  id: string;
  layer: number;
  key: string;
  content: Record<string, unknown>;
  status: "proposed" | "approved" | "rejected";
}

/** Approved entries, parsed; an entry that no longer validates is skipped, not trusted. */
export interface ActiveLayers {
  notes: Array<z.infer<typeof ColumnNote>>;
  overrides: Array<z.infer<typeof MetricOverride>>;
  patterns: Array<z.infer<typeof QueryPattern> & { id: string }>;
  documents: Array<z.infer<typeof DocumentEntry>>;
  learnings: Array<z.infer<typeof Learning> & { id: string }>;
}

export function activeLayers(entries: StoredEntry[]): ActiveLayers {
  const out: ActiveLayers = { notes: [], overrides: [], patterns: [], documents: [], learnings: [] };
  for (const e of entries) {
    if (e.status !== "approved") continue;
    if (e.layer === 1) {
      const p = ColumnNote.safeParse(e.content);
      if (p.success) out.notes.push(p.data);
    } else if (e.layer === 2) {
      const p = MetricOverride.safeParse(e.content);
      if (p.success) out.overrides.push(p.data);
    } else if (e.layer === 3) {
      const p = QueryPattern.safeParse(e.content);
      if (p.success) out.patterns.push({ ...p.data, id: e.id });
    } else if (e.layer === 4) {
      const p = DocumentEntry.safeParse(e.content);
      if (p.success) out.documents.push(p.data);
    } else if (e.layer === 5) {
      const p = Learning.safeParse(e.content);
      if (p.success) out.learnings.push({ ...p.data, id: e.id });
    }
  }
  return out;
}

/** Phrases the embedded parser learns from layers 2 (synonyms) and 5 (approved learnings). */
export function learnedPhrases(l: ActiveLayers): { phrases: LearnedPhrase[]; fromLearnings: Set<string> } {
  const phrases: LearnedPhrase[] = [];
  const fromLearnings = new Set<string>();
  for (const o of l.overrides) for (const s of o.synonyms) phrases.push({ phrase: s, metric: o.metric });
  for (const x of l.learnings) {
    if (!x.phrase || (!x.metric && !x.dimension)) continue;
    phrases.push({ phrase: x.phrase, metric: x.metric, dimension: x.dimension });
    fromLearnings.add(x.phrase);
  }
  return { phrases, fromLearnings };
}

export function normaliseQuestion(q: string): string {
  return q
    .toLowerCase()
    .replaceAll("ё", "е")
    .replace(/[^\p{L}\p{N}%]+/gu, " ")
    .trim();
}

/** The six layers as prompt text for the LLM path. */
export function contextText(l: ActiveLayers, categories: Array<{ key: string; name: string }>, live: string[]): string {
  const schema = EXPOSED.map((t) => {
    const cols = t.columns
      .map((c) => {
        const note = l.notes.find((n) => n.table === t.name && n.column === c.name)?.note;
        const values = c.values ? ` [${c.values.join(", ")}]` : "";
        return `  - ${c.name}: ${c.description}${values}${note ? ` (${note})` : ""}`;
      })
      .join("\n");
    return `${t.name}: ${t.description}\n${cols}`;
  }).join("\n");
  const metrics = METRICS.map((m) => {
    const o = l.overrides.find((x) => x.metric === m.key);
    const join = sourceJoin(m.source);
    return `- ${m.key} (${o?.label ?? m.label.en}; ${m.unit}): ${m.expr} FROM conversations c${join ? ` ${join}` : ""}${m.where ? ` WHERE ${m.where}` : ""}. ${o?.description ?? m.description}`;
  }).join("\n");
  const patterns = l.patterns.map((p) => `Q: ${p.question}\nSQL: ${p.sql}`).join("\n\n") || "(none yet)";
  const docs = [
    `Categories: ${categories.map((c) => `${c.key} = ${c.name}`).join("; ")}`,
    ...l.documents.map((d) => `${d.title}: ${d.text}`),
  ].join("\n");
  const learnings =
    l.learnings
      .map((x) =>
        [x.note, x.error ? `error: ${x.error}` : "", x.sql ? `fix: ${x.sql}` : ""].filter(Boolean).join(" — "),
      )
      .join("\n") || "(none yet)";
  return [
    "## 1. Tables and columns (only these exist; times are epoch milliseconds)",
    schema,
    "## 2. Metric catalogue (prefer these expressions)",
    metrics,
    "## 3. Validated query patterns",
    patterns,
    "## 4. Documentation",
    docs,
    "## 5. Learnings from earlier mistakes",
    learnings,
    "## 6. Live schema",
    live.join("\n") || "(not available)",
  ].join("\n\n");
}
