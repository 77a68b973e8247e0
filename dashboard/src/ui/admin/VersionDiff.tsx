/**
 * What changes between two versions of a category: every field that differs, long texts
 * (instructions) as a word diff with insertions and deletions marked (jsdiff), the rest as
 * "before → after". Used to review a version and to confirm a rollback.
 */
import { diffWords } from "diff";

function text(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map(String).join(", ") || "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Keys whose values differ between `from` and `to` (version bookkeeping fields excluded). */
export function changedKeys(from: Record<string, unknown>, to: Record<string, unknown>): string[] {
  const skip = new Set(["version", "updatedAt", "createdAt", "updatedBy", "createdBy"]);
  return [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((k) => !skip.has(k) && JSON.stringify(from[k]) !== JSON.stringify(to[k]))
    .sort();
}

export function VersionDiff({ from, to }: { from: Record<string, unknown>; to: Record<string, unknown> }) {
  const keys = changedKeys(from, to);
  if (!keys.length) return <p class="muted">No differences.</p>;
  return (
    <dl class="readable version-diff" data-testid="version-diff">
      {keys.map((k) => {
        const a = text(from[k]);
        const b = text(to[k]);
        return (
          <>
            <dt>{k}</dt>
            <dd>
              {a.length > 60 || b.length > 60 ? (
                <div class="diff-text">
                  {diffWords(a, b).map((part) =>
                    part.added ? <ins>{part.value}</ins> : part.removed ? <del>{part.value}</del> : part.value,
                  )}
                </div>
              ) : (
                <>
                  <del>{a}</del> → <ins>{b}</ins>
                </>
              )}
            </dd>
          </>
        );
      })}
    </dl>
  );
}
