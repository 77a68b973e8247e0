/**
 * RoomStore on a real Durable Object SQLite: idempotent appends in one statement, the
 * D1-mirror marks as a compare-and-set (also across the 45-row statement slices), and
 * the "anything left to mirror" probe.
 */
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RoomStore, type NewMessage } from "../../durable-objects/room/store.ts";

let n = 0;
/** A fresh object's storage, with the room's tables. */
async function withStore<T>(fn: (store: RoomStore, sql: SqlStorage) => T): Promise<T> {
  const stub = env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(`room-store-test-${Date.now()}-${n++}`));
  return runInDurableObject(stub, (_room, state) => fn(new RoomStore(state.storage.sql), state.storage.sql));
}

const incoming = (key: string | null, content = "hello"): NewMessage => ({
  type: "incoming",
  senderType: "contact",
  senderId: "ct_1",
  senderName: "Ann",
  content,
  idempotencyKey: key,
});

describe("RoomStore.append", () => {
  it("stores a new key once; a repeat returns the first message and uses no sequence number", async () => {
    await withStore((store) => {
      const first = store.append(incoming("channel:1", "first"), "msg_a");
      const again = store.append(incoming("channel:1", "changed text"), "msg_b");
      const next = store.append(incoming("channel:2", "second"), "msg_c");
      expect(first).toMatchObject({ duplicate: false, message: { id: "msg_a", seq: 1, content: "first" } });
      expect(again).toMatchObject({ duplicate: true, message: { id: "msg_a", seq: 1, content: "first" } });
      expect(next).toMatchObject({ duplicate: false, message: { id: "msg_c", seq: 2 } });
      expect(store.after(0).map((m) => [m.seq, m.id])).toEqual([
        [1, "msg_a"],
        [2, "msg_c"],
      ]);
    });
  });

  it("appends messages without a key every time", async () => {
    await withStore((store) => {
      store.append(incoming(null), "msg_a");
      store.append(incoming(null), "msg_b");
      expect(store.lastSeq()).toBe(2);
    });
  });

  it("throws on an id clash instead of passing it off as a duplicate", async () => {
    await withStore((store) => {
      store.append(incoming("channel:1"), "msg_a");
      expect(() => store.append(incoming("channel:2"), "msg_a")).toThrow();
      expect(store.after(0)).toHaveLength(1);
    });
  });
});

describe("RoomStore mirror marks", () => {
  it("marks only rows unchanged since they were read, across statement slices", async () => {
    await withStore((store) => {
      for (let i = 0; i < 100; i++) store.append(incoming(`channel:${i}`, `m${i}`), `msg_${i}`);
      expect(store.hasUnmirrored()).toBe(true);
      const read = store.unmirroredMessages(100);
      expect(read).toHaveLength(100);
      // Two rows change while the copy is in flight: their new state must be copied again.
      store.setDelivery("msg_3", "delivered");
      store.setDelivery("msg_77", "read");
      store.markMirrored(read);
      expect(store.unmirroredMessages(100).map((m) => m.id)).toEqual(["msg_3", "msg_77"]);
      store.markMirrored(store.unmirroredMessages(100));
      expect(store.hasUnmirrored()).toBe(false);
    });
  });
});
