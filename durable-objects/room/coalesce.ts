/**
 * Runs a background task at most once at a time: calls that arrive while it runs (or
 * while it waits out `delayMs`) make it run exactly once more afterwards. The room uses it
 * for the D1 mirror and the live inbox push, so a burst of messages costs a few D1 round
 * trips instead of one per message, and no ack waits for them (the message is already
 * durable in the room's SQLite; the alarm is the backstop if the object goes away).
 */
export class Coalescer {
  readonly #task: () => Promise<void>;
  readonly #delayMs: () => number;
  #running: Promise<void> | null = null;
  #again = false;
  #skipDelay: (() => void) | null = null;

  /**
   * `delayMs`: how long to gather further calls before the first run of a burst; a function
   * is asked afresh for every burst (the room draws a jittered window from it).
   */
  constructor(task: () => Promise<void>, delayMs: number | (() => number) = 0) {
    this.#task = task;
    this.#delayMs = typeof delayMs === "number" ? () => delayMs : delayMs;
  }

  /**
   * Starts the task, or asks the running one to go round again. `keepAlive` receives the
   * promise (ctx.waitUntil). Returns true when this call started a new burst.
   */
  kick(keepAlive: (p: Promise<unknown>) => void): boolean {
    if (this.#running) {
      this.#again = true;
      return false;
    }
    const delayMs = Math.max(0, this.#delayMs());
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
          } while (this.#again);
        })();
        if (delayMs > 0) keepAlive(work);
        await work;
      } finally {
        this.#running = null;
      }
    })();
    // Failures belong to the task (it logs and schedules its own retry); never unhandled here.
    this.#running.catch(() => undefined);
    if (delayMs === 0) keepAlive(this.#running);
    return true;
  }

  /** Ends a pending delay at once and waits for the run (callers that need the result now). */
  async flush(): Promise<void> {
    this.#skipDelay?.();
    await this.idle();
  }

  /** Resolves once nothing is running (errors are the task's own business). */
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
