/**
 * The room store's hot-path reads (issue 17, benchmark figures): the meta is validated once
 * per wake-up and then shared, frozen, with every reader (writers change a private copy
 * through updateMeta), and the per-message questions ("is this the
 * customer's first message?", "what does the inbox preview show?") are answered by SQL
 * without reading whole rows. Each read must still behave like the full read it replaces.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { RoomStore } from "../../../durable-objects/room/store.ts";

/** Writes a meta record as an earlier version (or a stranger) left it, bypassing the store. */
function writeStoredMeta(sql: SqlStorage, value: unknown): void {
  sql.exec(
    `INSERT INTO meta (key, value) VALUES ('room', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    JSON.stringify(value),
  );
}

describe("room store reads", () => {
  it("refuses a stored meta shape it does not know, on a fresh open and on a cached one", async () => {
    await runInDurableObject(roomStub(env, "conv_store_reads_meta"), async (_room, state) => {
      const sql = state.storage.sql;
      const store = new RoomStore(sql);
      writeStoredMeta(sql, { version: 2, conversationId: 42 });
      // Not lifted, not cast: an unknown shape reads as no meta at all.
      expect(new RoomStore(sql).getMeta()).toBeNull();
      expect(store.getMeta()).toBeNull();
    });
  });

  it("shares one frozen meta with readers; updateMeta writes a copy and readers then see the new one", async () => {
    await runInDurableObject(roomStub(env, "conv_store_reads_frozen"), async (_room, state) => {
      const sql = state.storage.sql;
      const store = new RoomStore(sql);
      // A v1-shaped record, lifted on read like any stored meta.
      writeStoredMeta(sql, {
        conversationId: "conv_store_reads_frozen",
        workspaceId: "ws_demo",
        inboxId: "demo-telegram",
        contactId: "ct_frozen",
        channel: "telegram",
        threadKey: "1",
        contactName: "Dana",
        customerRef: null,
        verifiedEmail: null,
        language: "en",
        priority: "normal",
        tags: ["vip"],
        teamId: null,
        category: null,
        secondary: [],
        turn: { owner: "bot", assigneeId: null, status: "open", snoozedUntil: null },
        assigneeName: null,
        csatRequested: false,
        ai: {},
      });
      const read = store.getMeta();
      if (!read) throw new Error("meta did not load");
      // Shared: a second read is the same object, not a parse of its own.
      expect(store.getMeta()).toBe(read);
      // Frozen all the way down: a reader that changes it fails loudly instead of changing
      // what every other reader sees (and what was never stored).
      expect(() => {
        (read.tags as string[]).push("changed");
      }).toThrow(TypeError);
      expect(() => {
        read.turn.status = "resolved";
      }).toThrow(TypeError);
      expect(() => {
        read.sla.fired = ["resolution"];
      }).toThrow(TypeError);

      const after = store.updateMeta((m) => {
        m.tags.push("billing");
        m.turn.status = "resolved";
      });
      // The writer changed its own copy: the object a reader holds is as it was read.
      expect(read.tags).toEqual(["vip"]);
      expect(read.turn.status).toBe("open");
      expect(read.sla.resolvedAt).toBeNull();
      // Readers from now on get the stored state, frozen too, with the resolution instant kept.
      expect(store.getMeta()).toBe(after);
      expect(after?.tags).toEqual(["vip", "billing"]);
      expect(after?.sla.resolvedAt).toEqual(expect.any(Number));
      expect(Object.isFrozen(after?.sla)).toBe(true);
      // What readers get is what is stored: a new wake-up reads the same state.
      expect(new RoomStore(sql).getMeta()).toEqual(after);
    });
  });

  it("answers the first-message and preview questions from SQL, like the full rows would", async () => {
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
      expect(store.firstIncomingSeq()).toBeNull();
      expect(store.lastExchanged(5)).toBeNull();
      add("note", "before");
      expect(store.firstIncomingSeq()).toBeNull();
      const hello = add("incoming", "hello").message;
      expect(store.firstIncomingSeq()).toBe(hello.seq);
      add("outgoing", "hi there");
      add("note", "internal");
      expect(store.lastExchanged(5)?.content).toBe("hi there");
      const again = add("incoming", "again").message;
      expect(store.firstIncomingSeq()).toBe(hello.seq);
      expect(again.seq).not.toBe(hello.seq);
      expect(store.lastExchanged(5)?.content).toBe("again");
      // A new wake-up (a fresh store over the same log) finds the same first message.
      expect(new RoomStore(state.storage.sql).firstIncomingSeq()).toBe(hello.seq);
      // Only the last `window` rows count, as before: five notes hide the last reply.
      for (let i = 0; i < 5; i++) add("note", `n${i}`);
      expect(store.lastExchanged(5)).toBeNull();
      expect(store.lastExchanged(6)?.content).toBe("again");
      // The conversation's first message stays the first: a customer who writes again after
      // a long run of replies and notes is not a new conversation (the old 20-message tail
      // test said they were, and fired "conversation created" a second time).
      for (let i = 0; i < 25; i++) add("outgoing", `reply${i}`);
      const later = add("incoming", "back again").message;
      expect(store.firstIncomingSeq()).not.toBe(later.seq);
      expect(new RoomStore(state.storage.sql).firstIncomingSeq()).toBe(hello.seq);
    });
  });
});
