/**
 * Retrieval benchmark over the demo FAQ: paraphrased questions (pairs.json) against the
 * chunked, locally embedded FAQ in the SQLite index. Reports recall@5 and MRR for
 * vector-only and hybrid retrieval, and hybrid query latency (embed + search + lookup).
 * Run: node evals/retrieval/run.ts   (Node ≥ 23 strips the types itself)
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { chunkDocument, chunkEmbeddingText } from "../../workers/knowledge/chunk.ts";
import { createLocalEmbedder } from "../../workers/knowledge/embed/local.ts";
import { createSqliteIndex } from "../../workers/knowledge/index/sqlite.ts";
import { parseMarkdown } from "../../workers/knowledge/parse/markdown.ts";
import { hybridRetrieve, type ChunkInfo } from "../../workers/knowledge/retrieve.ts";
import type { Embedder } from "../../workers/knowledge/types.ts";
import { openSqlExec } from "./sqlite-exec.ts";

const FAQ_DIR = fileURLToPath(new URL("../../workers/db/seed/faq/", import.meta.url));
const PAIRS_FILE = fileURLToPath(new URL("./pairs.json", import.meta.url));
const WORKSPACE = "ws_demo";
const TOP_K = 5;

const PairsSchema = z.object({
  pairs: z.array(
    z.object({
      id: z.string(),
      question: z.string(),
      lang: z.string(),
      expected: z.array(z.object({ document: z.string(), contains: z.string() })).min(1),
    }),
  ),
});

export interface ModeResult {
  recallAt5: number;
  mrr: number;
  misses: string[];
}

export interface RetrievalBenchResult {
  /** Hybrid recall@5 over the English pairs (the headline figure). */
  recallAt5: number;
  mrr: number;
  p50Ms: number;
  p99Ms: number;
  pairs: number;
  chunks: number;
  embedder: string;
  vectorOnly: ModeResult;
  hybrid: ModeResult;
  /** Non-English questions against the English FAQ, hybrid. */
  multilingual: ModeResult & { pairs: number };
}

/** Chunks, embeds and indexes the FAQ, then scores every pair. */
export async function runRetrievalBench(embedder: Embedder = createLocalEmbedder()): Promise<RetrievalBenchResult> {
  const { pairs } = PairsSchema.parse(JSON.parse(readFileSync(PAIRS_FILE, "utf8")));
  const sql = openSqlExec();
  const index = createSqliteIndex(sql);
  const chunks = new Map<string, ChunkInfo>();

  for (const file of readdirSync(FAQ_DIR)
    .filter((f) => f.endsWith(".md"))
    .sort()) {
    const documentId = file.replace(/\.md$/, "");
    const doc = await parseMarkdown(new Uint8Array(readFileSync(`${FAQ_DIR}${file}`)));
    const docChunks = chunkDocument(doc);
    const vectors = await embedder.embed(docChunks.map((c) => chunkEmbeddingText(c, doc.title)));
    await index.upsert(
      docChunks.map((c, i) => {
        const chunkId = `${documentId}#${c.ordinal}`;
        chunks.set(chunkId, { chunkId, documentId, documentTitle: doc.title, heading: c.heading, text: c.text });
        return {
          id: chunkId,
          values: vectors[i] ?? new Float32Array(embedder.dimensions),
          namespace: "workspace",
          metadata: { workspaceId: WORKSPACE, documentId, chunkId, category: null },
          text: chunkEmbeddingText(c, doc.title),
        };
      }),
    );
  }
  const lookup = async (ids: string[]): Promise<Map<string, ChunkInfo>> =>
    new Map(
      ids.flatMap((id) => {
        const c = chunks.get(id);
        return c === undefined ? [] : [[id, c] as const];
      }),
    );

  const score = async (subset: typeof pairs, hybrid: boolean, timings?: number[]): Promise<ModeResult> => {
    let hits = 0;
    let reciprocal = 0;
    const misses: string[] = [];
    for (const pair of subset) {
      const started = performance.now();
      const passages = await hybridRetrieve({
        embedder,
        index,
        lookup,
        workspaceId: WORKSPACE,
        query: pair.question,
        topK: TOP_K,
        ...(hybrid ? { keyword: index.keywordSearch } : {}),
      });
      timings?.push(performance.now() - started);
      const rank = passages.findIndex((p) =>
        pair.expected.some((e) => p.documentId === e.document && p.text.includes(e.contains)),
      );
      if (rank >= 0) {
        hits++;
        reciprocal += 1 / (rank + 1);
      } else {
        misses.push(`${pair.id} ${pair.question} → ${passages[0]?.citation ?? "nothing"}`);
      }
    }
    return { recallAt5: round(hits / subset.length), mrr: round(reciprocal / subset.length), misses };
  };

  const english = pairs.filter((p) => p.lang === "en");
  const others = pairs.filter((p) => p.lang !== "en");
  const timings: number[] = [];
  const vectorOnly = await score(english, false);
  const hybrid = await score(english, true, timings);
  const multilingual = { ...(await score(others, true)), pairs: others.length };
  sql.close();

  timings.sort((a, b) => a - b);
  return {
    recallAt5: hybrid.recallAt5,
    mrr: hybrid.mrr,
    p50Ms: round(percentile(timings, 0.5)),
    p99Ms: round(percentile(timings, 0.99)),
    pairs: english.length,
    chunks: chunks.size,
    embedder: embedder.id,
    vectorOnly,
    hybrid,
    multilingual,
  };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runRetrievalBench();
  console.log(JSON.stringify(result, null, 2));
}
