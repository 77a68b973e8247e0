/**
 * Runs a background task at most once at a time: calls that arrive while it runs make it
 * run exactly once more afterwards. The room uses it for the D1 mirror and the live inbox
 * push, so a burst of messages costs a few D1 round trips instead of one per message,
 * and no ack waits for them (the message is already durable in the room's SQLite).
 */
export class Coalescer {
  readonly #task: () => Promise<void>;
  #running: Promise<void> | null = null;
  #again = false;

  constructor(task: () => Promise<void>) {
    this.#task = task;
  }

  /** Starts the task, or asks the running one to go round again. `keepAlive` receives the promise (ctx.waitUntil). */
  kick(keepAlive: (p: Promise<unknown>) => void): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#task();
        } while (this.#again);
      } finally {
        this.#running = null;
      }
    })();
    keepAlive(this.#running);
  }

  /** Resolves once nothing is running (errors are the task's own business). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }
}
