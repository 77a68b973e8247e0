/**
 * Cross-customer learnings, the pure part (issue 20, Memory 3): PII stripping, clustering
 * of unanswered questions by their stemmed content words, and the words operators keep
 * adding to / removing from the AI's drafts per category.
 *
 * Clustering is by normalised text (the knowledge index's own stemmer and stop words),
 * not by embeddings: a cluster's key must be stable between runs (the same pattern found
 * again updates one proposal) and explainable to an admin as the words the questions share.
 * Greedy single-pass grouping is enough for the tens to hundreds of questions a workspace
 * gathers between runs.
 */
import { isStopWord, stem, wordTokens } from "../knowledge/embed/text.ts";

/** Questions (or corrections) a pattern needs before it becomes a proposal. */
export const DEFAULT_MIN_OCCURRENCES = 3;
/** Token-set similarity for two questions to count as the same question. */
const SAME_QUESTION = 0.5;
/** A sent reply this far from the draft (Jaccard of content stems) counts as a correction. */
const CORRECTED_BELOW = 0.5;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
const URL = /\bhttps?:\/\/\S+/giu;
// Phone numbers, card and order numbers, codes: any run of 4+ digits with separators.
const NUMBER = /\+?\d[\d\s().-]{2,}\d/g;

/**
 * Removes what identifies a customer: emails, links, phone/order/card numbers, and the
 * given names (the contacts' own names and emails). What is left is the question's shape.
 */
export function stripPii(text: string, names: Array<string | null | undefined> = []): string {
  let out = text.replace(EMAIL, "[email]").replace(URL, "[link]").replace(NUMBER, "[number]");
  for (const n of names) {
    for (const part of (n ?? "").split(/\s+/).filter((p) => p.length >= 2)) {
      const esc = part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${esc}(?![\\p{L}\\p{N}])`, "giu"), "[name]");
    }
  }
  return out.replace(/\s+/g, " ").trim().slice(0, 300);
}

/** Stemmed content words (no stop words, no placeholders). */
export function contentStems(text: string): string[] {
  const seen = new Set<string>();
  for (const t of wordTokens(text.replace(/\[(?:email|link|number|name)\]/g, " "))) {
    if (isStopWord(t) || /^\d+$/.test(t)) continue;
    seen.add(stem(t));
  }
  return [...seen];
}

/** stem → the first word seen with it, so admins read words, not stems ("damaged", not "damag"). */
export function surfaceWords(texts: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of texts)
    for (const w of wordTokens(t.replace(/\[(?:email|link|number|name)\]/g, " ")))
      if (!isStopWord(w) && !out.has(stem(w))) out.set(stem(w), w);
  return out;
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const y = new Set(b);
  const both = a.filter((x) => y.has(x)).length;
  return both / (a.length + y.size - both);
}

export interface QuestionItem {
  contactId: string;
  conversationId: string;
  /** Already PII-stripped. */
  text: string;
}

export interface QuestionCluster {
  /** Stems shared by most questions, sorted: the cluster's stable key. */
  signature: string;
  /** The same, as words. */
  title: string;
  items: QuestionItem[];
}

/**
 * Groups questions that ask the same thing; keeps clusters asked by at least `min`
 * different customers (one customer asking five times is not a pattern).
 */
export function clusterQuestions(items: QuestionItem[], min = DEFAULT_MIN_OCCURRENCES): QuestionCluster[] {
  const groups: Array<{ stems: string[]; items: QuestionItem[]; all: string[][] }> = [];
  for (const item of items) {
    const stems = contentStems(item.text);
    if (stems.length === 0) continue;
    const g = groups.find((x) => jaccard(x.stems, stems) >= SAME_QUESTION);
    if (g) {
      g.items.push(item);
      g.all.push(stems);
    } else groups.push({ stems, items: [item], all: [stems] });
  }
  return groups
    .filter((g) => new Set(g.items.map((i) => i.contactId)).size >= min)
    .map((g) => {
      const counts = new Map<string, number>();
      for (const s of g.all) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
      // Words in at least half the questions: what they share, never one customer's phrasing.
      const shared = [...counts]
        .filter(([, n]) => n * 2 >= g.all.length)
        .map(([w]) => w)
        .sort();
      const key = (shared.length ? shared : g.stems.slice().sort()).slice(0, 8);
      const words = surfaceWords(g.items.map((i) => i.text));
      return { signature: key.join(" "), title: key.map((k) => words.get(k) ?? k).join(" "), items: g.items };
    })
    .sort((a, b) => b.items.length - a.items.length);
}

export interface CorrectionItem {
  contactId: string;
  conversationId: string;
  category: string;
  draft: string;
  sent: string;
}

export interface CorrectionPattern {
  category: string;
  /** Stems operators add to drafts (in at least half the corrections), and remove. */
  added: string[];
  removed: string[];
  items: CorrectionItem[];
}

export function isCorrection(draft: string, sent: string): boolean {
  return jaccard(contentStems(draft), contentStems(sent)) < CORRECTED_BELOW;
}

/** Per category: the drafts operators rewrote, and the words they keep adding and removing. */
export function correctionPatterns(items: CorrectionItem[], min = DEFAULT_MIN_OCCURRENCES): CorrectionPattern[] {
  const byCategory = new Map<string, CorrectionItem[]>();
  for (const i of items)
    if (isCorrection(i.draft, i.sent)) byCategory.set(i.category, [...(byCategory.get(i.category) ?? []), i]);
  const out: CorrectionPattern[] = [];
  for (const [category, list] of byCategory) {
    if (new Set(list.map((i) => i.contactId)).size < min) continue;
    const added = new Map<string, number>();
    const removed = new Map<string, number>();
    for (const i of list) {
      const d = new Set(contentStems(i.draft));
      const s = new Set(contentStems(i.sent));
      for (const w of s) if (!d.has(w)) added.set(w, (added.get(w) ?? 0) + 1);
      for (const w of d) if (!s.has(w)) removed.set(w, (removed.get(w) ?? 0) + 1);
    }
    const common = (m: Map<string, number>) =>
      [...m]
        .filter(([, n]) => n * 2 >= list.length)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 10)
        .map(([w]) => w);
    const words = surfaceWords(list.flatMap((i) => [i.draft, i.sent]));
    const named = (m: Map<string, number>) => common(m).map((k) => words.get(k) ?? k);
    out.push({ category, added: named(added), removed: named(removed), items: list });
  }
  return out;
}
