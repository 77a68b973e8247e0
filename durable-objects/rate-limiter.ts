/**
 * LocalRateLimiter: the local stand-in for the Workers Rate Limiting binding, which has
 * no local simulation in this toolchain's offline set-up. One object per key
 * (`idFromName(key)`), a fixed window held in memory (`takeFromWindow`): like the binding,
 * counts are approximate and may reset when the object is evicted, which is fine for a
 * flood guard. Production uses the binding (`[[env.production.ratelimits]]`) instead.
 */
import { DurableObject } from "cloudflare:workers";
import { takeFromWindow, type Window } from "./lib/visitor-limits.ts";

export class LocalRateLimiter extends DurableObject<Env> {
  #window: Window | null = null;

  /** Takes one unit of this key's budget; false when `limit` were taken in the current window. */
  async limit(limit: number, periodSeconds: number): Promise<boolean> {
    const { window, allowed } = takeFromWindow(this.#window, Date.now(), limit, periodSeconds * 1000);
    this.#window = window;
    return allowed;
  }
}
