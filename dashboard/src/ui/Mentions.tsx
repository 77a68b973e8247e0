/**
 * In-app notifications: a toast for each `notify` frame (mentions, transfers, new
 * conversations; click to open the conversation), and the Mentions list in the top bar:
 * notes that @mention me (GET /api/mentions), unread until I have looked at the list.
 */
import { useEffect, useState } from "preact/hooks";
import { listMentions } from "../api/endpoints.ts";
import { dateTime } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { createStore, useStore } from "../lib/store.ts";
import { onNotify } from "../realtime/presence.ts";
import { navigate } from "../router.ts";
import { ErrorBanner, Modal } from "./common.tsx";

type Toast = { id: number; text: string; conversationId: string };
const toasts = createStore<Toast[]>([]);
let nextId = 1;

function pushToast(text: string, conversationId: string): void {
  const id = nextId++;
  toasts.update((list) => [...list.slice(-3), { id, text, conversationId }]);
  setTimeout(() => toasts.update((list) => list.filter((x) => x.id !== id)), 8000);
}

export function Toasts() {
  const list = useStore(toasts);
  return (
    <div class="toast-stack" aria-live="polite">
      {list.map((x) => (
        <button
          class="toast"
          data-testid="toast"
          onClick={() => {
            toasts.update((l) => l.filter((y) => y.id !== x.id));
            navigate(`/inbox/${encodeURIComponent(x.conversationId)}`);
          }}
        >
          {x.text}
        </button>
      ))}
    </div>
  );
}

const seenKey = (me: string) => `os.mentions.seenAt.${me}`;

/** The "@" button with the unread count; opens the list. Refreshes when a mention arrives. */
export function MentionsButton({ me }: { me: string }) {
  const t = useT();
  const [items, setItems] = useState<Awaited<ReturnType<typeof listMentions>>["items"]>([]);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const [seenAt, setSeenAt] = useState(() => Number(localStorage.getItem(seenKey(me))) || 0);
  const load = () =>
    listMentions().then(
      (r) => (setItems(r.items), setError(null)),
      (e: unknown) => setError(e),
    );
  useEffect(() => {
    void load();
    return onNotify((n) => {
      pushToast(n.text, n.conversationId);
      // The note reaches D1 with the room's next mirror batch (seconds); refresh then as well.
      if (n.kind === "mention") {
        void load();
        setTimeout(() => void load(), 16_000);
      }
    });
  }, [me]);
  const unread = items.filter((i) => i.createdAt > seenAt).length;
  const markAll = () => {
    const now = Date.now();
    localStorage.setItem(seenKey(me), String(now));
    setSeenAt(now);
  };
  return (
    <>
      <button
        data-testid="mentions"
        aria-label={`${t("mentions")}${unread ? ` (${unread} ${t("unread")})` : ""}`}
        title={t("mentions")}
        onClick={() => (setOpen(true), void load())}
      >
        @{unread > 0 && <span class="count">{unread}</span>}
      </button>
      {open && (
        <Modal title={t("mentions")} onClose={() => (setOpen(false), markAll())}>
          <ErrorBanner error={error} />
          {items.length === 0 && <p class="muted">{t("noMentions")}</p>}
          <ul class="mentions-list">
            {items.map((i) => (
              <li class={`item${i.createdAt > seenAt ? " unread" : ""}`} data-testid="mention">
                <a href={`#/inbox/${encodeURIComponent(i.conversationId)}`} onClick={() => (setOpen(false), markAll())}>
                  {i.authorName ?? t("operator")} {t("mentionedYou")}
                </a>
                <span class="small muted"> · {dateTime(i.createdAt)}</span>
                <div class="small">{i.text}</div>
              </li>
            ))}
          </ul>
          <div class="row" style={{ justifyContent: "flex-end" }}>
            <button onClick={markAll}>{t("markAllRead")}</button>
          </div>
        </Modal>
      )}
    </>
  );
}
