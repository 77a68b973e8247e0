/**
 * The ConversationRoom's metadata as a schema, not a cast: parsed with zod when read from
 * storage (once per wake-up; readers then share one frozen copy and writers change a
 * private one through RoomStore.updateMeta), with one typed sub-record per writer so none
 * can clobber another's state.
 *
 * - `engine`: the AI engine's working memory, stored as the engine returns it and read
 *   back by the engine (workers/ai/state.ts); only the AI turn writes it.
 * - `sla`: due times and which breaches already fired; only the SLA alarm and the first
 *   response write it, and the store stamps `resolvedAt` when the status changes. (It used to live inside the engine's record, so a bot turn
 *   overwrote `slaFired` and the next alarm fired the same breach again: issue 17, bug 2.)
 * - `copilot`: the latest draft and summary for operators.
 * - `held`: a bot answer held for an operator (draft or escalation) — while set and the
 *   conversation waits in the queue, the bot still answers read-only questions.
 *
 * `ROOM_META_VERSION` is the shape written now; `migrateRoomMeta` lifts every older
 * shape to it (called by the store's ordered migrations and on read).
 */
import { z } from "zod";
import { ConversationStatus, Priority, TurnOwner } from "../../workers/protocol/frames.ts";

export const ROOM_META_VERSION = 2;

export const RoomChannel = z.enum(["widget", "telegram", "whatsapp", "messenger", "email"]);

const SlaDueSchema = z.object({
  startedAt: z.number(),
  firstResponseDueAt: z.number(),
  firstResponseAtRiskAt: z.number(),
  resolutionDueAt: z.number(),
  resolutionAtRiskAt: z.number(),
});

export const SlaClockKey = z.enum(["firstResponse", "resolution"]);

const SlaRecord = z.object({
  due: SlaDueSchema.nullable(),
  firstRespondedAt: z.number().nullable(),
  /**
   * When the conversation was resolved (null while it is not): stamped by the store when the
   * status changes, so every copy (D1 row, live inbox item, SLA alarm) reports the same instant
   * rather than the time of the copy. Older stored metas lack it (null; the mirror then keeps D1's).
   */
  resolvedAt: z.number().nullable().default(null),
  /** Breaches already announced (each fires once). */
  fired: z.array(SlaClockKey),
});

const CopilotRecord = z.object({
  draft: z.string().nullable(),
  summary: z.string().nullable(),
  sentiment: z.string().nullable(),
  category: z.string().nullable(),
  gate: z.string().nullable(),
});

const HeldRecord = z.object({
  since: z.number(),
  kind: z.enum(["draft", "escalate"]),
});

export const RoomMetaSchema = z.object({
  version: z.literal(ROOM_META_VERSION),
  conversationId: z.string(),
  workspaceId: z.string(),
  inboxId: z.string(),
  contactId: z.string(),
  channel: RoomChannel,
  threadKey: z.string(),
  contactName: z.string().nullable(),
  customerRef: z.string().nullable(),
  verifiedEmail: z.string().nullable(),
  language: z.string().nullable(),
  priority: Priority,
  tags: z.array(z.string()),
  teamId: z.string().nullable(),
  category: z.string().nullable(),
  secondary: z.array(z.string()),
  turn: z.object({
    owner: TurnOwner,
    assigneeId: z.string().nullable(),
    status: ConversationStatus,
    snoozedUntil: z.number().nullable(),
  }),
  assigneeName: z.string().nullable(),
  csatRequested: z.boolean(),
  sla: SlaRecord,
  engine: z.record(z.string(), z.unknown()),
  copilot: CopilotRecord.nullable(),
  held: HeldRecord.nullable(),
  /** Memories the bot just named as the answer to "how do you know that?" and offered to forget (issue 20). */
  forgetOffer: z
    .object({ ids: z.array(z.string()).max(3), at: z.number() })
    .nullable()
    .optional(),
});

export type RoomMeta = z.infer<typeof RoomMetaSchema>;

/** Version 1 (before sub-records): SLA fields at the top, `ai` shared by the engine and the SLA alarm. */
const V1 = z
  .object({
    firstResponseDueAt: z.number().nullable().optional(),
    resolutionDueAt: z.number().nullable().optional(),
    firstRespondedAt: z.number().nullable().optional(),
    ai: z.record(z.string(), z.unknown()).optional(),
    copilot: CopilotRecord.optional(),
  })
  .passthrough();

/** Lifts any stored shape to the current one; null when it is not a room meta at all. */
export function migrateRoomMeta(raw: unknown): RoomMeta | null {
  const current = RoomMetaSchema.safeParse(raw);
  if (current.success) return current.data;
  const v1 = V1.safeParse(raw);
  if (!v1.success) return null;
  const { firstResponseDueAt, resolutionDueAt, firstRespondedAt, ai, copilot, ...rest } = v1.data;
  const { slaFired, ...engine } = ai ?? {};
  const fired = z.array(SlaClockKey).safeParse(slaFired);
  const lifted = {
    ...rest,
    version: ROOM_META_VERSION,
    sla: {
      due:
        firstResponseDueAt && resolutionDueAt
          ? {
              startedAt: 0,
              firstResponseDueAt,
              firstResponseAtRiskAt: firstResponseDueAt,
              resolutionDueAt,
              resolutionAtRiskAt: resolutionDueAt,
            }
          : null,
      firstRespondedAt: firstRespondedAt ?? null,
      resolvedAt: null,
      fired: fired.success ? fired.data : [],
    },
    engine,
    copilot: copilot ?? null,
    held: null,
  };
  const parsed = RoomMetaSchema.safeParse(lifted);
  return parsed.success ? parsed.data : null;
}
