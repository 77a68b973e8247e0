/**
 * The strings that identify a contact in free text ("needles"): what erasure searches
 * copies for (traces, journals, eval sets, webhook bodies…) and what the erasure test
 * proves is gone. Pure, so the choice of what counts as identifying is unit-tested.
 *
 * Short or generic strings are left out on purpose: deleting every row that contains
 * "ok" or a first name would erase other customers' data.
 */

/** Message texts shorter than this are too generic to search copies by (rows keyed by id still go). */
export const MIN_TEXT_NEEDLE = 12;
/** Provider ids and other identifiers shorter than this are too likely to collide. */
export const MIN_ID_NEEDLE = 5;
/** Long texts are searched by their opening: a substring still finds every copy. */
const MAX_NEEDLE = 200;

export interface SubjectStrings {
  emails: Array<string | null | undefined>;
  phones: Array<string | null | undefined>;
  externalIds: Array<string | null | undefined>;
  /** What the customer wrote (their own messages). */
  texts: Array<string | null | undefined>;
}

/** A JSON column stores quotes, backslashes and newlines escaped: search that spelling too. */
function jsonSpelling(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

export function subjectNeedles(input: SubjectStrings): string[] {
  const out = new Set<string>();
  const add = (s: string, min: number) => {
    const v = s.trim().slice(0, MAX_NEEDLE);
    if (v.length < min) return;
    out.add(v);
    const escaped = jsonSpelling(v);
    if (escaped !== v) out.add(escaped);
  };
  for (const e of input.emails) {
    if (!e) continue;
    add(e, MIN_ID_NEEDLE);
    add(e.toLowerCase(), MIN_ID_NEEDLE);
  }
  for (const p of input.phones) {
    if (!p) continue;
    add(p, MIN_ID_NEEDLE);
    const digits = p.replace(/\D/g, "");
    add(digits, 7);
  }
  for (const x of input.externalIds) if (x) add(x, MIN_ID_NEEDLE);
  for (const t of input.texts) if (t) add(t, MIN_TEXT_NEEDLE);
  return [...out].sort();
}
