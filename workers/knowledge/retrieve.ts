/**
 * Hybrid retrieval: vector similarity and keyword (BM25) rankings merged with
 * reciprocal-rank fusion, first within the conversation's category namespace and then
 * across the whole workspace. RRF needs no score calibration between the two rankers,
 * which matters because cosine and BM25 scores live on unrelated scales.
 */
import type { Embedder, RetrievedPassage, VectorIndex, VectorMatch } from "./types.ts";

/** Keyword search with the SqliteVectorIndex.keywordSearch signature. */
export type KeywordSearch = (
  workspaceId: string,
  q: string,
  topK: number,
  namespace?: string,
) => Promise<VectorMatch[]>;

/** What retrieval needs to know about a chunk to show and cite it. */
export interface ChunkInfo {
  chunkId: string;
  documentId: string;
  documentTitle: string;
  heading: string[];
  text: string;
  page?: number;
}

/** Loads chunks by id (D1 in production, a Map in tests); missing ids are skipped. */
export type ChunkLookup = (chunkIds: string[]) => Promise<Map<string, ChunkInfo>>;

export interface HybridRetrieveInput {
  embedder: Embedder;
  index: VectorIndex;
  /** Omit for vector-only retrieval. */
  keyword?: KeywordSearch;
  lookup: ChunkLookup;
  workspaceId: string;
  /** Category namespace searched first (its matches get a boost); null/undefined = none. */
  category?: string | null;
  query: string;
  topK?: number;
  /** Weight of the keyword rankings relative to the vector ones (default: keywordWeightFor(query)). */
  keywordWeight?: number;
}

/**
 * RRF constant. The textbook 60 assumes rankers of similar quality; here the vector list
 * is the stronger one on paraphrases, and a small k keeps its top ranks decisive while
 * BM25 still lifts exact-term matches (codes, product names). Chosen on bench/retrieval.
 */
const RRF_K = 5;
/** Lists from the category namespace count half again, on top of the workspace lists. */
const CATEGORY_WEIGHT = 0.5;
const CANDIDATES_PER_LIST = 20;
/**
 * Keyword hits count less than vector hits: BM25 over short FAQ chunks rewards any rare
 * word shared with the question ("money", "Visa"), while the embedder already covers
 * exact words; measured on bench/retrieval, BM25 at full weight lowered recall.
 */
export const KEYWORD_WEIGHT = 0.3;
/** Questions quoting a code, number or identifier are what BM25 is for: full weight then. */
export const IDENTIFIER_KEYWORD_WEIGHT = 1.5;

/** Keyword weight for a query: higher when it contains identifier-like tokens ("ZEBRA-4471", "#10234"). */
export function keywordWeightFor(query: string): number {
  return /\p{N}{3,}|\b\p{Lu}{2,}[-_]?\p{N}|\b[\p{L}]+[-_]\p{N}+/u.test(query)
    ? IDENTIFIER_KEYWORD_WEIGHT
    : KEYWORD_WEIGHT;
}

/**
 * Returns the top passages for a question, best first. `score` is the fused RRF score
 * (comparable between results of one call, not across calls).
 */
export async function hybridRetrieve(input: HybridRetrieveInput): Promise<RetrievedPassage[]> {
  const topK = input.topK ?? 5;
  const query = input.query.trim();
  if (query === "" || topK <= 0) return [];
  const [vector] = await input.embedder.embed([query]);
  if (vector === undefined) return [];

  const candidates = Math.max(CANDIDATES_PER_LIST, topK * 2);
  const category = input.category ?? undefined;
  const lists: Array<Promise<{ weight: number; matches: VectorMatch[] }>> = [];
  const addList = (weight: number, run: () => Promise<VectorMatch[]>): void => {
    lists.push(run().then((matches) => ({ weight, matches })));
  };

  addList(1, () => input.index.query(vector, { workspaceId: input.workspaceId, topK: candidates }));
  if (input.keyword !== undefined) {
    const keyword = input.keyword;
    const kw = input.keywordWeight ?? keywordWeightFor(query);
    addList(kw, () => keyword(input.workspaceId, query, candidates));
    if (category !== undefined)
      addList(kw * CATEGORY_WEIGHT, () => keyword(input.workspaceId, query, candidates, category));
  }
  if (category !== undefined) {
    addList(CATEGORY_WEIGHT, () =>
      input.index.query(vector, { workspaceId: input.workspaceId, namespace: category, topK: candidates }),
    );
  }

  const results = await Promise.all(lists);
  const fused = fuseRankings(results);
  const chunkIdOf = new Map<string, string>();
  for (const list of results) for (const m of list.matches) chunkIdOf.set(m.id, m.metadata.chunkId);

  // Over-fetch: a vector whose chunk was deleted in D1 is skipped, not returned empty, and
  // passages written in another script than the question drop behind same-script ones.
  const head = fused.slice(0, topK * 3);
  const chunks = await input.lookup(head.map((f) => chunkIdOf.get(f.id) ?? f.id));
  const script = scriptOf(query);
  const ranked = head
    .map(({ id, score }) => {
      const info = chunks.get(chunkIdOf.get(id) ?? id);
      const same = info === undefined || scriptOf(info.text) === script;
      return { id, score: same ? score : score * OTHER_SCRIPT_WEIGHT };
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const passages: RetrievedPassage[] = [];
  for (const { id, score } of ranked) {
    const info = chunks.get(chunkIdOf.get(id) ?? id);
    if (info === undefined) continue;
    passages.push({
      chunkId: info.chunkId,
      documentId: info.documentId,
      documentTitle: info.documentTitle,
      heading: info.heading,
      text: info.text,
      score,
      citation: formatCitation(info),
    });
    if (passages.length === topK) break;
  }
  return passages;
}

/**
 * A passage in another script than the question (a Russian FAQ page for an English
 * question) still counts — the concept lexicon makes it relevant — but ranks behind
 * passages the customer can read.
 */
export const OTHER_SCRIPT_WEIGHT = 0.6;

/** The dominant script of a text: Hebrew, Cyrillic or Latin. */
export function scriptOf(text: string): "he" | "cyrl" | "latn" {
  const he = text.match(/[\u0590-\u05ff]/g)?.length ?? 0;
  const cy = text.match(/[\u0400-\u04ff]/g)?.length ?? 0;
  const la = text.match(/[A-Za-z\u00c0-\u024f]/g)?.length ?? 0;
  if (he > cy && he > la * 0.5) return "he";
  if (cy > he && cy > la * 0.5) return "cyrl";
  return "latn";
}

/** Reciprocal-rank fusion: Σ weight / (k + rank) over every list an id appears in. */
export function fuseRankings(
  lists: Array<{ weight: number; matches: VectorMatch[] }>,
): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const { weight, matches } of lists) {
    matches.forEach((m, rank) => scores.set(m.id, (scores.get(m.id) ?? 0) + weight / (RRF_K + rank + 1)));
  }
  return [...scores.entries()]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * "Document title › Section › Subsection (p. 3)". A heading equal to the title is not
 * repeated, so "Shipping › Shipping › Tracking" never appears.
 */
export function formatCitation(info: Pick<ChunkInfo, "documentTitle" | "heading" | "page">): string {
  const heading = info.heading[0] === info.documentTitle ? info.heading.slice(1) : info.heading;
  const base = [info.documentTitle, ...heading].join(" › ");
  return info.page === undefined ? base : `${base} (p. ${info.page})`;
}
