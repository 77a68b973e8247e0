/**
 * The embedded default embedder: feature hashing, no model download, deterministic, and
 * cheap enough to run inside a Worker request. Each text becomes a bag of weighted
 * features hashed (with a sign bit) into a fixed-size vector, then L2-normalised:
 * - stemmed content words (the exact-vocabulary signal),
 * - adjacent word pairs (a little word order: "credit card" vs "card credit"),
 * - character 3–5-grams of each word (typos, inflections, compounds, Hebrew prefixes),
 * - concepts from the support lexicon (paraphrases: "money back" ≈ "refund").
 * Term counts are dampened logarithmically so a long chunk is not dominated by one word.
 */
import type { Embedder } from "../types.ts";
import { CONCEPTS } from "./lexicon.ts";
import { isStopWord, stem, wordTokens } from "./text.ts";

export const LOCAL_EMBEDDER_ID = "local-hash-v2";
const DEFAULT_DIMENSIONS = 1024;

/** Relative weights of the feature families; tuned on bench/retrieval. */
const WEIGHTS = { word: 1, pair: 0.5, gram: 0.18, concept: 1.6 };

/**
 * Words every page of a subscription-box help centre repeats. They still count, but
 * weakly: without corpus statistics (no IDF in a stateless embedder) they would
 * otherwise make every chunk look alike.
 */
const UBIQUITOUS = new Set([
  "box",
  "month",
  "subscription",
  "subscriber",
  "account",
  "item",
  "order",
  "lev",
  "haolam",
  "day",
  "customer",
  "plan",
]);
const UBIQUITOUS_WEIGHT = 0.35;

interface Lexicon {
  single: Map<string, string[]>;
  phrases: Map<string, Array<{ stems: string[]; concept: string }>>;
}

let lexicon: Lexicon | null = null;

/** Built once per isolate: forms go through the same tokenizer and stemmer as text. */
function getLexicon(): Lexicon {
  if (lexicon !== null) return lexicon;
  const single = new Map<string, string[]>();
  const phrases = new Map<string, Array<{ stems: string[]; concept: string }>>();
  for (const [concept, forms] of Object.entries(CONCEPTS)) {
    for (const form of forms) {
      const stems = wordTokens(form).map(stem);
      const first = stems[0];
      if (first === undefined) continue;
      if (stems.length === 1) {
        const list = single.get(first) ?? [];
        if (!list.includes(concept)) list.push(concept);
        single.set(first, list);
      } else {
        const list = phrases.get(first) ?? [];
        list.push({ stems, concept });
        phrases.set(first, list);
      }
    }
  }
  lexicon = { single, phrases };
  return lexicon;
}

/** Concepts mentioned in a token sequence (stop words kept: "where is" is a phrase). */
export function conceptsOf(stems: string[]): string[] {
  const { single, phrases } = getLexicon();
  const found: string[] = [];
  stems.forEach((s, i) => {
    for (const c of single.get(s) ?? []) found.push(c);
    for (const p of phrases.get(s) ?? []) {
      if (p.stems.every((ps, j) => stems[i + j] === ps)) found.push(p.concept);
    }
  });
  return found;
}

/** Weighted features of one text, before hashing. Exposed for tests and tuning. */
export function textFeatures(text: string): Map<string, number> {
  const counts = new Map<string, { weight: number; count: number }>();
  const add = (key: string, weight: number): void => {
    const entry = counts.get(key);
    if (entry === undefined) counts.set(key, { weight, count: 1 });
    else entry.count++;
  };

  const tokens = wordTokens(text);
  const stems = tokens.map(stem);
  const content: Array<{ token: string; stem: string }> = [];
  tokens.forEach((token, i) => {
    if (!isStopWord(token)) content.push({ token, stem: stems[i] ?? token });
  });

  content.forEach(({ token, stem: s }, i) => {
    add(`w:${s}`, UBIQUITOUS.has(s) ? WEIGHTS.word * UBIQUITOUS_WEIGHT : WEIGHTS.word);
    const next = content[i + 1];
    if (next !== undefined) add(`b:${s}_${next.stem}`, WEIGHTS.pair);
    const padded = `<${token}>`;
    for (let n = 3; n <= 5; n++) {
      for (let j = 0; j + n <= padded.length; j++) add(`g:${padded.slice(j, j + n)}`, WEIGHTS.gram);
    }
  });
  for (const concept of conceptsOf(stems)) add(`c:${concept}`, WEIGHTS.concept);

  const features = new Map<string, number>();
  for (const [key, { weight, count }] of counts) features.set(key, weight * (1 + Math.log(count)));
  return features;
}

/** FNV-1a over UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hashes one text into an L2-normalised vector of the given size. */
export function hashEmbed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const [key, weight] of textFeatures(text)) {
    const h = fnv1a(key);
    // The sign comes from a different mix of the hash, so colliding features cancel out
    // on average instead of inflating similarity.
    const sign = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 31 === 0 ? 1 : -1;
    const index = h % dimensions;
    vector[index] = (vector[index] ?? 0) + sign * weight;
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

/**
 * Creates the local embedder. Same text → same vector on every machine, forever, for a
 * given id; change the id whenever features or weights change so stored vectors are rebuilt.
 */
export function createLocalEmbedder(options: { dimensions?: number } = {}): Embedder {
  const dimensions = options.dimensions ?? DEFAULT_DIMENSIONS;
  return {
    id: dimensions === DEFAULT_DIMENSIONS ? LOCAL_EMBEDDER_ID : `${LOCAL_EMBEDDER_ID}-${dimensions}`,
    dimensions,
    async embed(texts: string[]): Promise<Float32Array[]> {
      return texts.map((t) => hashEmbed(t, dimensions));
    },
  };
}
