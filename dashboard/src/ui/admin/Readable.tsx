/**
 * Any JSON value the AI engine reports (route, gate decision, trace step details) shown
 * for people: objects as labelled rows, lists as bullets, numbers with their unit taken
 * from the key (…Ms → ms, …Usd → $, confidence/score in 0–1 → %), booleans as Yes/No.
 * The shapes evolve with the engine, so this renders whatever arrives rather than a
 * fixed form; raw JSON stays one click away for engineers.
 */
import type { ComponentChildren } from "preact";

function label(key: string): string {
  const words = key
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function num(key: string, n: number): string {
  const k = key.toLowerCase();
  if (k.endsWith("ms")) return `${Math.round(n).toLocaleString()} ms`;
  if (k.endsWith("usd") || k.includes("cost")) return `$${n.toFixed(n < 0.01 ? 5 : 2)}`;
  if ((k.includes("confidence") || k.includes("score") || k.includes("probability")) && n >= 0 && n <= 1)
    return `${Math.round(n * 100)}%`;
  if (k.endsWith("at") && n > 1e12) return new Date(n).toLocaleString();
  return n.toLocaleString();
}

export function Readable({ value, name = "" }: { value: unknown; name?: string }): ComponentChildren {
  if (value === null || value === undefined || value === "") return <span class="muted">—</span>;
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return num(name, value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    if (!value.length) return <span class="muted">—</span>;
    if (value.every((v) => typeof v !== "object" || v === null)) return value.map(String).join(", ");
    return (
      <ol class="readable-list">
        {value.map((v) => (
          <li>
            <Readable value={v} name={name} />
          </li>
        ))}
      </ol>
    );
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return (
      <dl class="readable">
        {entries.map(([k, v]) => (
          <>
            <dt>{label(k)}</dt>
            <dd>
              <Readable value={v} name={k} />
            </dd>
          </>
        ))}
      </dl>
    );
  }
  return String(value);
}

/** The readable view with the raw JSON folded underneath. */
export function ReadableWithRaw({ value }: { value: unknown }) {
  return (
    <>
      <Readable value={value} />
      <details>
        <summary class="small muted">JSON</summary>
        <pre>{JSON.stringify(value, null, 2)}</pre>
      </details>
    </>
  );
}
