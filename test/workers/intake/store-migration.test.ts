/**
 * An intake object written by the previous version (the v1 journal tables, the bound inbox
 * as two loose meta keys, no schema_version) opens with this version: the ordered
 * migrations run once, the binding becomes one parsed record, and every journaled event
 * is still there — deduped, counted, processed and copied to D1 as before.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { parseTelegramUpdate } from "../../../workers/channels/telegram/parse.ts";
import { toIntakeEvents } from "../../../durable-objects/intake/journal.ts";
import type { InboxIntake } from "../../../durable-objects/intake/object.ts";
import { INTAKE_SCHEMA_VERSION, IntakeStore } from "../../../durable-objects/intake/store.ts";
import { intakeStub } from "../../../durable-objects/stubs.ts";
import { seedDemo } from "../helpers.ts";
import { eventsFor, json, mockFetch } from "../channels/support.ts";

const INBOX = "v1-telegram";
const db = () => rawDb(env.DB);

function tgText(updateId: number, messageId: number, text: string): string {
  return JSON.stringify({
    update_id: updateId,
    message: {
      date: 1_700_000_000,
      message_id: messageId,
      chat: { id: 6660090, type: "private" },
      from: { id: 6660090, is_bot: false, first_name: "Vera", language_code: "en" },
      text,
    },
  });
}
const eventOf = (body: string) => {
  const [event] = toIntakeEvents(parseTelegramUpdate(JSON.parse(body)));
  if (!event) throw new Error("no event");
  return event;
};

// The bot answers the chat this test opens; its replies reach a Telegram stand-in.
let restore: () => void = () => {};
beforeAll(async () => {
  await seedDemo();
  restore = mockFetch(() =>
    json({ ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: "private" } } }),
  ).restore;
  const demo = await db().select().from(schema.inboxes).where(eq(schema.inboxes.id, "demo-telegram")).get();
  if (!demo) throw new Error("demo inbox missing");
  await db()
    .insert(schema.inboxes)
    .values({ ...demo, id: INBOX, name: `${demo.name} (${INBOX})` })
    .onConflictDoNothing();
});
afterAll(() => restore());

describe("intake storage written by the previous version", () => {
  it("migrates once and keeps the binding, the dedupe and every event", async () => {
    const stub = intakeStub(env, INBOX);
    const done = eventOf(tgText(990001, 1, "already processed before the upgrade"));
    const waiting = eventOf(tgText(990002, 2, "journaled before the upgrade, processed after"));
    const failed = eventOf(tgText(990003, 3, "failing before the upgrade"));
    const now = Date.now();

    await runInDurableObject(stub, (_o: InboxIntake, state) => {
      const sql = state.storage.sql;
      // Exactly what version 1 created (the object has not touched its storage yet).
      sql.exec(`CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
        channel_message_id TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'received',
        attempts INTEGER NOT NULL DEFAULT 0, error TEXT, created_at INTEGER NOT NULL, next_at INTEGER NOT NULL,
        mirrored INTEGER NOT NULL DEFAULT 0, UNIQUE (kind, channel_message_id))`);
      sql.exec(`CREATE INDEX events_due ON events (status, next_at)`);
      sql.exec(`CREATE INDEX events_unmirrored ON events (mirrored, seq)`);
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`INSERT INTO meta (key, value) VALUES ('workspace_id', ?), ('inbox_id', ?)`, DEMO_WORKSPACE_ID, INBOX);
      const insert = `INSERT INTO events (id, kind, channel_message_id, payload, status, attempts, error, created_at, next_at, mirrored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
      sql.exec(
        insert,
        "evt_v1_done",
        "message",
        done.channelMessageId,
        done.payload,
        "processed",
        1,
        null,
        now,
        now,
        1,
      );
      sql.exec(
        insert,
        "evt_v1_wait",
        "message",
        waiting.channelMessageId,
        waiting.payload,
        "received",
        0,
        null,
        now,
        now,
        0,
      );
      // Its retry is an hour away: it stays failed through this test.
      const later = now + 3_600_000;
      sql.exec(
        insert,
        "evt_v1_fail",
        "message",
        failed.channelMessageId,
        failed.payload,
        "failed",
        2,
        "boom",
        now,
        later,
        0,
      );
      expect(sql.exec(`SELECT name FROM sqlite_master WHERE name = 'schema_version'`).toArray()).toEqual([]);
    });

    // The object reads the old store through its RPCs.
    expect(await stub.stats()).toEqual({ received: 1, processed: 1, failed: 1, unmirrored: 2 });
    expect(await stub.seen("message", done.channelMessageId)).toBe(true);
    // A redelivery of an event journaled by version 1 is still a duplicate.
    expect(await stub.accept(DEMO_WORKSPACE_ID, INBOX, [done, waiting])).toEqual({ accepted: [], duplicates: 2 });

    // The waiting event is processed into its conversation and every change reaches D1.
    expect(await stub.settle()).toEqual({ received: 0, processed: 2, failed: 1, unmirrored: 0 });
    const msg = await db()
      .select()
      .from(schema.messages)
      .where(eq(schema.messages.channelMessageId, waiting.channelMessageId))
      .get();
    expect(msg).toMatchObject({ content: "journaled before the upgrade, processed after", inboxId: INBOX });
    expect((await eventsFor(waiting.channelMessageId))[0]).toMatchObject({ id: "evt_v1_wait", status: "processed" });
    expect((await eventsFor(failed.channelMessageId))[0]).toMatchObject({ id: "evt_v1_fail", status: "failed" });

    await runInDurableObject(stub, (_o: InboxIntake, state) => {
      const sql = state.storage.sql;
      expect(sql.exec(`SELECT version FROM schema_version`).toArray()).toEqual([{ version: INTAKE_SCHEMA_VERSION }]);
      expect(sql.exec(`SELECT key, value FROM meta ORDER BY key`).toArray()).toEqual([
        { key: "intake", value: JSON.stringify({ workspaceId: DEMO_WORKSPACE_ID, inboxId: INBOX }) },
      ]);
      // A second open runs nothing again and reads the same binding; another inbox is refused.
      const again = new IntakeStore(sql);
      expect(again.target()).toEqual({ workspaceId: DEMO_WORKSPACE_ID, inboxId: INBOX });
      expect(() => again.bind(DEMO_WORKSPACE_ID, "demo-telegram")).toThrow(/another inbox/);
    });
  });
});
