/** Prefixed, sortable-enough random ids ("conv_…", "msg_…"): readable in logs, unguessable. */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let s = "";
  for (const b of bytes) s += b.toString(16).padStart(2, "0");
  return `${prefix}_${Date.now().toString(36)}${s}`;
}
