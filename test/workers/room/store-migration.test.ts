/**
 * A room written by the previous version (v1 tables without offered_at/offer_text, no
 * schema_version, the meta with SLA bookkeeping inside the engine's `ai` record) opens
 * with this version: ordered migrations run once, the meta is lifted to typed sub-records,
 * old actions read as offered (they were shown to the customer when created).
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { ROOM_SCHEMA_VERSION, RoomStore } from "../../../durable-objects/room/store.ts";

const V1_META = {
  conversationId: "conv_v1",
  workspaceId: "ws_demo",
  inboxId: "demo-telegram",
  contactId: "ct_v1",
  channel: "telegram",
  threadKey: "123",
  contactName: "Dana",
  customerRef: "cus_001",
  verifiedEmail: "john.smith@example.com",
  language: "he",
  priority: "high",
  tags: ["vip"],
  teamId: null,
  category: "shipping_inquiry",
  secondary: [],
  turn: { owner: "human", assigneeId: "op_operator", status: "open", snoozedUntil: null },
  assigneeName: "Olga",
  csatRequested: false,
  firstResponseDueAt: 1_000,
  resolutionDueAt: 9_000,
  firstRespondedAt: 500,
  ai: { verified: true, customerRef: "cus_001", email: "john.smith@example.com", slaFired: ["resolution"] },
  copilot: { draft: "d", summary: "s", sentiment: null, category: "shipping_inquiry", gate: "send" },
};

describe("room storage written by the previous version", () => {
  it("migrates once and reads the old meta, log and actions", async () => {
    await runInDurableObject(roomStub(env, "conv_v1_migration"), async (_room, state) => {
      const sql = state.storage.sql;
      // Exactly what version 1 created.
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE messages (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, sender_type TEXT NOT NULL,
        sender_id TEXT, sender_name TEXT, content TEXT NOT NULL, attachments TEXT NOT NULL DEFAULT '[]',
        buttons TEXT NOT NULL DEFAULT '[]', action_id TEXT, client_id TEXT, idem_key TEXT UNIQUE,
        channel_message_id TEXT, language TEXT, internal TEXT NOT NULL DEFAULT '{}', delivery_status TEXT,
        created_at INTEGER NOT NULL, mirrored INTEGER NOT NULL DEFAULT 0)`);
      sql.exec(`CREATE TABLE actions (
        id TEXT PRIMARY KEY, tool TEXT NOT NULL, args TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL,
        customer_ref TEXT, proposed_by TEXT NOT NULL, decided_by TEXT, expires_at INTEGER NOT NULL,
        result TEXT, created_at INTEGER NOT NULL, mirrored INTEGER NOT NULL DEFAULT 0)`);
      sql.exec(`INSERT INTO meta (key, value) VALUES ('room', ?)`, JSON.stringify(V1_META));
      sql.exec(
        `INSERT INTO messages (seq, id, type, sender_type, content, created_at) VALUES (1, 'msg_old', 'incoming', 'contact', 'hello', 1)`,
      );
      sql.exec(
        `INSERT INTO actions (id, tool, args, summary, status, proposed_by, expires_at, created_at) VALUES ('act_old', 'skip_next_box', '{}', 'Skip', 'pending', 'bot', 99, 1)`,
      );

      const store = new RoomStore(sql);
      const meta = store.getMeta();
      expect(meta?.version).toBe(2);
      expect(meta?.sla).toEqual({
        due: {
          startedAt: 0,
          firstResponseDueAt: 1_000,
          firstResponseAtRiskAt: 1_000,
          resolutionDueAt: 9_000,
          resolutionAtRiskAt: 9_000,
        },
        firstRespondedAt: 500,
        fired: ["resolution"],
        resolvedAt: null,
      });
      expect(meta?.engine).toEqual({ verified: true, customerRef: "cus_001", email: "john.smith@example.com" });
      expect(meta?.turn.assigneeId).toBe("op_operator");
      expect(meta?.copilot?.draft).toBe("d");
      expect(meta?.held).toBeNull();
      expect(store.after(0).map((m) => m.content)).toEqual(["hello"]);
      expect(store.action("act_old")).toMatchObject({ status: "pending", offeredAt: 1, offerText: null });
      const version = sql.exec(`SELECT version FROM schema_version`).toArray();
      expect(version).toEqual([{ version: ROOM_SCHEMA_VERSION }]);
      // A second open runs nothing again (an ALTER twice would throw).
      const again = new RoomStore(sql);
      expect(again.getMeta()?.sla.fired).toEqual(["resolution"]);
    });
  });
});
