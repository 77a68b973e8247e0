/**
 * Validation and normalisation of one form answer per field kind. A refused answer is
 * re-asked by the interpreter; an accepted one is stored normalised (trimmed email in
 * lower case, phone in +digits, ISO date, the option as written by the author).
 */
import type { FormField } from "../protocol/flows.ts";

export type FieldResult = { ok: true; value: string } | { ok: false; reason: "empty" | "invalid" | "range" };

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
const SKIP = new Set(["-", "skip", "пропустить"]);

function isoDate(input: string): string | null {
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(input);
  const eu = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(input);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (eu) [d, m, y] = [Number(eu[1]), Number(eu[2]), Number(eu[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Checks one answer; `choice` accepts the option text (any case) or its number. */
export function checkField(field: FormField, raw: string): FieldResult {
  const input = raw.trim();
  if (input === "" || SKIP.has(input.toLowerCase()))
    return field.required ? { ok: false, reason: "empty" } : { ok: true, value: "" };
  switch (field.kind) {
    case "text": {
      if (field.max !== undefined && input.length > field.max) return { ok: false, reason: "range" };
      if (field.min !== undefined && input.length < field.min) return { ok: false, reason: "range" };
      return { ok: true, value: input.slice(0, 4000) };
    }
    case "email":
      return EMAIL.test(input) && input.length <= 254
        ? { ok: true, value: input.toLowerCase() }
        : { ok: false, reason: "invalid" };
    case "phone": {
      const digits = input.replace(/[\s().-]/g, "");
      if (!/^\+?\d{7,15}$/.test(digits)) return { ok: false, reason: "invalid" };
      return { ok: true, value: digits.startsWith("+") ? digits : `+${digits}` };
    }
    case "number": {
      const n = Number(input.replace(",", "."));
      if (!Number.isFinite(n)) return { ok: false, reason: "invalid" };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max))
        return { ok: false, reason: "range" };
      return { ok: true, value: String(n) };
    }
    case "date": {
      const iso = isoDate(input);
      return iso ? { ok: true, value: iso } : { ok: false, reason: "invalid" };
    }
    case "choice": {
      const idx = /^\d+$/.test(input) ? Number(input) - 1 : -1;
      const byNumber = field.options[idx];
      if (byNumber !== undefined) return { ok: true, value: byNumber };
      const match = field.options.find((o) => o.toLowerCase() === input.toLowerCase());
      return match !== undefined ? { ok: true, value: match } : { ok: false, reason: "invalid" };
    }
  }
}
