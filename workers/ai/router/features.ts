/**
 * Text → sparse hashed feature vector, shared by the trainer and the runtime classifier
 * so both see exactly the same features. Word unigrams + bigrams and character 3–5-grams
 * inside word boundaries; tokenisation is Unicode-aware (\p{L}) so Hebrew and Cyrillic
 * work like Latin. Signed feature hashing keeps the model a fixed-size dense array.
 */

/** A sparse vector: parallel arrays of bucket indexes and values (L2-normalised). */
export interface SparseVector {
  idx: number[];
  val: number[];
}

const WORD_SEED = 0x811c9dc5;
const BIGRAM_SEED = 0x01000193 ^ 0x5bd1e995;
const CHAR_SEED = 0x27d4eb2f;
const PREFIX_SEED = 0x165667b1;
const CROSS_SEED = 0x9e3779b1;

const HEBREW_PREFIX = /^[והבלמשכ][\u05d0-\u05ea]/;

/** Which features to extract; stored in the model file so runtime matches training. */
export interface FeatureConfig {
  /** Shortest and longest character n-gram inside " token ". */
  charMin: number;
  charMax: number;
  /** Word bigrams. */
  bigrams: boolean;
  /** Length of a word-prefix ("stem") feature for words longer than it; 0 = none. */
  prefix: number;
  /** Character n-gram length across word boundaries over the joined tokens; 0 = none. */
  cross: number;
  /**
   * Hebrew words also count without up to two one-letter prefixes (ו ה ב ל מ ש כ: "and",
   * "the", "in", "to", "from", "that", "as"), so "והקופסה" shares weights with "קופסה".
   */
  hebrewPrefixes?: boolean;
}

/** The feature set of the original model (version 1 files without a config). */
export const DEFAULT_FEATURES: FeatureConfig = { charMin: 3, charMax: 5, bigrams: true, prefix: 0, cross: 0 };
const FNV_PRIME = 0x01000193;

/**
 * Lower-case, fold compatibility forms, drop Hebrew vowel points and cantillation, fold
 * ё→е and map every digit to 0 so order numbers and dates generalise.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u0591-\u05c7]/g, "")
    .replace(/ё/g, "е")
    .replace(/\p{N}/gu, "0");
}

/** Word tokens of already-normalised text (letters and digits; apostrophes split). */
export function tokenize(normalized: string): string[] {
  return normalized.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Reusable per-table-size buffers: extraction is synchronous, so one set per isolate is
 * safe and avoids allocating a Map per message (GC pauses dominated tail latency).
 */
interface Scratch {
  counts: Int32Array;
  seen: Uint8Array;
  touched: number[];
}
const scratches = new Map<number, Scratch>();
function scratchFor(bits: number): Scratch {
  let s = scratches.get(bits);
  if (!s) {
    s = { counts: new Int32Array(1 << bits), seen: new Uint8Array(1 << bits), touched: [] };
    scratches.set(bits, s);
  }
  return s;
}

/** Final avalanche so nearby FNV states spread over all buckets and the sign bit. */
function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function fnv(seed: number, s: string): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/**
 * Hashed features of `text` for a table of 2^bits buckets. Values are sublinear term
 * counts with a ±1 hash sign, then L2-normalised so long and short messages score alike.
 */
export function extractFeatures(text: string, bits: number, cfg: FeatureConfig = DEFAULT_FEATURES): SparseVector {
  const mask = (1 << bits) - 1;
  const { counts, seen, touched } = scratchFor(bits);
  touched.length = 0;
  const add = (h: number): void => {
    const m = mix(h);
    const bucket = m & mask;
    if (seen[bucket] === 0) {
      seen[bucket] = 1;
      touched.push(bucket);
    }
    counts[bucket] = (counts[bucket] ?? 0) + (m >>> 31 === 1 ? -1 : 1);
  };
  const tokens = tokenize(normalizeText(text));
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t] ?? "";
    add(fnv(WORD_SEED, tok));
    if (cfg.bigrams && t > 0) add(fnv(BIGRAM_SEED, `${tokens[t - 1] ?? ""} ${tok}`));
    if (cfg.hebrewPrefixes === true) {
      let stem = tok;
      for (let p = 0; p < 2 && stem.length > 3 && HEBREW_PREFIX.test(stem); p++) {
        stem = stem.slice(1);
        add(fnv(WORD_SEED, stem));
      }
    }
    if (cfg.prefix > 0 && tok.length > cfg.prefix) add(fnv(PREFIX_SEED, tok.slice(0, cfg.prefix)));
    // Character n-grams of " token ": one pass per start position yields every length
    // from charMin to charMax.
    const padded = ` ${tok} `;
    for (let s = 0; s + cfg.charMin <= padded.length; s++) {
      let h = CHAR_SEED;
      for (let k = s; k < s + cfg.charMax && k < padded.length; k++) {
        h ^= padded.charCodeAt(k);
        h = Math.imul(h, FNV_PRIME);
        if (k - s >= cfg.charMin - 1) add(h);
      }
    }
  }
  if (cfg.cross > 0 && tokens.length > 1) {
    // Fixed-length n-grams spanning two words ("y d" in "skip december"), which carry
    // short phrases that word bigrams miss when one word is misspelt or inflected.
    const joined = tokens.join(" ");
    for (let s = 0; s + cfg.cross <= joined.length; s++) {
      const gram = joined.slice(s, s + cfg.cross);
      const sp = gram.indexOf(" ");
      if (sp > 0 && sp < cfg.cross - 1) add(fnv(CROSS_SEED, gram));
    }
  }
  const idx: number[] = [];
  const val: number[] = [];
  let norm = 0;
  for (const bucket of touched) {
    const count = counts[bucket] ?? 0;
    counts[bucket] = 0;
    seen[bucket] = 0;
    if (count === 0) continue;
    const v = Math.sign(count) * (1 + Math.log(Math.abs(count)));
    idx.push(bucket);
    val.push(v);
    norm += v * v;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < val.length; i++) val[i] = (val[i] ?? 0) * inv;
  return { idx, val };
}

/** 53-bit string hash (cyrb53) as hex: a stable fingerprint of the training data. */
export function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, "0");
}
