/**
 * Scan of an incoming customer message for red-line signals: prompt injection, data
 * fishing, threats, legal claims, chargebacks and refund demands (en, ru, he, es, fr).
 *
 * The result is only signals. Injected instructions change nothing: the caller keeps
 * treating the message as untrusted customer text and never gives it more authority;
 * the signals feed escalation, the eval gate and operator hints.
 */
import {
  CHARGEBACK,
  COMPACT_INJECTION,
  DATA_FISHING,
  INJECTION,
  LEGAL,
  REFUND_DEMAND,
  STRUCTURAL,
  VIOLENCE,
} from "./input-patterns.ts";
import type { PatternGroup } from "./input-patterns.ts";
import { compact, fold, skeleton } from "./text.ts";

/** Signals found in one customer message. `reasons` names each hit, e.g. "threat:legal". */
export interface InputScan {
  injection: boolean;
  reasons: string[];
  dataFishing: boolean;
  /** Violence or legal threats and legal claims: both go to a human at once. */
  threat: boolean;
  refundDemand: boolean;
  chargeback: boolean;
}

// Long runs of base64 alphabet with mixed case: carrier tracking numbers are all caps.
const BASE64_RUN = /[A-Za-z0-9+/]{24,}={0,2}/g;

/** Scan one customer message. Pure and deterministic. */
export function scanCustomerMessage(text: string): InputScan {
  const reasons = new Set<string>();
  const folded = fold(text);
  const variants = [folded, skeleton(folded)];
  const compactVariants = variants.map(compact);

  const hitGroups = (groups: PatternGroup[], inputs: string[]): void => {
    for (const g of groups) {
      if (g.patterns.some((p) => inputs.some((v) => p.test(v)))) reasons.add(g.reason);
    }
  };

  hitGroups(INJECTION, variants);
  hitGroups(STRUCTURAL, [folded]);
  if (COMPACT_INJECTION.some((phrase) => compactVariants.some((c) => c.includes(phrase)))) {
    reasons.add("injection:override_instructions");
  }
  for (const payload of decodedPayloads(text)) {
    reasons.add("injection:encoding_smuggling");
    const inner = scanCustomerMessageShallow(payload);
    for (const r of inner) reasons.add(r);
  }

  hitGroups(DATA_FISHING, [folded]);
  if (VIOLENCE.some((p) => p.test(folded))) reasons.add("threat:violence");
  if (LEGAL.some((p) => p.test(folded))) reasons.add("threat:legal");
  if (CHARGEBACK.some((p) => p.test(folded))) reasons.add("chargeback");
  if (REFUND_DEMAND.some((p) => p.test(folded))) reasons.add("refund_demand");

  const list = [...reasons].sort();
  return {
    injection: list.some((r) => r.startsWith("injection:")),
    reasons: list,
    dataFishing: list.some((r) => r.startsWith("data_fishing:")),
    threat: list.some((r) => r.startsWith("threat:")),
    refundDemand: list.includes("refund_demand"),
    chargeback: list.includes("chargeback"),
  };
}

/** Injection reasons of a decoded payload (one level deep, no further decoding). */
function scanCustomerMessageShallow(text: string): string[] {
  const folded = fold(text);
  const variants = [folded, skeleton(folded)];
  const out: string[] = [];
  for (const g of [...INJECTION, ...STRUCTURAL, ...DATA_FISHING]) {
    if (g.patterns.some((p) => variants.some((v) => p.test(v)))) out.push(g.reason);
  }
  return out;
}

/**
 * Base64 runs that decode to mostly printable text: a smuggled instruction. Random ids
 * decode to binary noise, so they are not reported.
 */
function decodedPayloads(text: string): string[] {
  const out: string[] = [];
  for (const run of text.match(BASE64_RUN) ?? []) {
    if (!/[a-z]/.test(run) || !/[A-Z]/.test(run)) continue;
    const decoded = tryAtob(run);
    if (decoded === null || decoded.length < 8) continue;
    const printable = decoded.replace(/[^\x20-\x7E\n]/g, "").length / decoded.length;
    if (printable > 0.9 && /[a-zA-Z]{3,} [a-zA-Z]{2,}/.test(decoded)) out.push(decoded);
  }
  return out;
}

function tryAtob(run: string): string | null {
  try {
    const padded = run.replace(/=+$/, "");
    return atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
  } catch {
    return null;
  }
}
