/**
 * The AI's turn in a conversation: run the engine on the new customer message, keep its
 * memory and the copilot material, then act on the gate — and only a sent turn reaches
 * the customer with its actions (issue 18, safety 1).
 *
 * - send: replies stream to the customer and go out through `sendOutgoing`; proposals
 *   are offered with Confirm/Cancel.
 * - draft: the replies become an operator-only note, proposals wait for an operator
 *   (`proposed`), and the customer is acknowledged with when a human will answer.
 * - escalate (or the engine hands over): the customer gets the localised hand-over notice.
 *
 * `botMode` says how the bot may take part: fully while it owns the turn; read-only while
 * the conversation waits in the queue with a held answer (FAQ and account questions are
 * answered, anything that would propose an action or be held again waits for the operator).
 */
import { runTurn } from "../../workers/ai/engine.ts";
import type { TurnResult } from "../../workers/ai/turn-types.ts";
import { schema } from "../../workers/db/client.ts";
import { heldNotice, withWhen } from "../../workers/copy/customer.ts";
import { newId } from "../../workers/lib/ids.ts";
import { eq } from "drizzle-orm";
import type { BotMode } from "../lib/turn.ts";
import { priorityFromUrgency, priorityRank } from "../lib/priority.ts";
import { actionButtons, storeProposals } from "./actions.ts";
import { handoff } from "./handoff.ts";
import type { RoomHost } from "./host.ts";
import { extractMemories } from "../../workers/rights/memory/extract.ts";
import { memoriesForAgent, proposeMemories } from "../../workers/rights/memory/store.ts";
import { readSettings } from "../../workers/protocol/settings.ts";
import { memoryQuestion } from "./memory-questions.ts";
import type { RoomMeta } from "./meta.ts";
import { replyWindowOf, sendOutgoing } from "./outgoing.ts";
import type { StoredMessage } from "./store.ts";

/**
 * Issue 20: proposes the facts this message states (embedded extractor; approved only for
 * auto-approved categories) and returns the contact's approved memories for the turn.
 * A failure here never costs the customer an answer.
 */
async function customerMemories(
  host: RoomHost,
  meta: RoomMeta,
  message: StoredMessage,
): Promise<Array<{ fact: string; source: string }>> {
  try {
    const tdb = host.tdb(meta);
    const candidates = extractMemories(message.content);
    if (candidates.length) {
      const ws = await tdb.workspace();
      await proposeMemories(tdb, {
        contactId: meta.contactId,
        conversationId: meta.conversationId,
        messageId: message.id,
        candidates,
        origin: "rules",
        autoApprove: readSettings(ws?.settings).memory.autoApprove,
      });
    }
    return await memoriesForAgent(tdb, meta.contactId, Date.now());
  } catch (err) {
    console.error("memory lookup failed", err instanceof Error ? err.message : "unknown");
    return [];
  }
}

export async function aiTurn(host: RoomHost, meta: RoomMeta, message: StoredMessage, mode: BotMode): Promise<void> {
  if (mode === "silent") return;
  const answered = await memoryQuestion(host, meta, message).catch((err: unknown) => {
    console.error("memory question failed", err instanceof Error ? err.message : "unknown");
    return false;
  });
  if (answered) return;
  host.broadcastFrame({ type: "typing", from: "bot", name: null, on: true });
  const history = host.store
    .recent(30)
    .filter((m) => m.type === "incoming" || m.type === "outgoing")
    .map((m) => ({
      role:
        m.senderType === "contact"
          ? ("customer" as const)
          : m.senderType === "operator"
            ? ("operator" as const)
            : ("bot" as const),
      text: m.content,
    }));
  // Not awaited here: the engine reads them together with its own first reads.
  const memories = customerMemories(host, meta, message);
  const streamId = newId("msg");
  let result: TurnResult;
  try {
    result = await runTurn(
      host.bindings,
      {
        workspaceId: meta.workspaceId,
        conversationId: meta.conversationId,
        channel: meta.channel,
        text: message.content,
        language: message.language,
        history: history.slice(0, -1),
        memory: { ...meta.engine },
        attachmentKeys: message.attachments.map((a) => a.key),
        contactName: meta.contactName,
        memories,
      },
      (delta, done) => host.broadcastFrame({ type: "stream", streamId, delta, done }, undefined, "operator"),
    );
  } catch (err) {
    console.error("AI turn failed", err instanceof Error ? err.message : "unknown");
    host.broadcastFrame({ type: "typing", from: "bot", name: null, on: false });
    if (mode === "full") await handoff(host, meta, "the assistant is unavailable", { announce: true });
    return;
  }
  const fresh = await remember(host, meta, result);
  const sendable = result.gate.decision === "send" && (mode === "full" || (!result.actions.length && !result.handoff));

  if (sendable) {
    const actionIds = storeProposals(host, fresh, result.actions, true, () => null);
    for (const reply of result.replies) {
      const actionId = reply.actionIndex !== undefined ? (actionIds[reply.actionIndex] ?? null) : null;
      streamToCustomers(host, streamId, reply.text);
      await sendOutgoing(host, fresh, {
        content: reply.text,
        buttons: actionId ? actionButtons(fresh.language, actionId) : reply.buttons,
        actionId,
        internal: { citations: reply.citations ?? [], gate: result.gate },
      });
    }
    if (result.replies.length) markFirstResponse(host);
  } else {
    // Held: operators get the draft and the proposals; the customer only an acknowledgement.
    const offerText = (i: number) => result.replies.find((r) => r.actionIndex === i)?.text ?? null;
    const actionIds = storeProposals(host, fresh, result.actions, false, offerText);
    await host.append({
      type: "note",
      senderType: "bot",
      senderId: null,
      senderName: "Assistant (draft)",
      content: result.replies.map((r) => r.text).join("\n\n"),
      internal: { draft: true, gate: result.gate, actionIds },
    });
  }
  host.broadcastFrame({ type: "typing", from: "bot", name: null, on: false });
  // The turn's traces are operators' material: written once the customer has the answer.
  await recordTraces(host, fresh, result.traces);

  const reason = result.handoff?.reason ?? result.gate.reasons.join("; ");
  if (mode === "read_only") {
    if (!sendable) {
      const window = await replyWindowOf(host, fresh);
      await sendOutgoing(host, fresh, {
        content: result.actions.length
          ? withWhen(fresh.language, "actionWaits", window)
          : heldNotice(fresh.language, window),
        internal: { heldReason: reason },
      });
    }
  } else if (result.gate.decision === "escalate" || result.handoff) {
    // Tell the customer unless the engine's own reply (which says so) already went out.
    await handoff(host, fresh, reason, { announce: !sendable || result.replies.length === 0 });
  } else if (result.gate.decision === "draft") {
    await handoff(host, fresh, reason || "draft", { announce: true, held: "draft" });
  }
  host.kickMirror();
}

/** Keeps the engine's memory, routing and copilot output; each in its own sub-record (the traces follow the answer). */
async function remember(host: RoomHost, meta: RoomMeta, result: TurnResult): Promise<RoomMeta> {
  const before = host.store.getMeta() ?? meta;
  const newRef =
    result.memory.verified && result.memory.customerRef && result.memory.customerRef !== before.customerRef
      ? result.memory.customerRef
      : null;
  const fresh =
    host.store.updateMeta((m) => {
      m.engine = { ...result.memory };
      if (result.route) {
        if (result.route.primary !== "other" || !m.category) m.category = result.route.primary;
        m.secondary = result.route.secondary;
        m.language = result.route.language;
        // The router's urgency only ever raises the priority, and only from "high" up.
        const routed = result.route.escalate ? "urgent" : priorityFromUrgency(result.route.urgency);
        if (priorityRank(routed) >= priorityRank("high") && priorityRank(routed) > priorityRank(m.priority))
          m.priority = routed;
      }
      if (newRef) m.customerRef = newRef;
      if (result.memory.verified && result.memory.email) m.verifiedEmail = result.memory.email;
      m.copilot = {
        draft: result.copilot.draft,
        summary: result.copilot.summary,
        sentiment: result.copilot.sentiment,
        category: m.category,
        gate: result.gate.decision,
      };
    }) ?? meta;
  if (newRef) {
    // Identified to the shop by this conversation's own verification: the contact card can show the account.
    await host.tdb(fresh).update(
      schema.contacts,
      {
        customerRef: newRef,
        ...(result.memory.email ? { email: result.memory.email } : {}),
        updatedAt: Date.now(),
      },
      eq(schema.contacts.id, fresh.contactId),
    );
  }
  if (fresh.copilot) host.broadcastFrame({ type: "ai", ...fresh.copilot }, undefined, "operator");
  return fresh;
}

function markFirstResponse(host: RoomHost): void {
  host.store.updateMeta((m) => {
    m.sla.firstRespondedAt ??= Date.now();
  });
}

function streamToCustomers(host: RoomHost, streamId: string, text: string): void {
  const words = text.split(/(\s+)/);
  let chunk = "";
  for (let i = 0; i < words.length; i++) {
    chunk += words[i];
    if (chunk.length >= 24 || i === words.length - 1) {
      host.broadcastFrame(
        { type: "stream", streamId, delta: chunk, done: i === words.length - 1 },
        undefined,
        "contact",
      );
      chunk = "";
    }
  }
}

async function recordTraces(host: RoomHost, meta: RoomMeta, traces: TurnResult["traces"]): Promise<void> {
  if (!traces.length) return;
  const turnId = newId("turn");
  try {
    await host.tdb(meta).insert(
      schema.aiTraces,
      traces.map((t) => ({ id: newId("trc"), conversationId: meta.conversationId, turnId, ...t })),
    );
  } catch (err) {
    console.error("trace insert failed", err instanceof Error ? err.message : "unknown");
  }
}
