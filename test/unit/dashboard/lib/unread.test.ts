/** unread.ts keeps per-conversation counts in localStorage (loaded at import) and publishes them in unreadStore. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Row } from "../../../../dashboard/src/ui/inbox-model.ts";

let storage: Map<string, string>;

beforeEach(() => {
  vi.resetModules();
  storage = new Map();
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
  });
});

const load = () => import("../../../../dashboard/src/lib/unread.ts");

function row(conversationId: string, lastMessageAt: number | null): Row {
  return {
    conversationId,
    contactId: null,
    contactName: null,
    channel: "widget",
    status: "open",
    owner: "bot",
    assigneeId: null,
    teamId: null,
    priority: "normal",
    category: null,
    tags: [],
    preview: null,
    lastMessageAt,
    slaDueAt: null,
    slaAtRiskAt: null,
  };
}

describe("dashboard unread counts", () => {
  it("a conversation first seen with a message is unread once; one without messages is not", async () => {
    const { noteActivity, unreadStore } = await load();
    noteActivity([row("a", 100), row("b", null)], null);
    expect(unreadStore.get()).toEqual({ a: 1 });
  });

  it("each newer message on a closed conversation adds one; a repeat of the same row adds nothing", async () => {
    const { noteActivity, unreadStore } = await load();
    noteActivity([row("a", 100)], null);
    noteActivity([row("a", 200)], null);
    noteActivity([row("a", 200)], null);
    noteActivity([row("a", 300)], null);
    expect(unreadStore.get()).toEqual({ a: 3 });
  });

  it("the open conversation never counts, and opening one clears it", async () => {
    const { markRead, noteActivity, unreadStore } = await load();
    noteActivity([row("a", 100), row("b", 100)], "b");
    expect(unreadStore.get()).toEqual({ a: 1 });
    noteActivity([row("b", 200)], "b");
    expect(unreadStore.get()).toEqual({ a: 1 });
    markRead("a");
    expect(unreadStore.get()).toEqual({});
  });

  it("survives a reload through localStorage and ignores a corrupt entry", async () => {
    const first = await load();
    first.noteActivity([row("a", 100), row("b", 100)], null);
    first.noteActivity([row("a", 200)], null);
    const saved = JSON.parse(storage.get("os.unread") ?? "{}") as Record<string, unknown>;
    storage.set("os.unread", JSON.stringify({ ...saved, junk: "x", half: { count: 4 } }));
    vi.resetModules();
    const again = await load();
    expect(again.unreadStore.get()).toEqual({ a: 2, b: 1 });
  });

  it("an unreadable store starts empty instead of failing", async () => {
    storage.set("os.unread", "{not json");
    const { unreadStore } = await load();
    expect(unreadStore.get()).toEqual({});
  });

  it("keeps only the 500 most recent conversations", async () => {
    const { noteActivity, unreadStore } = await load();
    noteActivity(
      Array.from({ length: 510 }, (_, i) => row(`c${i}`, 1000 + i)),
      null,
    );
    const kept = Object.keys(unreadStore.get());
    expect(kept).toHaveLength(500);
    expect(kept).not.toContain("c0");
    expect(kept).toContain("c509");
  });
});
