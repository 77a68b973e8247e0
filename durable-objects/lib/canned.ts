/**
 * Canned responses ("quick replies", seed 003 §5) and @mentions in internal notes.
 *
 * Templates are written by admins and rendered for customers, so rendering is pure
 * substitution: a placeholder is a dotted path of plain identifiers with an optional
 * default, looked up in own properties only. No expressions, no helpers, nothing that
 * could run code or reach prototypes. Anything that is not a valid placeholder is kept
 * verbatim, so "{{ weird syntax }}" shows up in the preview for the admin to fix.
 */

export interface RenderOptions {
  /** Used for a missing variable that has no `|default` of its own. Default "". */
  fallback?: string;
}

/** `{{ contact.name }}` or `{{contact.name|there}}`; the default may not contain braces or "|". */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*(?:\|([^{}|]*))?\}\}/g;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The printable value at `path`, or null when missing. Strings that are empty or blank
 * count as missing so "Hi {{contact.name|there}}" never renders as "Hi ,".
 */
function lookup(vars: Record<string, unknown>, path: string): string | null {
  let current: unknown = vars;
  for (const key of path.split(".")) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return null;
    current = current[key];
  }
  if (typeof current === "string") return current.trim() === "" ? null : current;
  if (typeof current === "number") return Number.isFinite(current) ? String(current) : null;
  if (typeof current === "boolean") return String(current);
  return null;
}

/**
 * Fill a canned response: `{{contact.name}}`, `{{subscription.next_box}}`,
 * `{{operator.name}}`, with `{{path|default}}` for a per-placeholder default and
 * `options.fallback` for the rest. Output is plain text (channels escape as they need).
 */
export function renderCanned(template: string, vars: Record<string, unknown>, options: RenderOptions = {}): string {
  const fallback = options.fallback ?? "";
  return template.replace(PLACEHOLDER, (_match, path: string, inlineDefault: string | undefined) => {
    return lookup(vars, path) ?? (inlineDefault !== undefined ? inlineDefault.trim() : fallback);
  });
}

/** Paths the template uses that `vars` cannot fill (for the editor preview). */
export function missingVariables(template: string, vars: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const path = match[1];
    if (path !== undefined && lookup(vars, path) === null && !missing.includes(path)) missing.push(path);
  }
  return missing;
}

export interface MentionableOperator {
  id: string;
  handle: string;
}

/**
 * `@handle` must start the text or follow a character that cannot be part of a word or an
 * email local part, so "anna@example.com" mentions nobody.
 */
const MENTION = /(?<![A-Za-z0-9_.+-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)/g;

/**
 * Operator ids mentioned in a note, in order of first mention, each once. Handles match
 * case-insensitively; unknown handles and trailing punctuation ("@anna.") are ignored.
 */
export function parseMentions(text: string, operators: readonly MentionableOperator[]): string[] {
  const byHandle = new Map<string, string>();
  for (const o of operators) byHandle.set(o.handle.toLowerCase(), o.id);
  const ids: string[] = [];
  for (const match of text.matchAll(MENTION)) {
    const id = byHandle.get((match[1] ?? "").toLowerCase());
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
