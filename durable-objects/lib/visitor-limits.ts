/**
 * How much one anonymous widget visitor may cost (issue 21, item 9: sessions, sockets and
 * messages were unlimited, and a paid model answers every message). Plain rules; the
 * session route, the ConversationRoom and the local limiter object apply them.
 *
 * - Sessions: WIDGET_SESSIONS_PER_MINUTE per client address and widget key. Production
 *   counts with the Workers Rate Limiting binding (`[[env.production.ratelimits]]` in
 *   wrangler.toml holds the same numbers; its period may only be 10 or 60 s); locally the
 *   LocalRateLimiter object counts with `takeFromWindow`. A page load asks for one session,
 *   so 60 a minute is far above a person and still far below a flood.
 * - Messages: VISITOR_MESSAGES_PER_MINUTE per visitor in a conversation, counted from the
 *   room's own log (durable, so hibernation does not reset it). A person types a few a
 *   minute; an offline outbox flushes at most what was typed while offline.
 * - Sockets: SOCKETS_PER_VISITOR open at once for one visitor token (tabs of one browser);
 *   a newer socket closes the oldest, so a real visitor's current tab always works.
 */

export const WIDGET_SESSIONS_PER_MINUTE = 60;
export const VISITOR_MESSAGES_PER_MINUTE = 30;
export const SOCKETS_PER_VISITOR = 5;

export interface Window {
  startedAt: number;
  count: number;
}

/**
 * A fixed window: takes one unit if fewer than `limit` were taken since the window
 * started, and starts a new window once `periodMs` has passed (what the Workers binding
 * does too). Returns the next window state and whether this unit was allowed.
 */
export function takeFromWindow(
  current: Window | null,
  now: number,
  limit: number,
  periodMs: number,
): { window: Window; allowed: boolean } {
  const fresh = !current || now - current.startedAt >= periodMs;
  const window = fresh ? { startedAt: now, count: 0 } : current;
  if (window.count >= limit) return { window, allowed: false };
  return { window: { startedAt: window.startedAt, count: window.count + 1 }, allowed: true };
}

/**
 * Sockets of one visitor to close so that a new one fits: the oldest first, leaving
 * `cap - 1` open beside the newcomer. `open` is in connection order (oldest first).
 */
export function socketsToClose<T>(open: readonly T[], cap: number): T[] {
  const excess = open.length - (cap - 1);
  return excess > 0 ? open.slice(0, excess) : [];
}
