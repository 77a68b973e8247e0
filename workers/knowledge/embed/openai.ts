/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM, Ollama,
 * an AI Gateway route…). `fetch` is injected so tests and Workers pass their own.
 */
import { z } from "zod";
import type { Embedder } from "../types.ts";
import { EmbeddingError, embedInBatches } from "./batch.ts";

export interface OpenAiEmbedderOptions {
  /** Base URL up to and including `/v1`, e.g. "https://api.openai.com/v1". */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Vector size the model returns (e.g. 1536 for text-embedding-3-small). */
  dimensions: number;
  /** Ask the model to shorten its vectors (text-embedding-3 models support this). */
  requestDimensions?: boolean;
  batchSize?: number;
  fetchFn?: typeof fetch;
}

const ResponseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative() })),
});

/** Creates an embedder over an OpenAI-compatible HTTP API. */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const fetchFn = options.fetchFn ?? fetch;
  const url = `${options.baseUrl.replace(/\/+$/, "")}/embeddings`;
  return {
    id: `openai:${options.model}`,
    dimensions: options.dimensions,
    embed: (texts) =>
      embedInBatches(texts, options.batchSize ?? 100, async (batch) => {
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
        const body: Record<string, unknown> = { model: options.model, input: batch, encoding_format: "float" };
        if (options.requestDimensions) body.dimensions = options.dimensions;
        const res = await fetchFn(url, { method: "POST", headers, body: JSON.stringify(body) });
        if (!res.ok) throw new EmbeddingError(`embeddings endpoint answered HTTP ${res.status}`);
        const parsed = ResponseSchema.safeParse(await res.json());
        if (!parsed.success) throw new EmbeddingError("unexpected embeddings response", { cause: parsed.error });
        // The API may return items out of order; `index` is authoritative.
        const rows = [...parsed.data.data].sort((a, b) => a.index - b.index);
        if (rows.some((r, i) => r.index !== i || r.embedding.length !== options.dimensions)) {
          throw new EmbeddingError("embeddings response has missing items or wrong dimensions");
        }
        return rows.map((r) => Float32Array.from(r.embedding));
      }),
  };
}
