/**
 * The room store's hot-path reads (issue 17, benchmark figures): the meta is validated once
 * per wake-up and then copied from its kept text, and the per-message questions ("is this the
 * customer's first message?", "what does the inbox preview show?") are answered by SQL
 * without reading whole rows. Each read must still behave like the full read it replaces.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { RoomStore } from "../../../durable-objects/room/store.ts";

describe("room store reads", () => {
  it("refuses a stored meta shape it does not know, on a fresh open and on a cached one", async () => {
    await runInDurableObject(roomStub(env, "conv_store_reads_meta"), async (_room, state) => {
      const sql = state.storage.sql;
      const store = new RoomStore(sql);
      sql.exec(
        `INSERT INTO meta (key, value) VALUES ('room', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
        JSON.stringify({ version: 2, conversationId: 42 }),
      );
      // Not lifted, not cast: an unknown shape reads as no meta at all.
      expect(new RoomStore(sql).getMeta()).toBeNull();
      expect(store.getMeta()).toBeNull();
    });
  });

  it("answers the first-message and preview questions like the full rows would", async () => {
    await runInDurableObject(roomStub(env, "conv_store_reads_tail"), async (_room, state) => {
      const store = new RoomStore(state.storage.sql);
      const add = (type: "incoming" | "outgoing" | "note", content: string) =>
        store.append(
          {
            type,
            senderType: type === "incoming" ? "contact" : type === "note" ? "system" : "bot",
            senderId: null,
            senderName: null,
            content,
            attachments: [],
            idempotencyKey: `k:${content}`,
          },
          `msg_${content}`,
        );
      expect(store.incomingInTail(20)).toBe(0);
      expect(store.lastExchanged(5)).toBeNull();
      add("incoming", "hello");
      expect(store.incomingInTail(20)).toBe(1);
      add("outgoing", "hi there");
      add("note", "internal");
      expect(store.lastExchanged(5)?.content).toBe("hi there");
      add("incoming", "again");
      expect(store.incomingInTail(20)).toBe(2);
      expect(store.lastExchanged(5)?.content).toBe("again");
      const full = (n: number) => store.recent(n);
      for (const window of [1, 2, 3, 4, 20])
        expect(store.incomingInTail(window)).toBe(full(window).filter((m) => m.type === "incoming").length);
      // Only the last `window` rows count, as before: five notes hide the last reply.
      for (let i = 0; i < 5; i++) add("note", `n${i}`);
      expect(store.lastExchanged(5)).toBeNull();
      expect(store.lastExchanged(6)?.content).toBe("again");
    });
  });
});
