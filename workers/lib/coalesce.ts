/**
 * Runs a background task at most once at a time. The room uses it for the D1 mirror and
 * the live inbox push, the intake object for its drain, so a burst of messages costs a few
 * D1 round trips or RPCs instead of one per message, and no ack waits for them (the work
 * is already durable in storage; an alarm is the backstop if the object goes away).
 *
 * - Calls while the task waits out its delay join that run.
 * - Calls while it runs: an undelayed job runs once more right away; a delayed job opens a
 *   new burst with a fresh delay, so under a steady stream it runs once per window, not
 *   back to back (measured: the room's D1 mirror and inbox push ran continuously under a
 *   closed-loop load because every run overlapped a new message).
 * - `flush()` runs whatever is pending now, without delays, and waits for it.
 */
export class Coalescer {
  readonly #task: () => Promise<void>;
  readonly #delayMs: () => number;
  readonly #delayed: boolean;
  #running: Promise<void> | null = null;
  #again = false;
  #flushing = 0;
  #skipDelay: (() => void) | null = null;
  #keepAlive: (p: Promise<unknown>) => void = () => undefined;

  /**
   * `delayMs`: how long to gather further calls before the first run of a burst; a function
   * is asked afresh for every burst (the room draws a jittered or throttled window from it).
   */
  constructor(task: () => Promise<void>, delayMs: number | (() => number) = 0) {
    this.#task = task;
    this.#delayMs = typeof delayMs === "number" ? () => delayMs : delayMs;
    this.#delayed = typeof delayMs !== "number" || delayMs > 0;
  }

  /**
   * Starts a burst, or marks the current one for another pass. `keepAlive` receives the
   * promise (ctx.waitUntil). Returns true when this call started a new burst.
   */
  kick(keepAlive: (p: Promise<unknown>) => void): boolean {
    this.#keepAlive = keepAlive;
    if (this.#running) {
      this.#again = true;
      return false;
    }
    const delayMs = this.#flushing > 0 ? 0 : Math.max(0, this.#delayMs());
    this.#running = (async () => {
      try {
        if (delayMs > 0) {
          // The wait itself is not kept alive: an object evicted meanwhile loses nothing
          // (the work is still pending in storage and the caller's backstop picks it up).
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delayMs);
            this.#skipDelay = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.#skipDelay = null;
        }
        const work = (async () => {
          do {
            this.#again = false;
            await this.#task();
          } while (this.#again && (!this.#delayed || this.#flushing > 0));
        })();
        if (delayMs > 0) keepAlive(work);
        await work;
      } finally {
        this.#running = null;
        // A delayed job that was called during its run: a new burst, with its own window.
        if (this.#again) {
          this.#again = false;
          this.kick(this.#keepAlive);
        }
      }
    })();
    // Failures belong to the task (it logs and schedules its own retry); never unhandled here.
    this.#running.catch(() => undefined);
    if (delayMs === 0) keepAlive(this.#running);
    return true;
  }

  /** Runs what is pending now, skipping delays (also of bursts opened meanwhile), and waits for it. */
  async flush(): Promise<void> {
    this.#flushing++;
    try {
      this.#skipDelay?.();
      await this.idle();
    } finally {
      this.#flushing--;
    }
  }

  /** Resolves once nothing is running or waiting (errors are the task's own business). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }
}

/** `baseMs` spread uniformly over ±`fraction` of itself (a window that does not lock rooms into step). */
export function jittered(baseMs: number, fraction: number, random: () => number = Math.random): number {
  const f = Math.min(1, Math.max(0, fraction));
  return Math.round(baseMs * (1 - f + 2 * f * random()));
}

/** Delay before the next run so runs start at least `windowMs` apart (0 after a quiet spell). */
export function throttleDelay(lastRunAt: number, windowMs: number, now: number): number {
  return Math.max(0, lastRunAt + windowMs - now);
}

/**
 * A gather window that grows with load: `minMs` plus `perItemMs` for every item the
 * previous run handled, at most `maxMs`. Below capacity a run finds few items and the
 * window stays near `minMs`; as arrivals approach what the runs can handle, runs find
 * more items, the window widens and each run's fixed costs are shared by more of them
 * (the intake's drain: one room call per conversation per pass instead of per message).
 */
export function loadGather(lastRunItems: number, minMs: number, perItemMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs + Math.max(0, lastRunItems) * perItemMs);
}
