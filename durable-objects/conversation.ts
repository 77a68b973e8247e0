/**
 * ConversationRoom: one Durable Object per conversation. It owns the live sockets of the
 * customer and of every operator watching, the durable message log (SQLite, written
 * before any ack), the actions, and who owns the turn. This file is the shell: hooks
 * authenticate, parse, authorise and dispatch; RPCs delegate; each concern is a module
 * under ./room (AI turn, actions, hand-over, forms, ownership, alarms, outgoing delivery,
 * broadcasting, visibility) and the rules under ./lib.
 *
 * Hooks (partyserver):
 * - onConnect: verify the token from the URL, then welcome + the messages it may see.
 * - onMessage: parse a ClientFrame, check the role's right to send it, dispatch it.
 * - onAlarm:   snooze wake-ups, offered-action expiry, SLA breaches, D1 mirror retries.
 * RPCs: ingest/ingestMany (channel webhooks), command (REST), decide, assignFromQueue
 * (Presence), delivery (outbound status), contactMerged, verification, log, snapshot.
 *
 * Over 400 lines on purpose: the measured tuning constants keep their why-comments here,
 * every hook and RPC is documented, and the `RoomHost` wiring the modules use lives with
 * the object it wraps; no business rule is left in this file.
 *
 * Scenario flows and automation rules (room/flow.ts, room/rules.ts): `afterCustomerMessage`
 * hands a message to whoever answers (a running or newly triggered flow, else the AI, or
 * nobody while people own the turn); the modules report events through `automationEvent`
 * and `ownerChanged`; the alarm runs both runners' timers.
 */
import { Server, type Connection, type ConnectionContext } from "partyserver";
import { rawDb, schema, TenantDb } from "../workers/db/client.ts";
import { attachmentMismatch } from "../workers/lib/attachment-check.ts";
import { getConfig } from "../workers/lib/config.ts";
import { newId } from "../workers/lib/ids.ts";
import { identifySocket, mayJoin } from "../workers/lib/socket-auth.ts";
import {
  parseClientFrame,
  type ClientFrame,
  type OperatorCommand,
  type ServerFrame,
} from "../workers/protocol/frames.ts";
import { toBusinessHours } from "../workers/lib/hours.ts";
import { readState } from "../workers/ai/state.ts";
import { applyTurnEvent, botMode, type TurnEvent } from "./lib/turn.ts";
import { mayRun, roomRole, ROOM_POLICY } from "./lib/socket-policy.ts";
import { parseMentions } from "./lib/canned.ts";
import { Coalescer, jittered, throttleDelay } from "../workers/lib/coalesce.ts";
import { conversationSla, messageAttributes, MirrorBacklog, mirrorToD1 } from "./room/mirror.ts";
import { inboxSlaClock } from "../workers/protocol/sla.ts";
import { RoomStore, toWire, toWireAction, type NewMessage, type StoredMessage } from "./room/store.ts";
import type { RoomMeta } from "./room/meta.ts";
import { loadRoomMeta } from "./room/meta-load.ts";
import type { ConnState, RoomHost } from "./room/host.ts";
import * as wire from "./room/broadcast.ts";
import { aiTurn } from "./room/ai-turn.ts";
import { decideAction, type DecideResult } from "./room/actions.ts";
import { rate, submitForm } from "./room/forms.ts";
import { applyTurn, operatorName, runCommand, runEffects, type CommandResult } from "./room/ownership.ts";
import { nextAlarmAt, runDueWork } from "./room/alarms.ts";
import { sendOutgoing, settingsOf } from "./room/outgoing.ts";
import { handoff } from "./room/handoff.ts";
import { firstMessageNotice } from "./room/consent-notice.ts";
import { FlowRunner, type FlowHost } from "./room/flow.ts";
import { RulesRunner } from "./room/rules.ts";
import { isOpen, type BusinessHours } from "./lib/business-hours.ts";
import type { RuleEventKind } from "../workers/protocol/flows.ts";
import { presenceOf } from "../workers/services/data-location.ts";
import { customerText } from "../workers/copy/customer.ts";
import {
  makeRoomForSocket,
  mayOpenPending,
  overMessageCap,
  pendingState,
  planForVisitor,
  startForVisitor,
} from "./room/visitor.ts";
import type { VisitorPlan } from "../workers/services/widget-visitors.ts";
import { refreshProfile } from "../workers/rights/memory/profile.ts";
import { extractAfterResolution } from "../workers/rights/memory/after-resolution.ts";

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

export class ConversationRoom extends Server<Env> implements RoomHost {
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
  /** The resolution the profile was last refreshed for (once per resolution, not per mirror pass). */
  #profiledFor: string | null = null;
  #inboxIsNew = false;
  /** Whether the alarm backs up the debounced mirror now (armed by the first change after a clean mirror). */
  #mirrorAlarmArmed = false;

  get bindings(): Env {
    return this.env;
  }

  get store(): RoomStore {
    this.#store ??= new RoomStore(this.ctx.storage.sql);
    return this.#store;
  }

  tdb(meta: RoomMeta): TenantDb {
    return new TenantDb(rawDb(this.env.DB), meta.workspaceId);
  }

  #flows: FlowRunner | undefined;
  #rules: RulesRunner | undefined;
  /** The scenario flow runner (durable run state in this object's storage, pinned version). */
  get flows(): FlowRunner {
    this.#flows ??= new FlowRunner(this.automationHost());
    return this.#flows;
  }
  /** The workspace's automation rules, evaluated for this conversation. */
  get rules(): RulesRunner {
    this.#rules ??= new RulesRunner({
      ...this.automationHost(),
      recent: (limit: number) => this.store.recent(limit),
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
      startFlow: async (meta: RoomMeta, flowId: string) => {
        await this.flows.start(meta, null, flowId);
      },
      hours: (meta: RoomMeta) => this.businessHours(meta),
    });
    return this.#rules;
  }

  /** Workspace business hours for flows and rules, read at most every 30 s (every message asks). */
  #hoursCache: { at: number; hours: BusinessHours | null } | null = null;
  private async businessHours(meta: RoomMeta): Promise<BusinessHours | null> {
    const now = Date.now();
    if (this.#hoursCache && now - this.#hoursCache.at < 30_000) return this.#hoursCache.hours;
    const settings = await settingsOf(this, meta);
    const hours = settings.businessHours ? toBusinessHours(settings.businessHours) : null;
    this.#hoursCache = { at: now, hours };
    return hours;
  }

  /** What the flow and rule runners may do in this room: every reply goes through `sendOutgoing`. */
  private automationHost(): FlowHost {
    return {
      env: this.env,
      storage: this.ctx.storage,
      meta: () => this.meta(),
      say: async (meta, text, buttons, senderId) => {
        await sendOutgoing(this, meta, {
          content: text,
          buttons,
          ...(senderId ? { sender: { type: "bot", id: senderId, name: "Assistant" } } : {}),
        });
      },
      aiTurn: (meta, message) => aiTurn(this, meta, message, botMode(meta)),
      handoff: (meta, reason, announce) => handoff(this, meta, reason, { announce }),
      businessHoursOpen: async (meta) => {
        const h = await this.businessHours(meta);
        return h ? isOpen(h, new Date()) : true;
      },
      scheduleAlarm: () => this.scheduleAlarm(),
      audit: async (action, detail) => {
        const meta = this.store.getMeta();
        if (!meta) return;
        await this.tdb(meta).insert(schema.auditLog, {
          id: newId("aud"),
          actorType: "bot",
          actorId: null,
          action,
          targetType: "conversation",
          targetId: meta.conversationId,
          detail,
        });
      },
    };
  }

  /**
   * The room's metadata, loaded from D1 the first time the conversation is touched
   * (room/meta-load.ts), then kept in the room's storage.
   */
  async meta(): Promise<RoomMeta | null> {
    const existing = this.store.getMeta();
    if (existing) return existing;
    const loaded = await loadRoomMeta(rawDb(this.env.DB), this.name);
    return loaded ? this.keepMeta(loaded) : null;
  }

  /** Stores a meta built from D1 rows (the first load, or a visitor's first message) and arms the alarm. */
  async keepMeta(meta: RoomMeta): Promise<RoomMeta> {
    const kept = this.store.setMeta(meta);
    await this.scheduleAlarm();
    return kept;
  }

  // ---------------------------------------------------------------------------
  // Hooks
  // ---------------------------------------------------------------------------

  /** Verifies the token from the URL, then sends the welcome and the missed messages this socket may see. */
  override async onConnect(conn: Connection<ConnState>, ctx: ConnectionContext): Promise<void> {
    const url = new URL(ctx.request.url);
    const identity = await identifySocket(url.searchParams.get("token"), getConfig(this.env).jwtSecret);
    const meta = await this.meta();
    // No row yet (room/visitor.ts): only the visitor whose token reserved this conversation.
    const pending = !meta && identity !== null && mayOpenPending({ ...identity, name: null }, this.name);
    if (!identity || !(meta ? mayJoin(identity, this.name, meta.workspaceId) : pending)) {
      conn.close(4401, "unauthorized");
      return;
    }
    const name = !meta
      ? null
      : identity.role === "operator"
        ? await operatorName(this, meta, identity.id)
        : meta.contactName;
    conn.setState({ ...identity, name, since: Date.now() });
    makeRoomForSocket(this.getConnections<ConnState>(), conn);
    // The visitor's first message creates the rows; read what that needs now, off its path.
    if (pending) this.#plan ??= planForVisitor(this, { ...identity, name });
    const lastSeq = Number(url.searchParams.get("lastSeq") ?? "0");
    wire.sendFrame(conn, {
      type: "welcome",
      conversationId: this.name,
      role: identity.role,
      lastSeq: this.store.lastSeq(),
      state: meta ? wire.stateOf(meta) : pendingState(this.name),
    });
    wire.sendSync(conn, this.store, Number.isFinite(lastSeq) && lastSeq > 0 ? lastSeq : 0);
    // Operators opening the conversation later still get the latest AI draft and summary.
    if (identity.role === "operator" && meta?.copilot) wire.sendFrame(conn, { type: "ai", ...meta.copilot });
  }

  /** Parses a client frame, checks the sender's role may send it (lib/socket-policy.ts), dispatches it. */
  override async onMessage(conn: Connection<ConnState>, raw: string | ArrayBuffer | ArrayBufferView): Promise<void> {
    const who = conn.state;
    if (!who) return conn.close(4401, "unauthorized");
    const parsed = parseClientFrame(typeof raw === "string" ? raw : new ArrayBuffer(0));
    if (!parsed.ok) return wire.sendFrame(conn, { type: "error", code: parsed.code, message: parsed.message });
    const f = parsed.frame;
    if (!mayRun(ROOM_POLICY, f.type, roomRole(who)))
      return wire.sendFrame(conn, {
        type: "error",
        code: "forbidden",
        message: "Not allowed for your role",
        ...("clientId" in f ? { clientId: f.clientId } : {}),
      });
    try {
      await this.dispatch(conn, who, f);
    } catch (err) {
      console.error("room dispatch failed", err instanceof Error ? err.message : "unknown");
      wire.sendFrame(conn, { type: "error", code: "internal", message: "Something went wrong; please retry" });
    }
  }

  /** Snooze wake-ups, action expiry, SLA breaches; then the D1 mirror backstop and the next alarm. */
  override async onAlarm(): Promise<void> {
    this.#mirrorAlarmArmed = false;
    await runDueWork(this, Date.now());
    const meta = await this.meta();
    if (meta) await this.flows.onAlarm(meta);
    await this.rules.onAlarm();
    try {
      await this.mirror(true);
    } catch {
      // rescheduled below
    }
    await this.scheduleAlarm();
  }

  private async dispatch(conn: Connection<ConnState>, who: ConnState, f: ClientFrame): Promise<void> {
    const staff = who.role === "operator";
    switch (f.type) {
      case "ping":
        return wire.sendFrame(conn, { type: "pong" });
      case "resume":
        return wire.sendSync(conn, this.store, f.lastSeq);
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
        const refuse = (code: string, message: string) =>
          wire.sendFrame(conn, { type: "error", code, message, clientId: f.clientId });
        if (!f.text.trim() && f.attachments.length === 0) return refuse("empty_message", "Message is empty");
        // The token's workspace: mayJoin matched it to the conversation's (or it reserved this one).
        const prefix = `${who.workspaceId}/${this.name}/`;
        const mismatch = await attachmentMismatch(this.env.ATTACHMENTS, f.attachments, prefix);
        if (mismatch !== null)
          return refuse("invalid_attachment", mismatch.charAt(0).toUpperCase() + mismatch.slice(1));
        if (staff) return this.operatorSend(conn, who, f.clientId, f.text, f.attachments);
        const meta = await this.startedFor(who, f.language ?? null);
        if (!meta) return refuse("not_found", "Conversation not found");
        // The first message may have given the visitor's sockets the conversation's contact id.
        const customer = conn.state ?? who;
        // Resends of a stored message are acked as duplicates; only new messages count.
        // The cap first: it needs no query while the cap is lifted, and the key lookup only
        // matters for a sender who is over it (issue 17's profile: ~10 % of a message).
        if (
          overMessageCap(this, customer.id, Date.now()) &&
          !this.store.findByKey(`contact:${customer.id}:${f.clientId}`)
        )
          return refuse("rate_limited", customerText(f.language ?? meta.language, "tooManyMessages"));
        return this.customerSend(conn, customer, meta, f.clientId, f.text, f.attachments, f.language ?? null);
      }
      case "note": {
        const { message, duplicate } = await this.append({
          type: "note",
          senderType: "operator",
          senderId: who.id,
          senderName: who.name,
          content: f.text,
          clientId: f.clientId,
          idempotencyKey: `operator:${who.id}:${f.clientId}`,
        });
        wire.sendFrame(conn, { type: "ack", clientId: f.clientId, seq: message.seq, messageId: message.id, duplicate });
        if (!duplicate) await this.notifyMentions(f.text, who);
        return;
      }
      case "action.decide": {
        const res = await this.decide(f.actionId, f.decision, staff ? `operator:${who.id}` : `contact:${who.id}`);
        if (!res.ok) wire.sendFrame(conn, { type: "error", code: res.code, message: res.message });
        return;
      }
      case "csat":
      case "nps": {
        const res = await rate(this, f);
        if (!res.ok) wire.sendFrame(conn, { type: "error", code: res.code, message: res.message });
        return;
      }
      case "form": {
        if (!staff && !(await this.startedFor(who, null))) return;
        return submitForm(this, conn.state?.id ?? who.id, f);
      }
      case "command": {
        const res = await this.command({ id: who.id, name: who.name ?? "An operator" }, f.cmd);
        if (!res.ok) wire.sendFrame(conn, { type: "error", code: res.code, message: res.message });
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Messages in
  // ---------------------------------------------------------------------------

  #starting: Promise<RoomMeta | null> | null = null;
  /** Read at a pending visitor's connect (room/visitor.ts); used, or found stale, by their first message. */
  #plan: Promise<VisitorPlan | null> | null = null;
  /**
   * The meta, creating the conversation's rows first if this is the visitor's first
   * message or form (room/visitor.ts); one creation at a time for concurrent frames.
   */
  private async startedFor(who: ConnState, language: string | null): Promise<RoomMeta | null> {
    // While a plan is held, the visitor's connect found no row and only this room creates
    // it (the creation sees an existing row anyway): no second D1 read before the creation.
    const pendingVisitor = mayOpenPending(who, this.name);
    const meta = this.#plan !== null && pendingVisitor ? this.store.getMeta() : await this.meta();
    if (meta || !pendingVisitor) return meta;
    this.#starting ??= (async () => {
      const plan = await this.#plan;
      this.#plan = null;
      return startForVisitor(this, this.getConnections<ConnState>(), who, language, plan);
    })().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  private async customerSend(
    conn: Connection<ConnState>,
    who: { id: string },
    meta: RoomMeta,
    clientId: string,
    text: string,
    attachments: NewMessage["attachments"],
    language: string | null,
  ): Promise<void> {
    const { message, duplicate } = await this.append({
      type: "incoming",
      senderType: "contact",
      senderId: who.id,
      senderName: meta.contactName,
      content: text,
      attachments,
      clientId,
      idempotencyKey: `contact:${who.id}:${clientId}`,
      language,
    });
    wire.sendFrame(conn, { type: "ack", clientId, seq: message.seq, messageId: message.id, duplicate });
    // The append left the meta as read at dispatch: no second read and parse.
    if (!duplicate) await this.afterCustomerMessage(message, meta);
  }

  /** RPC for channel webhooks (Telegram, WhatsApp, Messenger, email). Deduped on the provider id. */
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
    // Issue 20: a contact's first message on a channel without consent gets the notice first.
    await firstMessageNotice(this, meta, input.language ?? null).catch((err: unknown) =>
      console.error("consent notice failed; the next message retries", err instanceof Error ? err.message : "unknown"),
    );
    if (confirm?.[1] && confirm[2])
      await this.decide(confirm[1], confirm[2] === "confirm" ? "confirm" : "cancel", `contact:${meta.contactId}`);
    // The append left the meta as read above: no second read and parse.
    else await this.afterCustomerMessage(message, meta, input.actionPayload ?? null);
    // The message is durable here; D1 follows with the room's mirror window like any other
    // message (the intake journal of record is the InboxIntake object, not D1).
    return { seq: message.seq, duplicate };
  }

  /** RPC: several channel messages of this conversation, in order (the intake's batches). */
  async ingestMany(inputs: InboundInput[]): Promise<Array<{ seq: number; duplicate: boolean }>> {
    const out: Array<{ seq: number; duplicate: boolean }> = [];
    for (const input of inputs) out.push(await this.ingest(input));
    return out;
  }

  /**
   * After every new customer message: reopen if needed, then hand the message to whoever
   * answers — a running or newly triggered scenario flow, else the AI (fully, or read-only
   * while a held answer waits), or nobody while people own the turn. Automation rules hear
   * of the new conversation and of every message first.
   */
  private async afterCustomerMessage(
    message: StoredMessage,
    current?: RoomMeta,
    payload?: string | null,
  ): Promise<void> {
    let meta = current ?? (await this.meta());
    if (!meta) return;
    const first = this.store.firstIncomingSeq() === message.seq;
    if (meta.turn.status !== "open" || meta.turn.owner === "queue") {
      const res = applyTurnEvent(meta.turn, { type: "customer_message" });
      if (res.ok) {
        const turn = res.state;
        meta =
          this.store.updateMeta((m) => {
            m.turn = turn;
          }) ?? meta;
        await runEffects(this, meta, res.effects);
        this.broadcastState(meta);
      }
    }
    this.pushInbox(message);
    if (first) await this.automationEvent("conversation_created", meta.conversationId);
    await this.automationEvent("message_received", message.id, { text: message.content });
    meta = (await this.meta()) ?? meta;
    const mode = botMode(meta);
    if (mode === "full" && (await this.flows.onCustomerMessage(meta, message, payload ?? null, first))) return;
    await aiTurn(this, meta, message, mode);
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
    const { message, duplicate } = await sendOutgoing(this, meta, {
      sender: { type: "operator", id: who.id, name: who.name },
      content: text,
      attachments,
      clientId,
      idempotencyKey: `operator:${who.id}:${clientId}`,
    });
    wire.sendFrame(conn, { type: "ack", clientId, seq: message.seq, messageId: message.id, duplicate });
    if (!duplicate && !meta.sla.firstRespondedAt) {
      this.store.updateMeta((m) => {
        m.sla.firstRespondedAt ??= Date.now();
      });
      this.kickMirror();
    }
  }

  // ---------------------------------------------------------------------------
  // RPCs
  // ---------------------------------------------------------------------------

  /** RPC: brings D1 up to date with this room now (the intake's settle, operations, tests). */
  async syncMirror(): Promise<void> {
    await this.mirrorNow();
  }

  /** RPC: a decision on an action (see room/actions.ts for who may decide what). */
  async decide(actionId: string, decision: "confirm" | "cancel", by: string): Promise<DecideResult> {
    return decideAction(this, actionId, decision, by);
  }

  /** RPC: an operator command from REST (the socket's `command` frame lands here too). */
  async command(actor: { id: string; name: string }, cmd: OperatorCommand): Promise<CommandResult> {
    return runCommand(this, actor, cmd);
  }

  /** RPC: assignment decided by the Presence object (queue drain). */
  async assignFromQueue(operatorId: string): Promise<boolean> {
    const meta = await this.meta();
    if (!meta || meta.turn.owner !== "queue") return false;
    const err = await this.applyTurn({ type: "operator_assign", operatorId }, "Assigned from the queue", null, true);
    return err === null;
  }

  /** RPC: delivery status from the outbound consumer or a provider status webhook. */
  async delivery(messageId: string, status: "sent" | "delivered" | "read" | "failed"): Promise<boolean> {
    const m = this.store.byId(messageId);
    if (!m) return false;
    const order = ["pending", "sent", "delivered", "read"];
    if (status !== "failed" && order.indexOf(status) <= order.indexOf(m.deliveryStatus ?? "pending")) return true;
    this.store.setDelivery(messageId, status);
    await this.mirrorNow();
    return true;
  }

  /** RPC: an operator confirmed a possible match; the conversation's contact is now `into`. */
  async contactMerged(from: string, into: string): Promise<void> {
    await this.meta();
    this.store.updateMeta((m) => {
      if (m.contactId === from) m.contactId = into;
    });
  }

  /**
   * RPC: the conversation's own verification state (engine memory: a code typed here, or
   * the host's HMAC identity): the only source of "verified" for copilot suggestions.
   */
  async verification(): Promise<{ verified: boolean; customerRef: string | null; email: string | null }> {
    const meta = await this.meta();
    const state = readState(meta?.engine ?? {});
    const verified = state.verified === true && Boolean(state.customerRef);
    return {
      verified,
      customerRef: verified ? (state.customerRef ?? null) : null,
      email: verified ? (state.email ?? null) : null,
    };
  }

  /**
   * RPC: the authoritative message log for REST readers (staff view, JSON). D1 is a mirror
   * that may trail the room by a few milliseconds; the log never does.
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

  /**
   * RPC (issue 20, erasure): forgets everything this room stored — log, actions, meta,
   * flow/rule state and the alarm — and closes its sockets. Returns what was removed.
   * The store is rebuilt empty on next use; D1 no longer has the conversation, so the
   * room cannot be brought back by a late mirror or a reconnect.
   */
  async erase(): Promise<{ messages: number; actions: number }> {
    const removed = this.store.size();
    for (const conn of this.getConnections()) conn.close(4004, "Conversation erased");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#store = undefined;
    this.#plan = null;
    this.#flows = undefined;
    this.#rules = undefined;
    return removed;
  }

  /** RPC for REST and tests: the room's state, log and actions as staff see it (JSON; parse with RoomSnapshot). */
  async snapshot(): Promise<string> {
    const meta = await this.meta();
    return JSON.stringify({
      state: meta ? wire.stateOf(meta) : null,
      messages: this.store.after(0).map(toWire),
      actions: this.store.actions().map(toWireAction),
    });
  }

  // ---------------------------------------------------------------------------
  // RoomHost: storage, sockets and wiring the concern modules use
  // ---------------------------------------------------------------------------

  /** Durable append, then broadcast, then mirror. The caller acks after this returns. */
  async append(m: NewMessage): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const res = this.store.append(m, newId("msg"));
    if (!res.duplicate) {
      wire.broadcastMessage(this.getConnections<ConnState>(), res.message);
      this.kickMirror();
    }
    return res;
  }

  broadcastFrame(frame: ServerFrame, exceptId?: string, audience?: "contact" | "operator"): void {
    wire.broadcastFrame(this.getConnections<ConnState>(), frame, exceptId, audience);
  }

  broadcastAction(id: string): void {
    const a = this.store.action(id);
    if (a) wire.broadcastAction(this.getConnections<ConnState>(), a);
  }

  broadcastState(meta: RoomMeta, queuePosition: number | null = null): void {
    this.broadcastFrame({ type: "state", state: wire.stateOf(meta, queuePosition) });
  }

  applyTurn(
    event: TurnEvent,
    activity: string,
    actorId: string | null,
    fromPresence = false,
    customerNotice: string | null = null,
  ): Promise<string | null> {
    return applyTurn(this, event, activity, actorId, fromPresence, customerNotice);
  }

  async scheduleAlarm(extraAt?: number): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    const now = Date.now();
    const backstop = this.store.hasUnmirrored() ? now + MIRROR_BACKSTOP_MS : null;
    const automation = [await this.flows.nextAlarm(), await this.rules.nextAlarm()].filter((a) => a !== null);
    const at = nextAlarmAt(meta, this.store.actions(), now, backstop, extraAt, automation);
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }

  automationEvent(event: RuleEventKind, occurrence: string, extra?: { csat?: number; text?: string }): Promise<void> {
    return this.rules.onEvent(event, occurrence, extra);
  }

  ownerChanged(meta: RoomMeta): Promise<void> {
    return this.flows.onOwnerChange(meta);
  }

  /** Live inbox update for operator dashboards, in the background and coalesced per room. */
  pushInbox(message: StoredMessage | null): void {
    if (message?.seq === 1 && message.type === "incoming") this.#inboxIsNew = true;
    this.#inboxJob.kick((p) => this.ctx.waitUntil(p));
  }

  /** Mirrors to D1 in the background; the alarm retries whatever a failed run left behind. */
  kickMirror(): void {
    this.#mirrorJob.kick((p) => this.ctx.waitUntil(p));
    // The first change after a clean mirror arms the backstop alarm: if this object goes
    // away before the debounced run, the alarm copies what is left.
    if (!this.#mirrorAlarmArmed) {
      this.#mirrorAlarmArmed = true;
      this.ctx.waitUntil(this.scheduleAlarm());
    }
  }

  /** For RPCs whose callers read D1 next (REST commands): wait until the mirror has caught up. */
  async mirrorNow(): Promise<void> {
    // Start (or ask the running job for) one more pass, skip the debounce, wait for it.
    this.kickMirror();
    await this.#mirrorJob.flush();
  }

  // ---------------------------------------------------------------------------
  // Background work
  // ---------------------------------------------------------------------------

  private async mirror(fromAlarm = false): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    try {
      await mirrorToD1(this.env, this.store, meta);
      // D1 is level with the room: drop the backstop (the alarm keeps only snooze, SLA and
      // action deadlines). Otherwise every room that saw a message wakes 30 s later for a
      // D1 write with nothing in it (measured: a load test's 450 rooms woke together and
      // took the thread from the next benchmark).
      // Issue 20: the customer profile is refreshed once D1 has the resolution.
      if (meta.turn.status === "resolved" && this.#profiledFor !== meta.turn.status + meta.contactId) {
        this.#profiledFor = meta.turn.status + meta.contactId;
        await refreshProfile(this.tdb(meta), meta.contactId).catch((e: unknown) =>
          console.error("profile refresh failed", e instanceof Error ? e.message : "unknown"),
        );
        // The LLM memory extractor (propose mode) runs off the mirror's path: a slow model
        // never holds up D1 copies or the customer.
        const customerMessages = this.store
          .recent(200)
          .filter((m) => m.type === "incoming" && m.senderType === "contact" && m.content.trim() !== "")
          .map((m) => ({ id: m.id, text: m.content }));
        this.ctx.waitUntil(
          extractAfterResolution(this.env, this.tdb(meta), {
            contactId: meta.contactId,
            conversationId: meta.conversationId,
            customerMessages,
          }).catch((e: unknown) =>
            console.error("memory extraction failed", e instanceof Error ? e.message : "unknown"),
          ),
        );
      } else if (meta.turn.status !== "resolved") this.#profiledFor = null;
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

  private async pushInboxNow(): Promise<void> {
    const meta = this.store.getMeta();
    if (!meta) return;
    const isNew = this.#inboxIsNew;
    this.#inboxIsNew = false;
    this.#inboxPushedAt = Date.now();
    const last = this.store.lastExchanged(5);
    // The same clock the REST row shows (workers/protocol/sla.ts): none once resolved.
    const clock = inboxSlaClock(conversationSla(meta));
    try {
      await (
        await presenceOf(this.env, meta.workspaceId)
      ).inboxUpdate(
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
          slaDueAt: clock?.dueAt ?? null,
          slaAtRiskAt: clock?.atRiskAt ?? null,
        },
        isNew,
      );
    } catch (err) {
      console.error("presence update failed", err instanceof Error ? err.message : "unknown");
    }
  }

  private async notifyMentions(text: string, who: ConnState): Promise<void> {
    const meta = await this.meta();
    if (!meta || !text.includes("@")) return;
    const ops = await this.tdb(meta).select(schema.operators);
    const ids = parseMentions(
      text,
      ops.map((o) => ({ id: o.id, handle: o.handle })),
    ).filter((id) => id !== who.id);
    if (ids.length)
      await (
        await presenceOf(this.env, meta.workspaceId)
      ).notify(ids, {
        kind: "mention",
        conversationId: meta.conversationId,
        text: `${who.name ?? "A colleague"} mentioned you: ${text.slice(0, 120)}`,
      });
  }
}
