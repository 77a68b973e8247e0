/** Small shared UI pieces: async loading, error / not-available banners, modal. */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client.ts";
import { humanError } from "../lib/errors.ts";
import { langStore, useT } from "../lib/i18n.ts";

export interface Async<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Run `fn` when `deps` change; `reload()` runs it again. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    fn().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, loading, reload };
}

/** The sentence a person sees for an error, in the UI language (codes and endpoints go to the console only). */
export function errorText(e: unknown): string {
  const lang = langStore.get();
  if (e instanceof ApiError) {
    console.warn(`[api] ${e.endpoint} → ${e.status} ${e.code}: ${e.message}`);
    return humanError(lang, e.code, e.status, e.message);
  }
  console.warn("[ui]", e);
  return humanError(lang, "generic");
}

/** "Not available yet" for routes the server has not shipped; a red banner otherwise. */
export function ErrorBanner({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  if (error instanceof ApiError && error.notAvailable)
    return (
      <div class="banner na" data-testid="not-available">
        {t("errNotAvailable")}
      </div>
    );
  return (
    <div class="banner error" role="alert">
      {errorText(error)}
    </div>
  );
}

export function Modal({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  useEffect(() => {
    const k = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    addEventListener("keydown", k);
    return () => removeEventListener("keydown", k);
  }, [onClose]);
  return (
    <div class="modal-back" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="modal" role="dialog" aria-label={title}>
        <h3>{title}</h3>
        {children}
      </div>
    </div>
  );
}

export function Progress({ value }: { value: number }) {
  return (
    <div class="progress" role="progressbar" aria-valuenow={Math.round(value * 100)}>
      <div style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%` }} />
    </div>
  );
}
