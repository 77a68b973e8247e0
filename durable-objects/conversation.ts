/**
 * ConversationRoom: one Durable Object per conversation. It owns the live sockets of
 * the customer and of every operator watching, the durable message log (SQLite, written
 * before any ack), pending actions, and who owns the turn. Hooks only authenticate,
 * parse and dispatch; rules live in ./lib and ./room, the AI in workers/ai.
 *
 * - onConnect: verify the token from the URL, then welcome + the missed messages.
 * - onMessage: parse a ClientFrame and dispatch it.
 * - onAlarm:   snooze wake-ups, SLA events, action expiry, D1 mirror retries.
 * - RPC:       ingest (channel webhooks), command (REST), decide, delivery, snapshot.
 */
import { Server, type Connection, type ConnectionContext } from "partyserver";
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../workers/db/client.ts";
import { recordClaims } from "../workers/services/contact-claims.ts";
import { getConfig } from "../workers/lib/config.ts";
import { newId } from "../workers/lib/ids.ts";
import { normalizePhone } from "../workers/lib/phone.ts";
import { identifySocket, mayJoin, type SocketIdentity } from "../workers/lib/socket-auth.ts";
import {
  parseClientFrame,
  type ClientFrame,
  type ConversationState,
  type OperatorCommand,
  type ServerFrame,
} from "../workers/protocol/frames.ts";
import { readSettings } from "../workers/protocol/settings.ts";
import { toBusinessHours } from "../workers/lib/hours.ts";
import { runTurn } from "../workers/ai/engine.ts";
import type { EngineMemory } from "../workers/ai/turn-types.ts";
import { executeAction } from "../workers/commerce/execute.ts";
import { applyTurnEvent, botMaySpeak, INITIAL_TURN, type TurnEffect, type TurnEvent } from "./lib/turn.ts";
import { computeDueTimes, nextSlaAlarm, slaStatus } from "./lib/sla.ts";
import { planCommand } from "./room/commands.ts";
import { parseMentions } from "./lib/canned.ts";
import { Coalescer, jittered, throttleDelay } from "./room/coalesce.ts";
import { handoffText, type HoursNow } from "./room/handoff-text.ts";
import { deskOpen, describeHours, isOpen, type BusinessHours } from "./lib/business-hours.ts";
import { messageAttributes, MirrorBacklog, mirrorToD1 } from "./room/mirror.ts";
import { RoomStore, toWire, toWireAction, type NewMessage, type RoomMeta, type StoredMessage } from "./room/store.ts";
import { presenceStub } from "./presence.ts";
import { FlowRunner } from "./room/flow.ts";
import { RulesRunner } from "./room/rules.ts";

const ACTION_TTL_MS = 30 * 60_000;
/** Retry after a failed D1 mirror. */
const MIRROR_RETRY_MS = 2_000;
/**
 * The alarm that copies what a debounced mirror left behind if the object went away
 * first. Well after the debounce window, so in normal operation it finds nothing to do
 * (an early backstop fired every few seconds in every busy room and showed up as
 * hundreds of milliseconds of p99 under load).
 */
const MIRROR_BACKSTOP_MS = 30_000;
/**
 * D1 (inbox list, reports, analytics) trails the room by one window, 5–15 s (10 s ± 50 %).
 * Measured on 2 cores, 200 rooms at 1 msg/s each: every local D1 batch costs ~3–5 ms of the
 * one workerd thread whatever its size, so the window sets how many batches there are:
 * 5 s → p99 27–29 ms, 10 s → p99 22–25 ms (steady state, 30 s runs). REST message reads
 * use the room's own log; commands and delivery updates flush at once (mirrorNow); the
 * live inbox comes from the Presence object, so no screen waits for this window.
 */
const MIRROR_DEBOUNCE_MS = 10_000;
/**
 * The window is drawn afresh for every burst. Rooms that got busy together (a deploy, a
 * broadcast, a load test's warm-up) would otherwise flush to D1 in the same instant, every
 * window, and queue each other's messages behind a wall of D1 batches (measured: 200
 * rooms in step → p99 650 ms; jittered, 5 s → 28 ms).
 */
const MIRROR_JITTER = 0.5;
/**
 * Live inbox updates (list previews) to the workspace's Presence object, throttled per
 * room: the first change after a quiet spell goes out at once, later ones at most once per
 * this window (jittered ±25 %). One Presence object serves every room of a workspace, so
 * per-message pushes would make it the bottleneck (measured: 200 rooms at 1 msg/s with a
 * 1 s trailing window → p50 4.5 ms, p99 33 ms; without pushes 3.2 / 22 ms). Watchers of
 * the conversation itself get every message at once.
 */
const INBOX_WINDOW_MS = 2000;

type ConnState = SocketIdentity & { name: string | null };

export interface InboundInput {
  channelMessageId: string;
  text: string;
  attachments: Array<{ key: string; name: string; mimeType: string; size: number }>;
  senderName: string | null;
  sentAt: number;
  language?: string | null;
  /** A button press (confirm/cancel of an action, quick reply). */
  actionPayload?: string | null;
}

export class ConversationRoom extends Server<Env> {
  static override options = { hibernate: true };
  #store: RoomStore | undefined;
  readonly #mirrorJob = new Coalescer(
    () => this.mirror(),
    () => jittered(MIRROR_DEBOUNCE_MS, MIRROR_JITTER),
  );
  readonly #inboxJob = new Coalescer(
    () => this.pushInboxNow(),
    () => throttleDelay(this.#inboxPushedAt, jittered(INBOX_WINDOW_MS, 0.25), Date.now()),
  );
  #inboxPushedAt = 0;
  #inboxIsNew = false;
  /** Whether the alarm backs up the debounced mirror now (armed by the first change after a clean mirror). */
  #mirrorAlarmArmed = false;

  get store(): RoomStore {
    this.#store ??= new RoomStore(this.ctx.storage.sql);
    return this.#store;
  }

  #flows: FlowRunner | undefined;
  #rules: RulesRunner | undefined;
  /** Scenario flows and automation rules (durable-objects/room/flow.ts, rules.ts), wired to this room. */
  get flows(): FlowRunner {
    this.#flows ??= new FlowRunner(this.automationHost());
    return this.#flows;
  }
  get rules(): RulesRunner {
    this.#rules ??= new RulesRunner(this.automationHost());
    return this.#rules;
  }

  /** Workspace business hours for flows and rules, read at most every 30 s (every message asks). */
  #hoursCache: { at: number; hours: BusinessHours | null } | null = null;

  private automationHost() {
    const hours = async (meta: RoomMeta) => {
      const now = Date.now();
      if (this.#hoursCache && now - this.#hoursCache.at < 30_000) return this.#hoursCache.hours;
      const ws = await rawDb(this.env.DB)
        .select({ settings: schema.workspaces.settings })
        .from(schema.workspaces)
        .where(eq(schema.workspaces.id, meta.workspaceId))
        .get();
      const settings = readSettings(ws?.settings);
      const h = settings.businessHours ? toBusinessHours(settings.businessHours) : null;
      this.#hoursCache = { at: now, hours: h };
      return h;
    };
    return {
      env: this.env,
      storage: this.ctx.storage,
      meta: () => this.meta(),
      recent: (limit: number) => this.store.recent(limit),
      say: async (
        meta: RoomMeta,
        text: string,
        buttons: Array<{ title: string; payload: string }>,
        senderId?: string,
      ) => {
        const { message } = await this.append({
          type: "outgoing",
          senderType: "bot",
          senderId: senderId ?? null,
          senderName: "Assistant",
          content: text,
          buttons,
          language: meta.language,
          deliveryStatus: meta.channel === "widget" ? null : "pending",
        });
        await this.deliverOutbound(meta, message);
      },
      note: async (text: string) => {
        await this.append({
          type: "note",
          senderType: "system",
          senderId: null,
          senderName: "Automation",
          content: text,
        });
      },
      command: async (cmd: OperatorCommand) => {
        await this.command({ id: "automation", name: "Automation" }, cmd);
      },
      aiTurn: (meta: RoomMeta, message: StoredMessage) => this.aiTurn(meta, message),
      handoff: (meta: RoomMeta, reason: string, announce: boolean) => this.handoff(meta, reason, announce),
      startFlow: async (meta: RoomMeta, flowId: string) => {
        await this.flows.start(meta, null, flowId);
      },
      hours,
      businessHoursOpen: async (meta: RoomMeta) => {
        const h = await hours(meta);
        return h ? isOpen(h, new Date()) : true;
      },
      scheduleAlarm: () => this.scheduleAlarm(),
      audit: (action: string, detail: Record<string, unknown>) => this.audit(action, detail),
    };
  }

  /** The room's metadata, loaded from D1 the first time the conversation is touched. */
  async meta(): Promise<RoomMeta | null> {
    const existing = this.store.getMeta();
    if (existing) return existing;
    const db = rawDb(this.env.DB);
    const conv = await db.select().from(schema.conversations).where(eq(schema.conversations.id, this.name)).get();
    if (!conv) return null;
    const contact = await db.select().from(schema.contacts).where(eq(schema.contacts.id, conv.contactId)).get();
    const ws = await db.select().from(schema.workspaces).where(eq(schema.workspaces.id, conv.workspaceId)).get();
    const settings = readSettings(ws?.settings);
    const created = conv.createdAt;
    const due = settings.sla
      ? computeDueTimes(
          settings.sla,
          settings.businessHours && settings.sla.businessHoursOnly ? toBusinessHours(settings.businessHours) : null,
          created,
          conv.priority,
        )
      : null;
    const meta: RoomMeta = {
      conversationId: conv.id,
      workspaceId: conv.workspaceId,
      inboxId: conv.inboxId,
      contactId: conv.contactId,
      channel: conv.channel as RoomMeta["channel"],
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
      firstResponseDueAt: due?.firstResponseDueAt ?? null,
      resolutionDueAt: due?.resolutionDueAt ?? null,
      firstRespondedAt: conv.firstRespondedAt,
      ai: {},
    };
    this.store.setMeta(meta);
    await this.scheduleAlarm();
    return meta;
  }

  private saveMeta(meta: RoomMeta): void {
    this.store.setMeta(meta);
  }

  // ---------------------------------------------------------------------------
  // Sockets
  // ---------------------------------------------------------------------------

  override async onConnect(conn: Connection<ConnState>, ctx: ConnectionContext): Promise<void> {
    const url = new URL(ctx.request.url);
    const identity = await identifySocket(url.searchParams.get("token"), getConfig(this.env).jwtSecret);
    const meta = await this.meta();
    if (!identity || !meta || !mayJoin(identity, this.name, meta.workspaceId)) {
      conn.close(4401, "unauthorized");
      return;
    }
    const name = identity.role === "operator" ? await this.operatorName(identity.id) : meta.contactName;
    conn.setState({ ...identity, name });
    const lastSeq = Number(url.searchParams.get("lastSeq") ?? "0");
    this.send(conn, {
      type: "welcome",
      conversationId: this.name,
      role: identity.role,
      lastSeq: this.store.lastSeq(),
      state: this.stateOf(meta),
    });
    this.sendSync(conn, Number.isFinite(lastSeq) && lastSeq > 0 ? lastSeq : 0);
    // Operators opening the conversation later still get the latest AI draft and summary.
    if (identity.role === "operator" && meta.copilot) this.send(conn, { type: "ai", ...meta.copilot });
  }

  override async onMessage(conn: Connection<ConnState>, raw: string | ArrayBuffer | ArrayBufferView): Promise<void> {
    const who = conn.state;
    if (!who) return conn.close(4401, "unauthorized");
    const parsed = parseClientFrame(typeof raw === "string" ? raw : new ArrayBuffer(0));
    if (!parsed.ok) return this.send(conn, { type: "error", code: parsed.code, message: parsed.message });
    try {
      await this.dispatch(conn, who, parsed.frame);
    } catch (err) {
      console.error("room dispatch failed", err instanceof Error ? err.message : "unknown");
      this.send(conn, { type: "error", code: "internal", message: "Something went wrong; please retry" });
    }
  }

  private async dispatch(conn: Connection<ConnState>, who: ConnState, f: ClientFrame): Promise<void> {
    const staff = who.role === "operator";
    const writer = staff ? who.operatorRole !== "analyst" : true;
    switch (f.type) {
      case "ping":
        return this.send(conn, { type: "pong" });
      case "resume":
        return this.sendSync(conn, f.lastSeq);
      case "typing":
        return this.broadcastFrame(
          { type: "typing", from: staff ? "operator" : "contact", name: staff ? who.name : null, on: f.on },
          conn.id,
        );
      case "read":
        return this.broadcastFrame(
          { type: "read", by: staff ? "operator" : "contact", seq: Math.min(f.seq, this.store.lastSeq()) },
          conn.id,
        );
      case "send": {
        if (!writer)
          return this.send(conn, {
            type: "error",
            code: "forbidden",
            message: "Read-only access",
            clientId: f.clientId,
          });
        if (!f.text.trim() && f.attachments.length === 0)
          return this.send(conn, {
            type: "error",
            code: "empty_message",
            message: "Message is empty",
            clientId: f.clientId,
          });
        const prefix = `${(await this.meta())?.workspaceId}/${this.name}/`;
        if (f.attachments.some((a) => !a.key.startsWith(prefix)))
          return this.send(conn, {
            type: "error",
            code: "invalid_attachment",
            message: "Unknown attachment",
            clientId: f.clientId,
          });
        return staff
          ? this.operatorSend(conn, who, f.clientId, f.text, f.attachments)
          : this.customerSend(conn, who, f.clientId, f.text, f.attachments, f.language ?? null);
      }
      case "note": {
        if (!staff || !writer)
          return this.send(conn, {
            type: "error",
            code: "forbidden",
            message: "Only operators can write notes",
            clientId: f.clientId,
          });
        const { message, duplicate } = await this.append({
          type: "note",
          senderType: "operator",
          senderId: who.id,
          senderName: who.name,
          content: f.text,
          clientId: f.clientId,
          idempotencyKey: `operator:${who.id}:${f.clientId}`,
        });
        this.send(conn, { type: "ack", clientId: f.clientId, seq: message.seq, messageId: message.id, duplicate });
        if (!duplicate) await this.notifyMentions(f.text, who);
        return;
      }
      case "action.decide": {
        if (staff && !writer) return this.send(conn, { type: "error", code: "forbidden", message: "Read-only access" });
        const res = await this.decide(f.actionId, f.decision, staff ? `operator:${who.id}` : `contact:${who.id}`);
        if (!res.ok) this.send(conn, { type: "error", code: res.code, message: res.message });
        return;
      }
      case "csat":
      case "nps": {
        if (staff)
          return this.send(conn, {
            type: "error",
            code: "forbidden",
            message: "Only the customer rates the conversation",
          });
        return this.rate(conn, f);
      }
      case "form":
        if (staff) return this.send(conn, { type: "error", code: "forbidden", message: "Forms are for customers" });
        return this.submitForm(conn, who, f);
      case "command": {
        if (!staff || !writer)
          return this.send(conn, { type: "error", code: "forbidden", message: "Only operators can do this" });
        const res = await this.command({ id: who.id, name: who.name ?? "An operator" }, f.cmd);
        if (!res.ok) this.send(conn, { type: "error", code: res.code, message: res.message });
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Messages
  // ---------------------------------------------------------------------------

  /** Durable append, then broadcast, then mirror. The caller acks after this returns. */
  private async append(m: NewMessage): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const res = this.store.append(m, newId("msg"));
    if (!res.duplicate) {
      this.broadcastMessage(res.message);
      this.kickMirror();
    }
    return res;
  }

  private async customerSend(
    conn: Connection<ConnState> | null,
    who: { id: string },
    clientId: string,
    text: string,
    attachments: NewMessage["attachments"],
    language: string | null,
  ): Promise<void> {
    const { message, duplicate } = await this.append({
      type: "incoming",
      senderType: "contact",
      senderId: who.id,
      senderName: (await this.meta())?.contactName ?? null,
      content: text,
      attachments,
      clientId,
      idempotencyKey: `contact:${who.id}:${clientId}`,
      language,
    });
    if (conn) this.send(conn, { type: "ack", clientId, seq: message.seq, messageId: message.id, duplicate });
    if (!duplicate) await this.afterCustomerMessage(message);
  }

  /** Entry point for channel webhooks (Telegram, WhatsApp, Messenger, email). Deduped on the provider id. */
  async ingest(input: InboundInput): Promise<{ seq: number; duplicate: boolean }> {
    const meta = await this.meta();
    if (!meta) throw new Error("conversation not found");
    const confirm = input.actionPayload ? /^action:([A-Za-z0-9_-]+):(confirm|cancel)$/.exec(input.actionPayload) : null;
    const { message, duplicate } = await this.append({
      type: "incoming",
      senderType: "contact",
      senderId: meta.contactId,
      senderName: input.senderName ?? meta.contactName,
      content: input.text || (input.attachments.length ? "[attachment]" : ""),
      attachments: input.attachments,
      idempotencyKey: `channel:${input.channelMessageId}`,
      channelMessageId: input.channelMessageId,
      language: input.language ?? null,
      createdAt: input.sentAt,
    });
    if (duplicate) return { seq: message.seq, duplicate };
    if (confirm?.[1] && confirm[2])
      await this.decide(confirm[1], confirm[2] === "confirm" ? "confirm" : "cancel", `contact:${meta.contactId}`);
    // The append left the meta as read above: no second read and parse.
    else await this.afterCustomerMessage(message, meta, input.actionPayload ?? null);
    // The message is durable here; D1 follows with the room's mirror window like any other
    // message (the intake journal of record is the InboxIntake object, not D1).
    return { seq: message.seq, duplicate };
  }

  /** Several channel messages of this conversation, in order (the intake's batches). */
  async ingestMany(inputs: InboundInput[]): Promise<Array<{ seq: number; duplicate: boolean }>> {
    const out: Array<{ seq: number; duplicate: boolean }> = [];
    for (const input of inputs) out.push(await this.ingest(input));
    return out;
  }

  /** An operator confirmed a possible match: the conversation's contact is now `into`. */
  async contactMerged(from: string, into: string): Promise<void> {
    const meta = await this.meta();
    if (!meta || meta.contactId !== from) return;
    meta.contactId = into;
    this.saveMeta(meta);
  }

  /**
   * The conversation's own verification state (engine memory: a code typed here, or the
   * host's HMAC identity): the only source of "verified" for copilot suggestions.
   */
  async verification(): Promise<{ verified: boolean; customerRef: string | null; email: string | null }> {
    const meta = await this.meta();
    const ai = meta?.ai ?? {};
    const verified = ai.verified === true && typeof ai.customerRef === "string";
    return {
      verified,
      customerRef: verified && typeof ai.customerRef === "string" ? ai.customerRef : null,
      email: verified && typeof ai.email === "string" ? ai.email : null,
    };
  }

  /** Brings D1 up to date with this room now (the intake's settle, operations, tests). */
  async syncMirror(): Promise<void> {
    await this.mirrorNow();
  }

  private async operatorSend(
    conn: Connection<ConnState>,
    who: ConnState,
    clientId: string,
    text: string,
    attachments: NewMessage["attachments"],
  ): Promise<void> {
    let meta = await this.meta();
    if (!meta) return;
    // An operator who answers takes the conversation (handoff bot→human keeps the whole log).
    if (meta.turn.owner !== "human" || meta.turn.assigneeId !== who.id) {
      const event: TurnEvent =
        meta.turn.owner === "human"
          ? { type: "transfer_to_operator", operatorId: who.id }
          : { type: "operator_assign", operatorId: who.id };
      await this.applyTurn(event, `${who.name ?? "An operator"} joined the conversation`, who.id);
      meta = await this.meta();
      if (!meta) return;
    }
    const { message, duplicate } = await this.append({
      type: "outgoing",
      senderType: "operator",
      senderId: who.id,
      senderName: who.name,
      content: text,
      attachments,
      clientId,
      idempotencyKey: `operator:${who.id}:${clientId}`,
      deliveryStatus: meta.channel === "widget" ? null : "pending",
    });
    this.send(conn, { type: "ack", clientId, seq: message.seq, messageId: message.id, duplicate });
    if (!duplicate) {
      if (!meta.firstRespondedAt) {
        meta.firstRespondedAt = Date.now();
        this.saveMeta(meta);
        this.kickMirror();
      }
      await this.deliverOutbound(meta, message);
    }
  }

  /** Runs after every new customer message: reopen if needed, then the AI turn if the bot owns it. */
  private async afterCustomerMessage(
    message: StoredMessage,
    current?: RoomMeta,
    payload?: string | null,
  ): Promise<void> {
    const meta = current ?? (await this.meta());
    if (!meta) return;
    const first = this.store.recent(20).filter((m) => m.type === "incoming").length === 1;
    if (meta.turn.status !== "open" || meta.turn.owner === "queue") {
      const res = applyTurnEvent(meta.turn, { type: "customer_message" });
      if (res.ok) {
        meta.turn = res.state;
        this.saveMeta(meta);
        await this.runEffects(meta, res.effects);
        this.broadcastState(meta);
      }
    }
    this.pushInbox(meta, message);
    if (first) await this.rules.onEvent("conversation_created", meta.conversationId);
    await this.rules.onEvent("message_received", message.id, { text: message.content });
    const now = (await this.meta()) ?? meta;
    if (!botMaySpeak(now.turn)) return;
    // A running or newly triggered flow takes the message; otherwise the AI agent answers.
    if (await this.flows.onCustomerMessage(now, message, payload ?? null, first)) return;
    await this.aiTurn(now, message);
  }

  private async aiTurn(meta: RoomMeta, message: StoredMessage): Promise<void> {
    this.broadcastFrame({ type: "typing", from: "bot", name: null, on: true });
    const history = this.store
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
    const memory: EngineMemory = { ...(meta.ai as EngineMemory) };
    const streamId = newId("msg");
    let result;
    try {
      result = await runTurn(
        this.env,
        {
          workspaceId: meta.workspaceId,
          conversationId: meta.conversationId,
          channel: meta.channel,
          text: message.content,
          language: message.language,
          history: history.slice(0, -1),
          memory,
          attachmentKeys: message.attachments.map((a) => a.key),
          contactName: meta.contactName,
        },
        (delta, done) => this.broadcastFrame({ type: "stream", streamId, delta, done }, undefined, "operator"),
      );
    } catch (err) {
      console.error("AI turn failed", err instanceof Error ? err.message : "unknown");
      this.broadcastFrame({ type: "typing", from: "bot", name: null, on: false });
      await this.handoff(meta, "The assistant is unavailable; a colleague will answer.");
      return;
    }
    const fresh = (await this.meta()) ?? meta;
    fresh.ai = { ...result.memory };
    if (result.route) {
      fresh.category = fresh.category ?? result.route.primary;
      if (result.route.primary !== "other" || !fresh.category) fresh.category = result.route.primary;
      fresh.secondary = result.route.secondary;
      fresh.language = result.route.language;
      if (result.route.urgency === "critical" || result.route.escalate) fresh.priority = "urgent";
      else if (result.route.urgency === "high" && fresh.priority !== "urgent") fresh.priority = "high";
    }
    if (result.memory.customerRef && result.memory.customerRef !== fresh.customerRef) {
      fresh.customerRef = result.memory.customerRef;
      // The contact is now identified to the shop: the inbox's customer card can show the account.
      await rawDb(this.env.DB)
        .update(schema.contacts)
        .set({
          customerRef: result.memory.customerRef,
          ...(result.memory.verified && result.memory.email ? { email: result.memory.email } : {}),
          updatedAt: Date.now(),
        })
        .where(eq(schema.contacts.id, fresh.contactId));
    }
    if (result.memory.verified && result.memory.email) fresh.verifiedEmail = result.memory.email;
    this.saveMeta(fresh);
    await this.recordTraces(fresh, result.traces);
    const copilot = {
      draft: result.copilot.draft,
      summary: result.copilot.summary,
      sentiment: result.copilot.sentiment,
      category: fresh.category,
      gate: result.gate.decision,
    };
    fresh.copilot = copilot;
    this.saveMeta(fresh);
    this.broadcastFrame({ type: "ai", ...copilot }, undefined, "operator");

    const actionIds = result.actions.map((a) => {
      const stored = this.store.createAction({
        id: newId("act"),
        tool: a.tool,
        args: a.args,
        summary: a.summary,
        customerRef: fresh.customerRef,
        proposedBy: "bot",
        expiresAt: Date.now() + ACTION_TTL_MS,
      });
      this.broadcastFrame({ type: "action", action: toWireAction(stored) });
      return stored.id;
    });

    if (result.gate.decision === "send") {
      for (const reply of result.replies) {
        const actionId = reply.actionIndex !== undefined ? (actionIds[reply.actionIndex] ?? null) : null;
        const buttons = actionId
          ? [
              { title: "Confirm", payload: `action:${actionId}:confirm` },
              { title: "Cancel", payload: `action:${actionId}:cancel` },
            ]
          : reply.buttons;
        this.streamToCustomers(streamId, reply.text);
        const { message: out } = await this.append({
          type: "outgoing",
          senderType: "bot",
          senderId: null,
          senderName: "Assistant",
          content: reply.text,
          buttons,
          actionId,
          language: fresh.language,
          internal: { citations: reply.citations ?? [], gate: result.gate },
          deliveryStatus: fresh.channel === "widget" ? null : "pending",
        });
        await this.deliverOutbound(fresh, out);
      }
      if (!fresh.firstRespondedAt && result.replies.length) {
        fresh.firstRespondedAt = Date.now();
        this.saveMeta(fresh);
      }
    } else if (result.gate.decision === "draft") {
      const draft = result.replies.map((r) => r.text).join("\n\n");
      await this.append({
        type: "note",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant (draft)",
        content: draft,
        internal: { draft: true, gate: result.gate, actionIds },
      });
    }
    this.broadcastFrame({ type: "typing", from: "bot", name: null, on: false });
    if (result.gate.decision === "escalate" || result.handoff) {
      // Tell the customer unless the engine's own reply (which says so) already went out.
      const announce = result.gate.decision !== "send" || result.replies.length === 0;
      await this.handoff(fresh, result.handoff?.reason ?? result.gate.reasons.join("; "), announce);
    } else if (result.gate.decision === "draft") {
      await this.handoff(fresh, "AI draft awaiting operator approval", false, true);
    }
    this.kickMirror();
  }

  /** Hands the conversation to the human queue, telling the customer unless it is a silent draft. */
  private async handoff(meta: RoomMeta, reason: string, announce = true, silent = false): Promise<void> {
    if (!silent && announce) {
      const { message } = await this.append({
        type: "outgoing",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant",
        content: handoffText(meta.language, await this.hoursNow(meta)),
        internal: { handoffReason: reason },
        deliveryStatus: meta.channel === "widget" ? null : "pending",
      });
      await this.deliverOutbound(meta, message);
    }
    if (meta.turn.owner === "bot")
      await this.applyTurn({ type: "bot_handoff", teamId: meta.teamId }, `Handed to a human: ${reason}`, null);
  }

  /** Whether the team is open now, from the workspace's business hours (null when none are set). */
  private async hoursNow(meta: RoomMeta): Promise<HoursNow | null> {
    const ws = await rawDb(this.env.DB)
      .select({ settings: schema.workspaces.settings })
      .from(schema.workspaces)
      .where(eq(schema.workspaces.id, meta.workspaceId))
      .get();
    const settings = readSettings(ws?.settings);
    if (!settings.businessHours || !settings.afterHours.enabled) return null;
    const hours = toBusinessHours(settings.businessHours);
    const within = isOpen(hours, new Date());
    const online = within ? 0 : await presenceStub(this.env, meta.workspaceId).onlineCount();
    return { open: deskOpen(within, online), description: describeHours(hours, meta.language ?? "en") };
  }

  private streamToCustomers(streamId: string, text: string): void {
    const words = text.split(/(\s+)/);
    let chunk = "";
    for (let i = 0; i < words.length; i++) {
      chunk += words[i];
      if (chunk.length >= 24 || i === words.length - 1) {
        this.broadcastFrame(
          { type: "stream", streamId, delta: chunk, done: i === words.length - 1 },
          undefined,
          "contact",
        );
        chunk = "";
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Actions: propose → confirm (single use, expiring) → execute exactly once
  // ---------------------------------------------------------------------------

  async decide(
    actionId: string,
    decision: "confirm" | "cancel",
    by: string,
  ): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const meta = await this.meta();
    const action = this.store.action(actionId);
    if (!meta || !action) return { ok: false, code: "not_found", message: "No such action" };
    if (action.status === "pending" && action.expiresAt < Date.now()) {
      this.store.transitionAction(actionId, "pending", "expired");
      this.broadcastAction(actionId);
      this.kickMirror();
      return { ok: false, code: "expired", message: "This confirmation has expired; please ask again" };
    }
    if (decision === "cancel") {
      if (!this.store.transitionAction(actionId, "pending", "cancelled", { decidedBy: by }))
        return { ok: false, code: "already_decided", message: "This action was already decided" };
      this.broadcastAction(actionId);
      await this.append({
        type: "activity",
        senderType: "system",
        senderId: null,
        senderName: null,
        content: `Cancelled: ${action.summary}`,
      });
      return { ok: true };
    }
    if (!this.store.transitionAction(actionId, "pending", "confirmed", { decidedBy: by }))
      return { ok: false, code: "already_decided", message: "This action was already decided" };
    this.broadcastAction(actionId);
    this.kickMirror();
    try {
      const result = await executeAction(this.env, meta.workspaceId, action.customerRef, action.tool, action.args);
      this.store.transitionAction(actionId, "confirmed", "executed", { result });
      this.broadcastAction(actionId);
      const text = typeof result.message === "string" ? result.message : `Done: ${action.summary}`;
      const { message } = await this.append({
        type: "outgoing",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant",
        content: text,
        internal: { actionId, executed: true },
        deliveryStatus: meta.channel === "widget" ? null : "pending",
      });
      await this.deliverOutbound(meta, message);
      await this.audit("action.executed", { actionId, tool: action.tool, by });
    } catch (err) {
      this.store.transitionAction(actionId, "confirmed", "failed", {
        result: { error: err instanceof Error ? err.message : "failed" },
      });
      this.broadcastAction(actionId);
      await this.append({
        type: "outgoing",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant",
        content: "I couldn't complete that change. A colleague will look at it and get back to you.",
        internal: { actionId, failed: true },
      });
      await this.handoff(meta, `Action ${action.tool} failed`, false);
    }
    await this.mirrorNow();
    return { ok: true };
  }

  // ---------------------------------------------------------------------------
  // Operator commands and turn ownership
  // ---------------------------------------------------------------------------

  async command(
    actor: { id: string; name: string },
    cmd: OperatorCommand,
  ): Promise<{ ok: true; state: ConversationState } | { ok: false; code: string; message: string }> {
    const meta = await this.meta();
    if (!meta) return { ok: false, code: "not_found", message: "Conversation not found" };
    const settings = readSettings(
      (
        await rawDb(this.env.DB)
          .select()
          .from(schema.workspaces)
          .where(eq(schema.workspaces.id, meta.workspaceId))
          .get()
      )?.settings,
    );
    let targetName: string | null = null;
    if (cmd.command === "transfer" && cmd.teamId) {
      const team = await rawDb(this.env.DB).select().from(schema.teams).where(eq(schema.teams.id, cmd.teamId)).get();
      if (!team || team.workspaceId !== meta.workspaceId)
        return { ok: false, code: "unknown_team", message: "No such team" };
      meta.teamId = team.id;
      this.saveMeta(meta);
      targetName = team.name;
    }
    if (cmd.command === "assign" || (cmd.command === "transfer" && cmd.operatorId)) {
      const target = cmd.command === "assign" ? cmd.operatorId : (cmd.operatorId ?? "");
      const op = await rawDb(this.env.DB).select().from(schema.operators).where(eq(schema.operators.id, target)).get();
      if (!op || op.workspaceId !== meta.workspaceId || op.role === "analyst")
        return { ok: false, code: "unknown_operator", message: "No such operator" };
      targetName = op.name;
    }
    const plan = planCommand(cmd, actor, Date.now(), settings.unassignReturnsTo, targetName);
    if (plan.kind === "error") return { ok: false, code: plan.code, message: plan.message };
    if (plan.kind === "meta") {
      const added = plan.patch.tags?.filter((t) => !meta.tags.includes(t)) ?? [];
      if (plan.patch.tags) meta.tags = plan.patch.tags;
      if (plan.patch.priority) meta.priority = plan.patch.priority;
      this.saveMeta(meta);
      await this.append({
        type: "activity",
        senderType: "system",
        senderId: actor.id,
        senderName: null,
        content: plan.activity,
      });
      this.broadcastState(meta);
      if (added.length) await this.rules.onEvent("tag_added", `${added.join(",")}@${Date.now()}`);
      await this.mirrorNow();
      return { ok: true, state: this.stateOf(meta) };
    }
    const err = await this.applyTurn(plan.event, plan.activity, actor.id);
    if (err) return { ok: false, code: err, message: `Not possible now: ${err.replace(/_/g, " ")}` };
    if (plan.note)
      await this.append({
        type: "note",
        senderType: "operator",
        senderId: actor.id,
        senderName: actor.name,
        content: plan.note,
      });
    const after = await this.meta();
    if (after && cmd.command === "resolve") await this.requestCsat(after);
    await this.mirrorNow();
    return { ok: true, state: this.stateOf(after ?? meta) };
  }

  /** Assignment decided by the Presence object (queue drain). */
  async assignFromQueue(operatorId: string): Promise<boolean> {
    const meta = await this.meta();
    if (!meta || meta.turn.owner !== "queue") return false;
    const err = await this.applyTurn({ type: "operator_assign", operatorId }, "Assigned from the queue", null, true);
    return err === null;
  }

  private async applyTurn(
    event: TurnEvent,
    activity: string,
    actorId: string | null,
    fromPresence = false,
  ): Promise<string | null> {
    const meta = await this.meta();
    if (!meta) return "not_found";
    const res = applyTurnEvent(meta.turn, event);
    if (!res.ok) return res.error;
    const before = meta.turn.status;
    meta.turn = res.state;
    meta.assigneeName = res.state.assigneeId ? await this.operatorName(res.state.assigneeId) : null;
    if (res.state.status === "open" && meta.csatRequested && event.type === "reopen") meta.csatRequested = false;
    this.saveMeta(meta);
    await this.append({
      type: "activity",
      senderType: "system",
      senderId: actorId,
      senderName: null,
      content: activity,
    });
    await this.runEffects(meta, fromPresence ? res.effects.filter((e) => e.type !== "claim_slot") : res.effects);
    this.broadcastState(meta);
    await this.flows.onOwnerChange(meta);
    if (res.state.status !== before) await this.rules.onEvent("status_changed", `${res.state.status}@${Date.now()}`);
    await this.scheduleAlarm();
    this.kickMirror();
    this.pushInbox(meta, null);
    return null;
  }

  private async runEffects(meta: RoomMeta, effects: TurnEffect[]): Promise<void> {
    if (!effects.length) return;
    const presence = presenceStub(this.env, meta.workspaceId);
    for (const e of effects) {
      if (e.type === "enqueue") {
        const res = await presence.enqueue({
          conversationId: meta.conversationId,
          enqueuedAt: Date.now(),
          priority: meta.priority,
          category: meta.category,
          language: meta.language,
          teamId: e.teamId ?? meta.teamId,
        });
        if (res.assignedTo) {
          const r2 = applyTurnEvent(meta.turn, { type: "operator_assign", operatorId: res.assignedTo });
          if (r2.ok) {
            meta.turn = r2.state;
            meta.assigneeName = await this.operatorName(res.assignedTo);
            this.saveMeta(meta);
            this.store.append(
              {
                type: "activity",
                senderType: "system",
                senderId: null,
                senderName: null,
                content: `Assigned to ${meta.assigneeName ?? "an operator"}`,
              },
              newId("msg"),
            );
            this.broadcastMessage(this.store.recent(1)[0] as StoredMessage);
          }
        } else {
          this.broadcastState(meta, res.position);
        }
      } else if (e.type === "dequeue") await presence.dequeue(meta.conversationId);
      else if (e.type === "claim_slot") await presence.claim(e.operatorId, meta.conversationId);
      else if (e.type === "release_slot") await presence.release(e.operatorId, meta.conversationId);
      // Snooze alarms are derived from meta.turn.snoozedUntil by scheduleAlarm().
    }
  }

  private async requestCsat(meta: RoomMeta): Promise<void> {
    meta.csatRequested = true;
    this.saveMeta(meta);
    this.broadcastState(meta);
  }

  private async rate(
    conn: Connection<ConnState>,
    f: Extract<ClientFrame, { type: "csat" } | { type: "nps" }>,
  ): Promise<void> {
    const meta = await this.meta();
    if (!meta) return;
    if (!meta.csatRequested && meta.turn.status !== "resolved")
      return this.send(conn, {
        type: "error",
        code: "not_requested",
        message: "Ratings are asked when the conversation ends",
      });
    const db = rawDb(this.env.DB);
    if (f.type === "csat")
      await db
        .update(schema.conversations)
        .set({ csatScore: f.score, csatComment: f.comment ?? null })
        .where(eq(schema.conversations.id, meta.conversationId));
    else
      await db
        .update(schema.conversations)
        .set({ npsScore: f.score })
        .where(eq(schema.conversations.id, meta.conversationId));
    await this.append({
      type: "activity",
      senderType: "contact",
      senderId: meta.contactId,
      senderName: null,
      content:
        f.type === "csat"
          ? `Customer rated the conversation ${f.score}/5${f.comment ? `: ${f.comment}` : ""}`
          : `Customer gave NPS ${f.score}/10`,
    });
    if (f.type === "csat") await this.rules.onEvent("csat_received", `csat@${Date.now()}`, { csat: f.score });
  }

  private async submitForm(
    conn: Connection<ConnState>,
    who: ConnState,
    f: Extract<ClientFrame, { type: "form" }>,
  ): Promise<void> {
    const meta = await this.meta();
    if (!meta) return;
    const tdb = new TenantDb(rawDb(this.env.DB), meta.workspaceId);
    const email = f.fields.email ? f.fields.email.toLowerCase() : null;
    // E.164 so an operator sees the same number as on the customer's WhatsApp/Telegram contact.
    const phone = f.fields.phone ? normalizePhone(f.fields.phone) : null;
    if (f.fields.name) {
      const contact = await tdb.first(schema.contacts, eq(schema.contacts.id, meta.contactId));
      if (contact && !contact.name)
        await tdb.update(
          schema.contacts,
          { name: f.fields.name, updatedAt: Date.now() },
          eq(schema.contacts.id, meta.contactId),
        );
      if (!meta.contactName) {
        meta.contactName = f.fields.name;
        this.saveMeta(meta);
      }
    }
    // Typed, not proven: never linked or merged on its own (issue 21, High 2). Operators
    // see the claim and any possible match on the contact card and confirm it there.
    if (email || phone) {
      const claims = await recordClaims(tdb, meta.contactId, meta.conversationId, { email, phone });
      const matches = claims.filter((c) => c.candidateContactId && c.status === "pending");
      if (matches.length)
        await this.append({
          type: "activity",
          senderType: "system",
          senderId: null,
          senderName: null,
          content: `Possible match: the customer typed ${matches.map((m) => `${m.field} ${m.value}`).join(" and ")} (not verified), which another contact has. Confirm on the contact card before treating them as the same person.`,
          internal: {
            possibleMatches: matches.map((m) => ({ claimId: m.id, candidateContactId: m.candidateContactId })),
          },
        });
    }
    if (f.form === "after_hours") {
      const lines = [
        f.fields.name && `Name: ${f.fields.name}`,
        f.fields.email && `Email: ${f.fields.email}`,
        f.fields.phone && `Phone: ${f.fields.phone}`,
        f.fields.question && `Question: ${f.fields.question}`,
        f.fields.callback ? "Callback requested" : null,
      ].filter(Boolean);
      await this.append({
        type: "incoming",
        senderType: "contact",
        senderId: who.id,
        senderName: f.fields.name ?? meta.contactName,
        content: lines.join("\n"),
        internal: { form: "after_hours", callback: f.fields.callback ?? false },
      });
      await this.append({
        type: "outgoing",
        senderType: "bot",
        senderId: null,
        senderName: "Assistant",
        content: "Thank you! We've received your request and will get back to you as soon as we open.",
      });
      if (meta.turn.owner === "bot")
        await this.applyTurn(
          { type: "bot_handoff", teamId: meta.teamId },
          "After-hours request waiting for the team",
          null,
        );
    } else {
      await this.append({
        type: "activity",
        senderType: "contact",
        senderId: who.id,
        senderName: null,
        content: "Customer filled in the pre-chat form",
      });
    }
  }

  // ---------------------------------------------------------------------------
  // Channel delivery
  // ---------------------------------------------------------------------------

  private async deliverOutbound(meta: RoomMeta, message: StoredMessage): Promise<void> {
    if (meta.channel === "widget") return;
    // The outbound consumer records the provider's message id on the D1 row: it must exist first.
    await this.mirrorNow();
    await this.env.OUTBOUND_QUEUE.send({
      kind: "deliver",
      workspaceId: meta.workspaceId,
      conversationId: meta.conversationId,
      messageId: message.id,
      inboxId: meta.inboxId,
      channel: meta.channel,
      threadKey: meta.threadKey,
      text: message.content,
      buttons: message.buttons,
      attempt: 0,
    });
  }

  /** Delivery status from the outbound consumer or a provider status webhook. */
  async delivery(messageId: string, status: "sent" | "delivered" | "read" | "failed"): Promise<boolean> {
    const m = this.store.byId(messageId);
    if (!m) return false;
    const order = ["pending", "sent", "delivered", "read"];
    if (status !== "failed" && order.indexOf(status) <= order.indexOf(m.deliveryStatus ?? "pending")) return true;
    this.store.setDelivery(messageId, status);
    await this.mirrorNow();
    return true;
  }

  // ---------------------------------------------------------------------------
  // Alarm: snooze wake-up, SLA, action expiry, mirror retries
  // ---------------------------------------------------------------------------

  override async onAlarm(): Promise<void> {
    this.#mirrorAlarmArmed = false;
    const meta = await this.meta();
    if (!meta) return;
    const now = Date.now();
    if (meta.turn.status === "snoozed" && meta.turn.snoozedUntil !== null && meta.turn.snoozedUntil <= now) {
      await this.applyTurn({ type: "snooze_wake", now }, "Snooze ended; the conversation is open again", null);
    }
    for (const a of this.store.actions()) {
      if (a.status === "pending" && a.expiresAt <= now && this.store.transitionAction(a.id, "pending", "expired"))
        this.broadcastAction(a.id);
    }
    const fresh = (await this.meta()) ?? meta;
    if (fresh.firstResponseDueAt && fresh.resolutionDueAt) {
      const due = {
        startedAt: 0,
        firstResponseDueAt: fresh.firstResponseDueAt,
        resolutionDueAt: fresh.resolutionDueAt,
        firstResponseAtRiskAt: fresh.firstResponseDueAt,
        resolutionAtRiskAt: fresh.resolutionDueAt,
      };
      const status = slaStatus(due, fresh.firstRespondedAt, fresh.turn.status === "resolved" ? now : null, now);
      const fired = (fresh.ai.slaFired as string[] | undefined) ?? [];
      const breaches = (["firstResponse", "resolution"] as const).filter(
        (k) => status[k] === "breached" && !fired.includes(k),
      );
      if (breaches.length) {
        fresh.ai = { ...fresh.ai, slaFired: [...fired, ...breaches] };
        fresh.priority = fresh.priority === "urgent" ? "urgent" : fresh.priority === "high" ? "urgent" : "high";
        this.saveMeta(fresh);
        await this.append({
          type: "activity",
          senderType: "system",
          senderId: null,
          senderName: null,
          content: `SLA breached: ${breaches.map((b) => (b === "firstResponse" ? "first response" : "resolution")).join(" and ")} is overdue; priority raised to ${fresh.priority}`,
        });
        await presenceStub(this.env, fresh.workspaceId).slaBreach(
          fresh.conversationId,
          fresh.turn.assigneeId,
          breaches.join(","),
        );
        await this.rules.onEvent("sla_breached", breaches.join(","));
        this.broadcastState(fresh);
      }
    }
    await this.flows.onAlarm((await this.meta()) ?? fresh);
    await this.rules.onAlarm();
    try {
      await this.mirror(true);
    } catch {
      // rescheduled below
    }
    await this.scheduleAlarm();
  }

  private async scheduleAlarm(extraAt?: number): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    const now = Date.now();
    const candidates: number[] = [];
    if (extraAt) candidates.push(extraAt);
    if (meta.turn.status === "snoozed" && meta.turn.snoozedUntil) candidates.push(meta.turn.snoozedUntil);
    for (const a of this.store.actions()) if (a.status === "pending") candidates.push(a.expiresAt);
    if (meta.firstResponseDueAt && meta.resolutionDueAt && meta.turn.status !== "resolved") {
      const due = {
        startedAt: 0,
        firstResponseDueAt: meta.firstResponseDueAt,
        resolutionDueAt: meta.resolutionDueAt,
        firstResponseAtRiskAt: meta.firstResponseDueAt,
        resolutionAtRiskAt: meta.resolutionDueAt,
      };
      const next = nextSlaAlarm(due, meta.firstRespondedAt, null, now);
      if (next) candidates.push(next.at);
    }
    if (this.store.hasUnmirrored()) candidates.push(now + MIRROR_BACKSTOP_MS);
    for (const at of [await this.flows.nextAlarm(), await this.rules.nextAlarm()]) if (at !== null) candidates.push(at);
    const at = candidates.length ? Math.max(now + 50, Math.min(...candidates)) : null;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  private async mirror(fromAlarm = false): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    try {
      await mirrorToD1(this.env, this.store, meta);
      // D1 is level with the room: drop the backstop (the alarm keeps only snooze, SLA and
      // action deadlines). Otherwise every room that saw a message wakes 30 s later for a
      // D1 write with nothing in it (measured: a load test's 450 rooms woke together and
      // took the thread from the next benchmark).
      if (!fromAlarm && this.#mirrorAlarmArmed && !this.store.hasUnmirrored()) {
        this.#mirrorAlarmArmed = false;
        await this.scheduleAlarm();
      }
    } catch (err) {
      if (!(err instanceof MirrorBacklog))
        console.error("D1 mirror failed; will retry", err instanceof Error ? err.message : "unknown");
      if (!fromAlarm) await this.scheduleAlarm(Date.now() + (err instanceof MirrorBacklog ? 10 : MIRROR_RETRY_MS));
      else throw err;
    }
  }

  // ---------------------------------------------------------------------------
  // Small helpers
  // ---------------------------------------------------------------------------

  /**
   * The authoritative message log for REST readers (staff view, JSON). D1 is a mirror that
   * may trail the room by a few milliseconds; the log never does.
   */
  async log(after: number, limit: number): Promise<string> {
    const meta = await this.meta();
    const items = this.store.after(after, limit).map((m) => ({
      id: m.id,
      conversationId: this.name,
      seq: m.seq,
      type: m.type,
      senderType: m.senderType,
      senderId: m.senderId,
      content: m.content,
      contentAttributes: messageAttributes(m),
      attachments: m.attachments,
      deliveryStatus: m.deliveryStatus,
      createdAt: m.createdAt,
    }));
    return JSON.stringify({ items, lastSeq: meta ? this.store.lastSeq() : 0 });
  }

  /** For REST and tests: the room's state, log and actions as staff see it (JSON; parse with RoomSnapshot). */
  async snapshot(): Promise<string> {
    const meta = await this.meta();
    return JSON.stringify({
      state: meta ? this.stateOf(meta) : null,
      messages: this.store.after(0).map(toWire),
      actions: this.store.actions().map(toWireAction),
    });
  }

  private stateOf(meta: RoomMeta, queuePosition: number | null = null): ConversationState {
    return {
      id: meta.conversationId,
      status: meta.turn.status,
      owner: meta.turn.owner,
      assigneeId: meta.turn.assigneeId,
      assigneeName: meta.assigneeName,
      teamId: meta.teamId,
      priority: meta.priority,
      tags: meta.tags,
      category: meta.category,
      language: meta.language,
      snoozedUntil: meta.turn.snoozedUntil,
      queuePosition,
      csatRequested: meta.csatRequested,
    };
  }

  private send(conn: Connection, frame: ServerFrame): void {
    conn.send(JSON.stringify(frame));
  }

  private sendSync(conn: Connection<ConnState>, after: number): void {
    const staff = conn.state?.role === "operator";
    const messages = this.store
      .after(after)
      .filter((m) => staff || m.type !== "note")
      .map(toWire);
    this.send(conn, {
      type: "sync",
      messages,
      lastSeq: this.store.lastSeq(),
      actions: this.store.actions().map(toWireAction),
    });
  }

  /** Sends to every socket (optionally only one audience), never a note to a customer. */
  private broadcastFrame(frame: ServerFrame, exceptId?: string, audience?: "contact" | "operator"): void {
    const text = JSON.stringify(frame);
    for (const c of this.getConnections<ConnState>()) {
      if (c.id === exceptId || !c.state) continue;
      if (audience && c.state.role !== audience) continue;
      c.send(text);
    }
  }

  private broadcastMessage(m: StoredMessage): void {
    // Serialised on the first socket that gets it (channel conversations often have none open).
    let frame: string | null = null;
    for (const c of this.getConnections<ConnState>()) {
      if (!c.state) continue;
      if (m.type === "note" && c.state.role !== "operator") continue;
      frame ??= JSON.stringify({ type: "message", message: toWire(m) } satisfies ServerFrame);
      c.send(frame);
    }
  }

  private broadcastAction(id: string): void {
    const a = this.store.action(id);
    if (a) this.broadcastFrame({ type: "action", action: toWireAction(a) });
  }

  private broadcastState(meta: RoomMeta, queuePosition: number | null = null): void {
    this.broadcastFrame({ type: "state", state: this.stateOf(meta, queuePosition) });
  }

  /** Live inbox update for operator dashboards, in the background and coalesced per room. */
  private pushInbox(_meta: RoomMeta, message: StoredMessage | null): void {
    if (message?.seq === 1 && message.type === "incoming") this.#inboxIsNew = true;
    this.#inboxJob.kick((p) => this.ctx.waitUntil(p));
  }

  private async pushInboxNow(): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    const isNew = this.#inboxIsNew;
    this.#inboxIsNew = false;
    this.#inboxPushedAt = Date.now();
    const last =
      this.store
        .recent(5)
        .filter((m) => m.type === "incoming" || m.type === "outgoing")
        .pop() ?? null;
    try {
      await presenceStub(this.env, meta.workspaceId).inboxUpdate(
        {
          conversationId: meta.conversationId,
          contactName: meta.contactName,
          channel: meta.channel,
          status: meta.turn.status,
          owner: meta.turn.owner,
          assigneeId: meta.turn.assigneeId,
          teamId: meta.teamId,
          priority: meta.priority,
          category: meta.category,
          tags: meta.tags,
          preview: last ? last.content.slice(0, 140) : null,
          lastMessageAt: last?.createdAt ?? null,
          slaDueAt: meta.firstRespondedAt ? meta.resolutionDueAt : meta.firstResponseDueAt,
        },
        isNew,
      );
    } catch (err) {
      console.error("presence update failed", err instanceof Error ? err.message : "unknown");
    }
  }

  /** Mirrors to D1 in the background; the alarm retries whatever a failed run left behind. */
  private kickMirror(): void {
    this.#mirrorJob.kick((p) => this.ctx.waitUntil(p));
    // The first change after a clean mirror arms the backstop alarm: if this object goes
    // away before the debounced run, the alarm copies what is left.
    if (!this.#mirrorAlarmArmed) {
      this.#mirrorAlarmArmed = true;
      this.ctx.waitUntil(this.scheduleAlarm());
    }
  }

  /** For RPCs whose callers read D1 next (REST commands): wait until the mirror has caught up. */
  private async mirrorNow(): Promise<void> {
    // Start (or ask the running job for) one more pass, skip the debounce, wait for it.
    this.kickMirror();
    await this.#mirrorJob.flush();
  }

  private async notifyMentions(text: string, who: ConnState): Promise<void> {
    const meta = await this.meta();
    if (!meta || !text.includes("@")) return;
    const ops = await rawDb(this.env.DB)
      .select()
      .from(schema.operators)
      .where(eq(schema.operators.workspaceId, meta.workspaceId))
      .all();
    const ids = parseMentions(
      text,
      ops.map((o) => ({ id: o.id, handle: o.handle })),
    ).filter((id) => id !== who.id);
    if (ids.length)
      await presenceStub(this.env, meta.workspaceId).notify(ids, {
        kind: "mention",
        conversationId: meta.conversationId,
        text: `${who.name ?? "A colleague"} mentioned you: ${text.slice(0, 120)}`,
      });
  }

  private async recordTraces(
    meta: RoomMeta,
    traces: Array<{
      step: "route" | "retrieve" | "generate" | "tool" | "gate" | "identify";
      provider: string | null;
      model: string | null;
      latencyMs: number;
      inputTokens: number;
      outputTokens: number;
      costUsd: number;
      detail: Record<string, unknown>;
    }>,
  ): Promise<void> {
    if (!traces.length) return;
    const turnId = newId("turn");
    try {
      await new TenantDb(rawDb(this.env.DB), meta.workspaceId).insert(
        schema.aiTraces,
        traces.map((t) => ({ id: newId("trc"), conversationId: meta.conversationId, turnId, ...t })),
      );
    } catch (err) {
      console.error("trace insert failed", err instanceof Error ? err.message : "unknown");
    }
  }

  private async audit(action: string, detail: Record<string, unknown>): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    await rawDb(this.env.DB)
      .insert(schema.auditLog)
      .values({
        id: newId("aud"),
        workspaceId: meta.workspaceId,
        actorType: "bot",
        actorId: null,
        action,
        targetType: "conversation",
        targetId: meta.conversationId,
        detail,
      });
  }

  private async operatorName(id: string): Promise<string | null> {
    const op = await rawDb(this.env.DB)
      .select({ name: schema.operators.name })
      .from(schema.operators)
      .where(eq(schema.operators.id, id))
      .get();
    return op?.name ?? null;
  }
}
