/**
 * The room's meta built from D1 rows: the conversation, its contact and the workspace's
 * settings (SLA due times are computed here, once, from the conversation's creation).
 * `loadRoomMeta` reads the rows the first time a room wakes for an existing conversation;
 * a widget visitor's first message builds it from the rows it has just written
 * (room/visitor.ts) without reading them back.
 */
import { eq } from "drizzle-orm";
import { schema, TenantDb, type Db } from "../../workers/db/client.ts";
import { toBusinessHours } from "../../workers/lib/hours.ts";
import { readSettings, type WorkspaceSettings } from "../../workers/protocol/settings.ts";
import { computeDueTimes } from "../lib/sla.ts";
import { INITIAL_TURN } from "../lib/turn.ts";
import { ROOM_META_VERSION, RoomChannel, type RoomMeta } from "./meta.ts";

type ConversationRow = typeof schema.conversations.$inferSelect;
type ContactRow = typeof schema.contacts.$inferSelect;

/** The meta of a conversation as D1 has it (engine, copilot and SLA bookkeeping start empty). */
export function roomMetaFromRows(
  conv: ConversationRow,
  contact: Pick<ContactRow, "name" | "customerRef"> | undefined,
  settings: WorkspaceSettings,
): RoomMeta {
  const due = settings.sla
    ? computeDueTimes(
        settings.sla,
        settings.businessHours && settings.sla.businessHoursOnly ? toBusinessHours(settings.businessHours) : null,
        conv.createdAt,
        conv.priority,
      )
    : null;
  return {
    version: ROOM_META_VERSION,
    conversationId: conv.id,
    workspaceId: conv.workspaceId,
    inboxId: conv.inboxId,
    contactId: conv.contactId,
    channel: RoomChannel.catch("widget").parse(conv.channel),
    threadKey: conv.threadKey,
    contactName: contact?.name ?? null,
    customerRef: contact?.customerRef ?? null,
    verifiedEmail: null,
    language: conv.language,
    priority: conv.priority,
    tags: conv.tags,
    teamId: conv.teamId,
    category: conv.category,
    secondary: conv.secondaryCategories,
    turn: {
      ...INITIAL_TURN,
      owner: conv.owner,
      assigneeId: conv.assigneeId,
      status: conv.status,
      snoozedUntil: conv.snoozedUntil,
    },
    assigneeName: null,
    csatRequested: false,
    sla: {
      due,
      firstRespondedAt: conv.firstRespondedAt,
      resolvedAt: conv.status === "resolved" ? conv.resolvedAt : null,
      fired: [],
    },
    engine: {},
    copilot: null,
    held: null,
  };
}

/**
 * Reads the conversation (by id alone, raw D1: the workspace is what it finds out), then
 * its contact and workspace together; null when the conversation has no row.
 */
export async function loadRoomMeta(db: Db, conversationId: string): Promise<RoomMeta | null> {
  const conv = await db.select().from(schema.conversations).where(eq(schema.conversations.id, conversationId)).get();
  if (!conv) return null;
  const tdb = new TenantDb(db, conv.workspaceId);
  const [contact, ws] = await Promise.all([
    tdb.first(schema.contacts, eq(schema.contacts.id, conv.contactId)),
    tdb.workspace(),
  ]);
  return roomMetaFromRows(conv, contact, readSettings(ws?.settings));
}
