/**
 * The room's D1 copy keeps the moment the conversation was resolved: a later copy (a tag, a
 * note) must not move `resolved_at` to the time of that copy. Reopening clears it.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConversationRoom } from "../../../durable-objects/conversation.ts";
import { mirrorToD1 } from "../../../durable-objects/room/mirror.ts";
import { applyTurn } from "../../../durable-objects/room/ownership.ts";
import { roomStub } from "../../../durable-objects/stubs.ts";
import { rawDb, schema, TenantDb } from "../../../workers/db/client.ts";
import { DEMO_WORKSPACE_ID } from "../../../workers/db/seed/demo.ts";
import { resolveContact } from "../../../workers/services/contacts.ts";
import { conversationForThread } from "../../../workers/services/conversations.ts";
import { seedDemo } from "../helpers.ts";

beforeAll(async () => {
  await seedDemo();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function resolvedAtInD1(conversationId: string): Promise<number | null> {
  const row = await new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID).first(
    schema.conversations,
    eq(schema.conversations.id, conversationId),
  );
  if (!row) throw new Error("conversation row missing");
  return row.resolvedAt;
}

describe("resolvedAt in the room's D1 copy", () => {
  it("is the resolution instant, unchanged by later copies, and cleared on reopen", async () => {
    const tdb = new TenantDb(rawDb(env.DB), DEMO_WORKSPACE_ID);
    const contact = await resolveContact(tdb, { channel: "telegram", inboxId: "demo-telegram", externalId: "8880417" });
    const conv = await conversationForThread(tdb, {
      inboxId: "demo-telegram",
      channel: "telegram",
      threadKey: "8880417",
      contactId: contact.contactId,
      identityId: contact.identityId,
      subject: null,
    });
    const stub = roomStub(env, conv.id);
    const resolvedAt = 1_900_000_000_000;
    const clock = vi.spyOn(Date, "now").mockReturnValue(resolvedAt);
    await runInDurableObject(stub, async (room: ConversationRoom) => {
      await room.meta();
      expect(await applyTurn(room, { type: "operator_resolve" }, "resolved", null)).toBeNull();
      const meta = room.store.getMeta();
      if (!meta) throw new Error("no meta");
      await mirrorToD1(env, room.store, meta);
    });
    expect(await resolvedAtInD1(conv.id)).toBe(resolvedAt);

    // An hour later an operator tags the resolved conversation: the copy is rewritten, the instant is not.
    clock.mockReturnValue(resolvedAt + 3_600_000);
    await runInDurableObject(stub, async (room: ConversationRoom) => {
      const meta = room.store.updateMeta((m) => {
        m.tags = [...m.tags, "follow-up"];
      });
      if (!meta) throw new Error("no meta");
      await mirrorToD1(env, room.store, meta);
    });
    expect(await resolvedAtInD1(conv.id)).toBe(resolvedAt);

    await runInDurableObject(stub, async (room: ConversationRoom) => {
      expect(await applyTurn(room, { type: "reopen" }, "reopened", null)).toBeNull();
      const meta = room.store.getMeta();
      if (!meta) throw new Error("no meta");
      expect(meta.sla.resolvedAt).toBeNull();
      await mirrorToD1(env, room.store, meta);
    });
    expect(await resolvedAtInD1(conv.id)).toBeNull();
  });
});
