/**
 * The room's automation rule runner: events the room reports (conversation created,
 * message received, CSAT, status change, tag added, SLA breach) and timed events (customer
 * or operator idle, scheduled time, business hours start/end) through the room's alarm.
 * Conditions and timing are the pure rule engine's (workers/flows/rules.ts); here the
 * clock is read from the room's own log, fired keys are stored (a rule fires once per
 * occurrence, across eviction), and actions are carried out through the room.
 */
import { z } from "zod";
import { readState } from "../../workers/ai/state.ts";
import {
  matchDue,
  matchRules,
  ruleTimers,
  type RuleClock,
  type RuleFacts,
  type RuleMatch,
} from "../../workers/flows/rules.ts";
import { loadAutomation } from "../../workers/flows/store.ts";
import { pickText } from "../../workers/flows/template.ts";
import { safeFetch } from "../../workers/lib/outbound-url.ts";
import { allowLoopback } from "../../workers/flows/effects.ts";
import { FlowLanguage, type RuleAction, type RuleEventKind } from "../../workers/protocol/flows.ts";
import type { OperatorCommand } from "../../workers/protocol/frames.ts";
import { isOpen, type BusinessHours } from "../lib/business-hours.ts";
import type { RoomMeta, StoredMessage } from "./store.ts";

export interface RulesHost {
  env: Env;
  storage: DurableObjectStorage;
  meta(): Promise<RoomMeta | null>;
  recent(limit: number): StoredMessage[];
  say(
    meta: RoomMeta,
    text: string,
    buttons: Array<{ title: string; payload: string }>,
    senderId?: string,
  ): Promise<void>;
  note(text: string): Promise<void>;
  command(cmd: OperatorCommand): Promise<void>;
  handoff(meta: RoomMeta, reason: string, announce: boolean): Promise<void>;
  startFlow(meta: RoomMeta, flowId: string): Promise<void>;
  hours(meta: RoomMeta): Promise<BusinessHours | null>;
  scheduleAlarm(): Promise<void>;
  audit(action: string, detail: Record<string, unknown>): Promise<void>;
}

const KEY = "rules:fired";
const Fired = z.array(z.string());
/** Keys kept per conversation (oldest dropped): enough for months of daily rules. */
const MAX_FIRED = 500;
/** Actions started by a rule may raise events (status change); deeper chains are not followed. */
const MAX_DEPTH = 2;
/** Messages read from the log to find the last customer / reply times. */
const CLOCK_WINDOW = 100;

/** Sender id of messages a rule sends, so `last_reply_by = rule` can tell a nudge from a reply. */
export const RULE_SENDER_PREFIX = "rule:";

export class RulesRunner {
  readonly #host: RulesHost;
  #depth = 0;
  constructor(host: RulesHost) {
    this.#host = host;
  }

  async #fired(): Promise<string[]> {
    const parsed = Fired.safeParse(await this.#host.storage.get(KEY));
    return parsed.success ? parsed.data : [];
  }

  #clockFrom(
    meta: RoomMeta,
    hours: BusinessHours | null,
    now: number,
  ): RuleClock & { lastReplyBy: RuleFacts["lastReplyBy"] } {
    let lastCustomerAt: number | null = null;
    let lastReplyAt: number | null = null;
    let lastOperatorAt: number | null = null;
    let lastReplyBy: RuleFacts["lastReplyBy"] = null;
    for (const m of this.#host.recent(CLOCK_WINDOW)) {
      if (m.type === "incoming" && m.senderType === "contact") lastCustomerAt = m.createdAt;
      if (m.type === "outgoing") {
        lastReplyAt = m.createdAt;
        lastReplyBy =
          m.senderType === "operator" ? "operator" : m.senderId?.startsWith(RULE_SENDER_PREFIX) ? "rule" : "bot";
        if (m.senderType === "operator") lastOperatorAt = m.createdAt;
      }
    }
    return {
      now,
      lastCustomerAt,
      lastReplyAt,
      lastOperatorAt,
      lastReplyBy,
      owner: meta.turn.owner,
      status: meta.turn.status,
      hours,
    };
  }

  async #facts(
    meta: RoomMeta,
    extra: { csat?: number; text?: string },
    lastReplyBy: RuleFacts["lastReplyBy"],
  ): Promise<RuleFacts> {
    const hours = await this.#host.hours(meta);
    return {
      channel: meta.channel,
      status: meta.turn.status,
      priority: meta.priority,
      category: meta.category,
      urgency: readState(meta.engine).lastRoute?.urgency ?? null,
      language: meta.language,
      tags: meta.tags,
      owner: meta.turn.owner,
      csat: extra.csat ?? null,
      messageText: extra.text ?? null,
      businessHoursOpen: hours ? isOpen(hours, new Date()) : true,
      assigned: meta.turn.assigneeId !== null,
      lastReplyBy,
    };
  }

  /** Something happened now; `occurrence` tells repeated events apart (a message id, a status + time). */
  async onEvent(event: RuleEventKind, occurrence: string, extra: { csat?: number; text?: string } = {}): Promise<void> {
    if (this.#depth >= MAX_DEPTH) return;
    const meta = await this.#host.meta();
    if (!meta) return;
    const { rules } = await loadAutomation(this.#host.env, meta.workspaceId);
    if (!rules.some((r) => r.enabled && r.event.kind === event)) return;
    const fired = await this.#fired();
    const clock = this.#clockFrom(meta, null, Date.now());
    const matches = matchRules(
      rules,
      event,
      await this.#facts(meta, extra, clock.lastReplyBy),
      occurrence,
      new Set(fired),
    );
    await this.#run(meta, matches, fired);
  }

  /** The next timed rule firing (for the room's alarm). */
  async nextAlarm(): Promise<number | null> {
    const meta = await this.#host.meta();
    if (!meta) return null;
    const { rules } = await loadAutomation(this.#host.env, meta.workspaceId);
    if (rules.length === 0) return null;
    const now = Date.now();
    const timers = ruleTimers(
      rules,
      this.#clockFrom(meta, await this.#host.hours(meta), now),
      new Set(await this.#fired()),
    );
    return timers[0]?.at ?? null;
  }

  /** Alarm: fires every due timed rule whose conditions hold now. */
  async onAlarm(): Promise<void> {
    const meta = await this.#host.meta();
    if (!meta) return;
    const { rules } = await loadAutomation(this.#host.env, meta.workspaceId);
    if (rules.length === 0) return;
    const now = Date.now();
    const fired = await this.#fired();
    const clock = this.#clockFrom(meta, await this.#host.hours(meta), now);
    const due = ruleTimers(rules, clock, new Set(fired)).filter((t) => t.at <= now);
    if (due.length === 0) return;
    const matches = matchDue(rules, due, await this.#facts(meta, {}, clock.lastReplyBy));
    // Due timers whose conditions fail are done for this occurrence too.
    const skipped = due.filter((t) => !matches.some((m) => m.key === t.key)).map((t) => t.key);
    await this.#run(meta, matches, [...fired, ...skipped]);
  }

  async #run(meta: RoomMeta, matches: RuleMatch[], fired: string[]): Promise<void> {
    if (matches.length === 0) {
      await this.#host.storage.put(KEY, fired.slice(-MAX_FIRED));
      return;
    }
    // Mark before acting: an action that fails is not retried in a loop by the next alarm.
    await this.#host.storage.put(KEY, [...fired, ...matches.map((m) => m.key)].slice(-MAX_FIRED));
    this.#depth++;
    try {
      for (const m of matches) {
        await this.#host.audit("rule.fire", { ruleId: m.ruleId, key: m.key });
        for (const a of m.actions) {
          const current = (await this.#host.meta()) ?? meta;
          await this.#act(current, m.ruleId, a).catch((err: unknown) =>
            this.#host.audit("rule.action_failed", {
              ruleId: m.ruleId,
              action: a.type,
              error: err instanceof Error ? err.message.slice(0, 200) : "unknown",
            }),
          );
        }
      }
    } finally {
      this.#depth--;
    }
    await this.#host.scheduleAlarm();
  }

  async #act(meta: RoomMeta, ruleId: string, a: RuleAction): Promise<void> {
    const lang = FlowLanguage.safeParse(meta.language);
    switch (a.type) {
      case "send_message":
        return this.#host.say(
          meta,
          pickText(a.text, lang.success ? lang.data : null),
          [],
          `${RULE_SENDER_PREFIX}${ruleId}`,
        );
      case "send_template":
        return this.#host.note(`Rule ${ruleId}: template ${a.templateId} is not available in this room`);
      case "start_flow":
        return this.#host.startFlow(meta, a.flowId);
      case "assign":
        if (a.to === "operator" && a.id) return this.#host.command({ command: "assign", operatorId: a.id });
        if (a.to === "team" && a.id) return this.#host.command({ command: "transfer", teamId: a.id });
        // Round robin: back to the queue, where Presence assigns the next free operator.
        if (meta.turn.owner === "bot") return this.#host.handoff(meta, `Rule ${ruleId}: assign`, false);
        return this.#host.command({ command: "unassign" });
      case "set_priority":
        return this.#host.command({ command: "set_priority", priority: a.priority });
      case "add_tags":
        return this.#host.command({ command: "set_tags", tags: [...new Set([...meta.tags, ...a.tags])].slice(0, 30) });
      case "add_note":
        return this.#host.note(a.text);
      case "snooze":
        return this.#host.command({ command: "snooze", until: Date.now() + a.minutes * 60_000 });
      case "resolve":
        return this.#host.command({ command: "resolve" });
      case "escalate":
        await this.#host.command({ command: "set_priority", priority: "urgent" });
        if (a.teamId) return this.#host.command({ command: "transfer", teamId: a.teamId });
        if (meta.turn.owner === "bot") return this.#host.handoff(meta, `Rule ${ruleId}: escalate`, true);
        return;
      case "webhook": {
        const body = JSON.stringify({
          type: "rule.fired",
          ruleId,
          conversationId: meta.conversationId,
          status: meta.turn.status,
          priority: meta.priority,
          tags: meta.tags,
        });
        await safeFetch(
          a.url,
          { method: "POST", headers: { "content-type": "application/json" }, body },
          { allowLoopback: allowLoopback(this.#host.env), maxBytes: 16 * 1024, timeoutMs: 10_000 },
        );
        return;
      }
    }
  }
}
