/**
 * Attempt limits for logins and other guessable secrets (Meta verify tokens).
 *
 * Each key ("pair:<email>|<ip>", "ip:<addr>", "account:<email>", "verify:<inbox>|<ip>")
 * counts attempts in a fixed window. An attempt is *reserved* before the secret is
 * checked, with one conditional `INSERT … ON CONFLICT DO UPDATE … RETURNING` per key in a
 * single D1 batch: D1 runs statements one at a time, so 40 parallel requests get the
 * counts 1..40 and only the first `max` are checked at all. (Reading the count, checking
 * the password and writing the count back let 40 parallel guesses all through.)
 * A successful login clears the account keys and refunds its IP attempt.
 */

export interface AttemptPolicy {
  /** Attempts allowed per window. */
  max: number;
  windowMs: number;
}

/** One address guessing one account: the real user on another address is unaffected. */
export const PAIR_POLICY: AttemptPolicy = { max: 5, windowMs: 15 * 60_000 };
/** One address trying many accounts (or a few, fast). */
export const IP_POLICY: AttemptPolicy = { max: 30, windowMs: 15 * 60_000 };
/**
 * Many addresses guessing one account. Reaching it mails the operator an unlock link, so
 * a distributed attacker cannot keep the real user out.
 */
export const ACCOUNT_POLICY: AttemptPolicy = { max: 50, windowMs: 60 * 60_000 };
/** Meta's verify-token handshake happens once per set-up: a handful of tries is plenty. */
export const VERIFY_TOKEN_POLICY: AttemptPolicy = { max: 10, windowMs: 15 * 60_000 };

export interface AttemptCount {
  key: string;
  /** Attempts in the current window including this one. */
  count: number;
  windowStart: number;
}

export interface AttemptDecision {
  allowed: boolean;
  /** Seconds until the window of the first exhausted key ends (0 when allowed). */
  retryAfterSeconds: number;
  /** Keys whose limit this very attempt crossed first (count === max + 1). */
  justLocked: string[];
}

/** Decides from the reserved counts (pure). */
export function decideAttempt(
  counts: ReadonlyArray<AttemptCount & { policy: AttemptPolicy }>,
  now: number,
): AttemptDecision {
  let retry = 0;
  let allowed = true;
  const justLocked: string[] = [];
  for (const c of counts) {
    if (c.count <= c.policy.max) continue;
    allowed = false;
    retry = Math.max(retry, Math.ceil((c.windowStart + c.policy.windowMs - now) / 1000));
    if (c.count === c.policy.max + 1) justLocked.push(c.key);
  }
  return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(retry, 1), justLocked };
}

const RESERVE_SQL = `INSERT INTO login_attempts (key, failures, window_start, locked_until) VALUES (?1, 1, ?2, NULL)
ON CONFLICT(key) DO UPDATE SET
  failures = CASE WHEN ?2 - window_start >= ?3 THEN 1 ELSE failures + 1 END,
  window_start = CASE WHEN ?2 - window_start >= ?3 THEN ?2 ELSE window_start END,
  locked_until = CASE WHEN ?2 - window_start >= ?3 THEN NULL
                      WHEN failures + 1 > ?4 THEN window_start + ?3 ELSE locked_until END
RETURNING key, failures, window_start`;

/** Atomically counts one attempt on every key (one D1 batch) and decides. */
export async function reserveAttempts(
  db: D1Database,
  keys: ReadonlyArray<{ key: string; policy: AttemptPolicy }>,
  now = Date.now(),
): Promise<AttemptDecision & { counts: AttemptCount[] }> {
  const results = await db.batch<{ key: string; failures: number; window_start: number }>(
    keys.map(({ key, policy }) => db.prepare(RESERVE_SQL).bind(key, now, policy.windowMs, policy.max)),
  );
  const counts = keys.map(({ key, policy }, i) => {
    const row = results[i]?.results[0];
    return { key, policy, count: row?.failures ?? Number.MAX_SAFE_INTEGER, windowStart: row?.window_start ?? now };
  });
  return { ...decideAttempt(counts, now), counts };
}

/** Gives one attempt back (a successful login must not use up its office's IP budget). */
export async function refundAttempt(db: D1Database, key: string): Promise<void> {
  await db.prepare("UPDATE login_attempts SET failures = MAX(failures - 1, 0) WHERE key = ?1").bind(key).run();
}

export async function clearAttempts(db: D1Database, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.batch(keys.map((k) => db.prepare("DELETE FROM login_attempts WHERE key = ?1").bind(k)));
}
