/**
 * A tiny observable value for UI state that the public API changes from outside Preact
 * (`OmniSupport.open()` may run before the first effect has been scheduled).
 */
import { useEffect, useState } from "preact/hooks";

export class Store<T extends object> {
  value: T;
  private listeners = new Set<() => void>();

  constructor(value: T) {
    this.value = value;
  }

  set(patch: Partial<T>): void {
    this.value = { ...this.value, ...patch };
    for (const fn of this.listeners) fn();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Re-renders the component whenever the source notifies; returns its current snapshot. */
export function useSubscribe<T>(source: { subscribe(fn: () => void): () => void }, read: () => T): T {
  const [, bump] = useState(0);
  useEffect(() => source.subscribe(() => bump((n) => n + 1)), [source]);
  return read();
}
