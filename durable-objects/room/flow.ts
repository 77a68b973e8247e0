/**
 * The room's flow runner: which flow starts (at the customer's first message, by trigger),
 * feeding customer messages and button presses to the interpreter, performing its
 * outputs (bot messages with buttons, HTTP under the outbound policy, an AI turn, an
 * account action the customer confirms, handoff, jump), pausing while a human owns the
 * conversation and resuming or restarting on "return to bot" (the flow's choice), and wait
 * timers through the room's alarm. The run state (flow id + pinned version + position +
 * variables) lives in the object's storage, so it survives eviction; the graph is the
 * published version the conversation started on, whatever is published later.
 *
 * The room calls: onCustomerMessage (after a customer message, before the AI turn),
 * onOwnerChange (after every turn change), onAlarm, nextAlarm (for scheduling), start.
 */
import { z } from "zod";
import { readState } from "../../workers/ai/state.ts";
import {
  advance,
  currentPrompt,
  initialState,
  pauseFlow,
  resumeFlow,
  type FlowInput,
  type FlowOutput,
  type FlowState,
} from "../../workers/flows/engine.ts";
import { performHttp } from "../../workers/flows/effects.ts";
import { loadAutomation, loadFlowVersion, loadPublished } from "../../workers/flows/store.ts";
import { selectFlow } from "../../workers/flows/triggers.ts";
import { emitWebhookEvent } from "../../workers/integrations/webhooks.ts";
import { executeAction } from "../../workers/commerce/execute.ts";
import { FlowLanguage, type FlowGraph } from "../../workers/protocol/flows.ts";
import type { RoomMeta, StoredMessage } from "./store.ts";

/** What the runner needs from the room (implemented by ConversationRoom). */
export interface FlowHost {
  env: Env;
  storage: DurableObjectStorage;
  meta(): Promise<RoomMeta | null>;
  /** Appends a bot message (with buttons) and delivers it on the conversation's channel. */
  say(
    meta: RoomMeta,
    text: string,
    buttons: Array<{ title: string; payload: string }>,
    senderId?: string,
  ): Promise<void>;
  /** One AI agent turn on `message`. */
  aiTurn(meta: RoomMeta, message: StoredMessage): Promise<void>;
  /** Hands the conversation to the human queue (announce = tell the customer). */
  handoff(meta: RoomMeta, reason: string, announce: boolean): Promise<void>;
  businessHoursOpen(meta: RoomMeta): Promise<boolean>;
  scheduleAlarm(): Promise<void>;
  audit(action: string, detail: Record<string, unknown>): Promise<void>;
}

const RunState = z.object({
  flowId: z.string(),
  version: z.number().int(),
  node: z.string(),
  status: z.enum(["waiting", "ended", "handoff", "jumped"]),
  wait: z
    .discriminatedUnion("kind", [
      z.object({ kind: z.literal("input") }),
      z.object({ kind: z.literal("form"), field: z.number().int(), retries: z.number().int() }),
      z.object({ kind: z.literal("timer"), until: z.number() }),
      z.object({ kind: z.literal("http") }),
      z.object({ kind: z.literal("ai") }),
      z.object({ kind: z.literal("action") }),
    ])
    .nullable(),
  vars: z.record(z.string(), z.string()),
  paused: z.boolean(),
  steps: z.number().int(),
});
const Stored = z.object({
  state: RunState.nullable(),
  /** A flow ran here once: triggers only start a flow in a conversation that never had one. */
  started: z.boolean(),
  pendingAction: z.object({ tool: z.string(), args: z.record(z.string(), z.string()) }).nullable(),
});
type Stored = z.infer<typeof Stored>;

const KEY = "flow:run";
const MAX_OUTPUT_ROUNDS = 20;
const MAX_JUMPS = 5;
const CONFIRM = "flow:confirm";
const CANCEL = "flow:cancel";

export class FlowRunner {
  readonly #host: FlowHost;
  constructor(host: FlowHost) {
    this.#host = host;
  }

  async #load(): Promise<Stored> {
    const parsed = Stored.safeParse(await this.#host.storage.get(KEY));
    return parsed.success ? parsed.data : { state: null, started: false, pendingAction: null };
  }

  async #save(s: Stored): Promise<void> {
    await this.#host.storage.put(KEY, s);
  }

  /** The run state (tests and the operator view). */
  async current(): Promise<FlowState | null> {
    return (await this.#load()).state;
  }

  async #graph(meta: RoomMeta, s: FlowState): Promise<FlowGraph | null> {
    return loadFlowVersion(this.#host.env, meta.workspaceId, s.flowId, s.version);
  }

  async #ctx(meta: RoomMeta) {
    const lang = FlowLanguage.safeParse(meta.language);
    return {
      now: Date.now(),
      conversationId: meta.conversationId,
      channel: meta.channel,
      language: lang.success ? lang.data : null,
      category: meta.category,
      urgency: readState(meta.engine).lastRoute?.urgency ?? null,
      contact: {
        ...(meta.contactName ? { name: meta.contactName } : {}),
        ...(meta.verifiedEmail ? { email: meta.verifiedEmail } : {}),
      },
      businessHoursOpen: await this.#host.businessHoursOpen(meta),
    };
  }

  /**
   * A customer message (payload = a channel button's payload). True when the flow used it
   * (the room then skips its own AI turn).
   */
  async onCustomerMessage(
    meta: RoomMeta,
    message: StoredMessage,
    payload: string | null,
    first: boolean,
  ): Promise<boolean> {
    const s = await this.#load();
    if (!s.state && !s.started && first) {
      const { flows } = await loadAutomation(this.#host.env, meta.workspaceId);
      // No published flow: nothing to choose, and no business-hours read (settings from D1
      // on a new room) before the AI's first answer (~8 ms of first-token time, issue 17).
      if (flows.length === 0) return false;
      const chosen = selectFlow(flows, {
        text: message.content,
        pageUrl: null,
        channel: meta.channel,
        category: meta.category,
        afterHours: !(await this.#host.businessHoursOpen(meta)),
      });
      if (!chosen) return false;
      await this.#begin(meta, message, chosen.id, chosen.version, chosen.graph, {});
      return true;
    }
    const state = s.state;
    if (!state || state.status !== "waiting" || state.paused) return false;
    const graph = await this.#graph(meta, state);
    if (!graph) return false;
    if (state.wait?.kind === "action" && s.pendingAction) return this.#decideAction(meta, message, s, graph, payload);
    const input: FlowInput = payload?.startsWith("flow:")
      ? { type: "button", payload }
      : { type: "text", text: message.content };
    const r = advance(graph, state, input, await this.#ctx(meta));
    if (!r.consumed) return false;
    await this.#save({ ...s, state: r.state });
    await this.#perform(meta, message, graph, r.state, r.outputs);
    return true;
  }

  /** Starts `flowId`'s published version here (a rule's "start flow"). */
  async start(meta: RoomMeta, message: StoredMessage | null, flowId: string): Promise<boolean> {
    const published = await loadPublished(this.#host.env, meta.workspaceId, flowId);
    if (!published) return false;
    await this.#begin(meta, message, flowId, published.version, published.graph, {});
    return true;
  }

  async #begin(
    meta: RoomMeta,
    message: StoredMessage | null,
    flowId: string,
    version: number,
    graph: FlowGraph,
    vars: Record<string, string>,
  ): Promise<void> {
    const fresh = initialState(flowId, version, graph, vars);
    const r = advance(graph, fresh, { type: "start" }, await this.#ctx(meta));
    const s = await this.#load();
    await this.#save({ state: r.state, started: true, pendingAction: s.pendingAction });
    await this.#host.audit("flow.start", { flowId, version });
    await this.#perform(meta, message, graph, r.state, r.outputs);
  }

  /** Performs what the interpreter asked, feeding results back until it waits or stops. */
  async #perform(
    meta: RoomMeta,
    message: StoredMessage | null,
    graph: FlowGraph,
    state: FlowState,
    outputs: FlowOutput[],
  ): Promise<void> {
    let g = graph;
    let st = state;
    let queue = outputs;
    let jumps = 0;
    outer: for (let round = 0; round < MAX_OUTPUT_ROUNDS && queue.length > 0; round++) {
      let next: FlowInput | null = null;
      let said = false;
      for (const o of queue) {
        switch (o.kind) {
          case "message":
            await this.#host.say(meta, o.text, o.buttons);
            said = true;
            break;
          case "timer":
            await this.#host.scheduleAlarm();
            break;
          case "http":
            next = await performHttp(this.#host.env, o);
            break;
          case "ai": {
            if (message) await this.#host.aiTurn(meta, message);
            const after = (await this.#host.meta()) ?? meta;
            next = { type: "ai", outcome: after.turn.owner === "bot" ? "done" : "handoff" };
            break;
          }
          case "action": {
            const s = await this.#load();
            await this.#save({ ...s, pendingAction: { tool: o.tool, args: o.args } });
            await this.#host.say(meta, `Please confirm: ${o.tool.replace(/_/g, " ")}`, [
              { title: "Confirm", payload: CONFIRM },
              { title: "Cancel", payload: CANCEL },
            ]);
            break;
          }
          case "handoff": {
            const now = (await this.#host.meta()) ?? meta;
            // The node's own text already told the customer; otherwise the room's hand-over notice does.
            if (now.turn.owner === "bot")
              await this.#host.handoff(now, `Flow: ${o.reason}${o.note ? ` (${o.note})` : ""}`, !said);
            await this.#completed(meta, st, "handoff");
            break;
          }
          case "end":
            await this.#completed(meta, st, "ended");
            break;
          case "jump": {
            const published =
              jumps < MAX_JUMPS ? await loadPublished(this.#host.env, meta.workspaceId, o.flowId) : null;
            if (!published) {
              await this.#host.handoff(meta, `Flow: jump to missing flow ${o.flowId}`, true);
              break;
            }
            jumps++;
            g = published.graph;
            const r = advance(
              g,
              initialState(o.flowId, published.version, g, st.vars),
              { type: "start" },
              await this.#ctx(meta),
            );
            st = r.state;
            await this.#save({ ...(await this.#load()), state: st });
            queue = r.outputs;
            continue outer;
          }
        }
      }
      if (!next) break;
      const r = advance(g, st, next, await this.#ctx(meta));
      st = r.state;
      await this.#save({ ...(await this.#load()), state: st });
      queue = r.outputs;
    }
  }

  async #completed(meta: RoomMeta, state: FlowState, outcome: "ended" | "handoff"): Promise<void> {
    await emitWebhookEvent(this.#host.env, meta.workspaceId, "flow.completed", {
      conversationId: meta.conversationId,
      flowId: state.flowId,
      version: state.version,
      outcome,
      variables: state.vars,
    }).catch(() => 0);
  }

  async #decideAction(
    meta: RoomMeta,
    message: StoredMessage,
    s: Stored,
    graph: FlowGraph,
    payload: string | null,
  ): Promise<boolean> {
    const state = s.state;
    const pending = s.pendingAction;
    if (!state || !pending) return false;
    const answer = (payload ?? message.content).trim().toLowerCase();
    const yes = answer === CONFIRM || ["confirm", "yes", "1", "да"].includes(answer);
    const no = answer === CANCEL || ["cancel", "no", "2", "нет"].includes(answer);
    if (!yes && !no) return false;
    await this.#save({ ...s, pendingAction: null });
    let outcome: "done" | "cancelled" | "failed" = "cancelled";
    if (yes) {
      const engine = readState(meta.engine);
      const customerRef = (engine.verified === true ? engine.customerRef : null) ?? meta.customerRef;
      try {
        const result = await executeAction(this.#host.env, meta.workspaceId, customerRef, pending.tool, {
          ...pending.args,
          ...(meta.language ? { language: meta.language } : {}),
        });
        await this.#host.say(meta, result.message, []);
        outcome = "done";
        await this.#host.audit("flow.action", { tool: pending.tool, outcome });
        await emitWebhookEvent(this.#host.env, meta.workspaceId, "action.executed", {
          conversationId: meta.conversationId,
          actionId: `flow:${state.flowId}:${state.node}`,
          tool: pending.tool,
          status: "executed",
        }).catch(() => 0);
      } catch {
        outcome = "failed";
        await this.#host.audit("flow.action", { tool: pending.tool, outcome });
      }
    }
    const r = advance(graph, state, { type: "action", outcome }, await this.#ctx(meta));
    await this.#save({ ...(await this.#load()), state: r.state });
    await this.#perform(meta, message, graph, r.state, r.outputs);
    return true;
  }

  /** After a turn change: a human took over (pause) or handed back to the bot (resume or restart). */
  async onOwnerChange(meta: RoomMeta): Promise<void> {
    const s = await this.#load();
    const state = s.state;
    if (!state || state.status !== "waiting") return;
    if (meta.turn.owner !== "bot") {
      if (!state.paused) await this.#save({ ...s, state: pauseFlow(state) });
      return;
    }
    if (!state.paused) return;
    const graph = await this.#graph(meta, state);
    if (!graph) return;
    if (graph.onReturnToBot === "restart") {
      await this.#begin(meta, null, state.flowId, state.version, graph, {});
      return;
    }
    const resumed = resumeFlow(state);
    await this.#save({ ...s, state: resumed });
    // Ask again what the flow was waiting for, so the customer sees where they are.
    for (const o of currentPrompt(graph, resumed, await this.#ctx(meta)))
      if (o.kind === "message") await this.#host.say(meta, o.text, o.buttons);
    if (resumed.wait?.kind === "timer") await this.#host.scheduleAlarm();
  }

  /** The flow's wait timer, if it is due later (for the room's alarm). */
  async nextAlarm(): Promise<number | null> {
    const state = (await this.#load()).state;
    if (!state || state.status !== "waiting" || state.paused || state.wait?.kind !== "timer") return null;
    return state.wait.until;
  }

  /** Alarm: fires a due wait timer (exact across eviction: the due time is stored). */
  async onAlarm(meta: RoomMeta): Promise<void> {
    const s = await this.#load();
    const state = s.state;
    if (!state || state.paused || state.wait?.kind !== "timer" || state.wait.until > Date.now()) return;
    if (meta.turn.owner !== "bot") return;
    const graph = await this.#graph(meta, state);
    if (!graph) return;
    const r = advance(graph, state, { type: "timer" }, await this.#ctx(meta));
    if (!r.consumed) return;
    await this.#save({ ...s, state: r.state });
    await this.#perform(meta, null, graph, r.state, r.outputs);
  }
}
