/**
 * Unread counts per conversation for this operator, kept in the browser (per workspace
 * login): a conversation whose last message is newer than when this operator last had it
 * open counts as unread; live inbox updates add one per new message. Opening it clears it.
 * The total drives the page title, which flashes while the tab is in the background.
 */
import type { Row } from "../ui/inbox-model.ts";
import { createStore } from "./store.ts";

const KEY = "os.unread";
type Saved = Record<string, { seenAt: number; count: number; lastAt: number }>;

function load(): Saved {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    if (typeof raw !== "object" || raw === null) return {};
    const out: Saved = {};
    for (const [k, v] of Object.entries(raw))
      if (typeof v === "object" && v && "seenAt" in v && "count" in v && "lastAt" in v)
        out[k] = { seenAt: Number(v.seenAt) || 0, count: Number(v.count) || 0, lastAt: Number(v.lastAt) || 0 };
    return out;
  } catch {
    return {};
  }
}

let saved = load();
/** conversationId → unread count (only entries above zero). */
export const unreadStore = createStore<Record<string, number>>(counts());

function counts(): Record<string, number> {
  return Object.fromEntries(Object.entries(saved).flatMap(([k, v]) => (v.count > 0 ? [[k, v.count]] : [])));
}

function commit(): void {
  // Keep the newest 500 conversations: the map must not grow without bound.
  const entries = Object.entries(saved)
    .sort((a, b) => b[1].lastAt - a[1].lastAt)
    .slice(0, 500);
  saved = Object.fromEntries(entries);
  localStorage.setItem(KEY, JSON.stringify(saved));
  unreadStore.set(counts());
}

/** Rows seen in the inbox: new activity on a conversation that is not open counts as unread. */
export function noteActivity(rows: Row[], openId: string | null): void {
  let changed = false;
  for (const r of rows) {
    const at = r.lastMessageAt ?? 0;
    const cur = saved[r.conversationId];
    if (r.conversationId === openId) {
      if (!cur || cur.count || cur.lastAt < at) {
        saved[r.conversationId] = { seenAt: Date.now(), count: 0, lastAt: at };
        changed = true;
      }
      continue;
    }
    if (!cur) {
      // First sight: a conversation nobody here has opened is unread once it has a message.
      saved[r.conversationId] = { seenAt: 0, count: at ? 1 : 0, lastAt: at };
      changed = true;
    } else if (at > cur.lastAt) {
      saved[r.conversationId] = { ...cur, count: at > cur.seenAt ? cur.count + 1 : cur.count, lastAt: at };
      changed = true;
    }
  }
  if (changed) commit();
}

/** The operator opened a conversation: nothing in it is unread any more. */
export function markRead(conversationId: string): void {
  const cur = saved[conversationId];
  saved[conversationId] = { seenAt: Date.now(), count: 0, lastAt: cur?.lastAt ?? 0 };
  commit();
}

/** Title "(3) OmniSupport", flashing "New message" while the tab is hidden and something is unread. */
export function startTitleBadge(base: string): () => void {
  let on = false;
  const render = () => {
    const total = Object.values(unreadStore.get()).reduce((a, b) => a + b, 0);
    const plain = total ? `(${total}) ${base}` : base;
    on = !on && total > 0 && document.visibilityState === "hidden";
    document.title = on ? `✉ ${total} · ${base}` : plain;
  };
  const timer = setInterval(render, 1200);
  const off = unreadStore.subscribe(render);
  render();
  return () => {
    clearInterval(timer);
    off();
    document.title = base;
  };
}
