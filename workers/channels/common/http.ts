/**
 * Minimal HTTP plumbing for senders. `fetch` is injected so tests point adapters at a
 * local fake server and the Worker passes its own global fetch.
 */

/** The subset of `fetch` the senders use. */
export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** Read a response body as JSON, or undefined when it is not JSON (HTML error pages from proxies). */
export async function readJsonBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed;
  } catch {
    return undefined;
  }
}

/**
 * Parse an HTTP `Retry-After` header (delta-seconds or HTTP-date) into milliseconds.
 * `nowMs` is injected so the date form stays deterministic in tests.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
