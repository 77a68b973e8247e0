/**
 * The gate's grounding check (issue 18, answers 7): every number, date, price, percentage,
 * tracking number and link in a draft must be found in what the turn actually saw — the
 * retrieved passages, the tool results, the category's own texts, the fixed phrases of
 * the templates and the customer's message. A model that invents "delivery in 3 days" or
 * a tracking number is held for an operator, whatever its confidence. Numbers are
 * compared as digit runs, so "15 December 2026" is grounded by "2026-12-15" and "$79.00"
 * by `"priceCents":7900`. Pure.
 */

export interface GroundingResult {
  /** Claims found in the draft (numbers, codes, links). */
  claims: number;
  /** Claims with no support in the evidence, as written in the draft. */
  ungrounded: string[];
}

const URL_RE = /https?:\/\/[^\s)"'<>]+/g;
// Tracking numbers, order numbers and other codes: letters and digits, at least 8 long.
const CODE_RE = /(?<![\p{L}\p{N}])(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9][A-Z0-9-]{6,}[A-Z0-9](?![\p{L}\p{N}])/gu;
const NUMBER_RE = /\d+/g;

const atom = (digits: string): string => digits.replace(/^0+(?=\d)/, "");

function evidenceAtoms(evidence: string): Set<string> {
  const atoms = new Set<string>();
  for (const m of evidence.matchAll(NUMBER_RE)) atoms.add(atom(m[0]));
  // Amounts stored in cents also appear as whole units and cents ("7900" → "79", "00").
  for (const m of evidence.matchAll(/Cents"?\s*:\s*(\d+)/g)) {
    const cents = Number(m[1]);
    atoms.add(String(Math.floor(cents / 100)));
    atoms.add(atom(String(cents % 100).padStart(2, "0")));
  }
  return atoms;
}

/** Checks a draft against the turn's evidence (see module comment). */
export function checkGrounding(draft: string, evidence: string[]): GroundingResult {
  const all = evidence.join("\n");
  const atoms = evidenceAtoms(all);
  const ungrounded: string[] = [];
  let claims = 0;
  let rest = draft;
  for (const url of draft.match(URL_RE) ?? []) {
    claims++;
    const clean = url.replace(/[.,;:!?]+$/, "");
    if (!all.includes(clean)) ungrounded.push(clean);
    rest = rest.replace(url, " ");
  }
  for (const code of rest.match(CODE_RE) ?? []) {
    claims++;
    if (!all.includes(code)) ungrounded.push(code);
    rest = rest.replace(code, " ");
  }
  for (const m of rest.matchAll(NUMBER_RE)) {
    const a = atom(m[0]);
    // "00" cents and a bare zero carry no claim of their own.
    if (/^0+$/.test(m[0])) continue;
    claims++;
    if (!atoms.has(a)) ungrounded.push(m[0]);
  }
  return { claims, ungrounded: [...new Set(ungrounded)] };
}
