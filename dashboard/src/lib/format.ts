/** Formatting helpers shared by screens. */
export function timeAgo(ts: number | null | undefined, now = Date.now()): string {
  if (!ts) return "";
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function dateTime(ts: number | null | undefined): string {
  return ts ? new Date(ts).toLocaleString() : "—";
}

export function minutes(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  const m = ms / 60000;
  return m < 60 ? `${m.toFixed(1)} min` : `${(m / 60).toFixed(1)} h`;
}

export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return "d" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
