/**
 * `{{variable}}` substitution for flow texts, URLs, headers and bodies, and the per-language
 * pick of a LocalizedText. Unknown names render empty: the validator refuses graphs that use
 * them, so an empty value at run time means "not answered yet", never a typo.
 */
import type { FlowLanguage, LocalizedText } from "../protocol/flows.ts";

export type Vars = Readonly<Record<string, string>>;

const VAR_RE = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g;

/** Replaces each `{{name}}` with `vars[name]`; `escape` transforms each value (URL-encoding, JSON-escaping). */
export function renderTemplate(template: string, vars: Vars, escape: (v: string) => string = (v) => v): string {
  return template.replace(VAR_RE, (_, name: string) => escape(vars[name] ?? ""));
}

/** The text in `language` when the author wrote one, else the default. */
export function pickText(t: LocalizedText, language: FlowLanguage | null): string {
  return (language ? t.translations[language] : undefined) ?? t.text;
}

/** Every language variant of a text (buttons match a typed title in any of them). */
export function allTexts(t: LocalizedText): string[] {
  return [t.text, ...Object.values(t.translations).filter((v): v is string => typeof v === "string")];
}

/** Dotted path into parsed JSON (`data.items.0.id`); scalars only, objects become JSON. */
export function readPath(value: unknown, path: string): string | undefined {
  let cur: unknown = value;
  for (const part of path.split(".").filter(Boolean)) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (cur !== null && typeof cur === "object") cur = Object.entries(cur).find(([k]) => k === part)?.[1];
    else return undefined;
  }
  if (cur === undefined || cur === null) return undefined;
  if (typeof cur === "string") return cur;
  if (typeof cur === "number" || typeof cur === "boolean") return String(cur);
  return JSON.stringify(cur);
}
