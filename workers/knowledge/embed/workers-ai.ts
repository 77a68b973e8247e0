/**
 * Workers AI embeddings (production default: multilingual bge-m3, 1024 dimensions).
 * The binding is typed structurally so tests can pass a fake that returns the real
 * wire shape `{ shape: [n, d], data: number[][] }`.
 */
import { z } from "zod";
import type { Embedder } from "../types.ts";
import { EmbeddingError, embedInBatches } from "./batch.ts";

/** The part of the `Ai` binding this module uses. */
export interface AiRunner {
  run(model: string, input: unknown): Promise<unknown>;
}

const ResponseSchema = z.object({
  shape: z.tuple([z.number().int().nonnegative(), z.number().int().positive()]),
  data: z.array(z.array(z.number())),
});

/** Workers AI accepts at most 100 texts per embedding call. */
const MAX_BATCH = 100;
const KNOWN_DIMENSIONS: Record<string, number> = {
  "@cf/baai/bge-m3": 1024,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-large-en-v1.5": 1024,
};

/** Creates an embedder over `env.AI`. `dimensions` is needed only for unknown models. */
export function createWorkersAiEmbedder(ai: AiRunner, model = "@cf/baai/bge-m3", dimensions?: number): Embedder {
  const dims = dimensions ?? KNOWN_DIMENSIONS[model] ?? 1024;
  return {
    id: `workers-ai:${model}`,
    dimensions: dims,
    embed: (texts) =>
      embedInBatches(texts, MAX_BATCH, async (batch) => {
        const raw = await ai.run(model, { text: batch });
        const parsed = ResponseSchema.safeParse(raw);
        if (!parsed.success)
          throw new EmbeddingError(`unexpected Workers AI response for ${model}`, { cause: parsed.error });
        const { shape, data } = parsed.data;
        if (shape[1] !== dims || data.some((row) => row.length !== dims)) {
          throw new EmbeddingError(`${model} returned ${shape[1]}-dimensional vectors, expected ${dims}`);
        }
        return data.map((row) => Float32Array.from(row));
      }),
  };
}
