/**
 * Memoises an async lookup by key for the lifetime of the returned function: callers
 * asking for the same key share one promise (the Eval Lab's batch loaders, the engine's
 * per-turn reads of category rows and knowledge).
 */
export function memoAsync<A extends unknown[], T>(key: (...a: A) => string, fn: (...a: A) => Promise<T>) {
  const seen = new Map<string, Promise<T>>();
  return (...a: A): Promise<T> => {
    const k = key(...a);
    let p = seen.get(k);
    if (!p) {
      p = fn(...a);
      seen.set(k, p);
    }
    return p;
  };
}
