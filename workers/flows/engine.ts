/**
 * The flow interpreter: a pure state machine over a validated FlowGraph. The state is a
 * position plus variables (plain JSON, so the room stores it as is and it survives
 * eviction); `advance` takes one input, walks nodes until the flow needs something from
 * outside (a customer answer, a timer, an HTTP response, an AI turn, an action's outcome)
 * or stops (end, handoff, jump), and returns the outputs for the runner to perform.
 *
 * Written here rather than taken from a library: the graph engines we looked at (Typebot's
 * runtime, XState) either need their own storage/runtime or model a different graph, and
 * what we need is one deterministic function the room, the simulator and the editor share.
 *
 * Bounded: one call visits at most MAX_STEPS nodes; a graph that would go on without ever
 * waiting is handed to a human with reason `loop_detected` instead of spinning.
 *
 * Over 400 lines: one interpreter switch with a case per node kind; splitting the cases apart
 * would scatter the state machine the comment above describes.
 */
import { type FlowGraph, type FlowLanguage, type FlowNode, type FormField, type NodeOf } from "../protocol/flows.ts";
import { checkField } from "./fields.ts";
import { allTexts, pickText, readPath, renderTemplate, type Vars } from "./template.ts";
import { evaluateCondition, type ConditionFacts } from "./conditions.ts";

export const MAX_STEPS = 64;

export type FlowWait =
  | { kind: "input" }
  | { kind: "form"; field: number; retries: number }
  | { kind: "timer"; until: number }
  | { kind: "http" }
  | { kind: "ai" }
  | { kind: "action" };

export interface FlowState {
  flowId: string;
  version: number;
  /** The node the flow stands on (waiting at it, or where it stopped). */
  node: string;
  status: "waiting" | "ended" | "handoff" | "jumped";
  wait: FlowWait | null;
  vars: Record<string, string>;
  /** A human took the conversation over: inputs are ignored until `resumeFlow`. */
  paused: boolean;
  /** Nodes visited in total (for traces and the loop bound across calls). */
  steps: number;
}

export interface FlowContext extends ConditionFacts {
  now: number;
  conversationId: string;
}

export type FlowInput =
  | { type: "start" }
  | { type: "text"; text: string }
  | { type: "button"; payload: string }
  | { type: "timer" }
  | { type: "http"; ok: true; status: number; body: string }
  | { type: "http"; ok: false; error: string }
  | { type: "ai"; outcome: "done" | "handoff" }
  | { type: "action"; outcome: "done" | "cancelled" | "failed" };

export interface OutButton {
  title: string;
  payload: string;
}

export type FlowOutput =
  | { kind: "message"; text: string; buttons: OutButton[]; imageUrl?: string; field?: FormField["kind"] }
  | {
      kind: "http";
      method: NodeOf<"http">["method"];
      url: string;
      headers: Record<string, string>;
      body?: string;
      timeoutMs: number;
    }
  | { kind: "ai"; category?: string; goal?: string }
  | { kind: "action"; tool: string; args: Record<string, string> }
  | { kind: "timer"; at: number }
  | { kind: "handoff"; reason: NodeOf<"handoff">["reason"]; teamId?: string; note?: string }
  | { kind: "jump"; flowId: string }
  | { kind: "end" };

export interface AdvanceResult {
  state: FlowState;
  outputs: FlowOutput[];
  /** False when the flow had no use for the input (paused, waiting on a timer, finished): the room may let the AI answer it. */
  consumed: boolean;
}

/** Button payloads the flow recognises: short enough for Telegram's 64-byte callback data. */
export const BUTTON_PREFIX = "flow:";

/** A fresh state at the start node (nothing run yet: call `advance` with `{type:"start"}`). */
export function initialState(flowId: string, version: number, graph: FlowGraph, vars: Vars = {}): FlowState {
  const defaults: Record<string, string> = {};
  for (const v of graph.variables) defaults[v.name] = v.default;
  return {
    flowId,
    version,
    node: graph.start,
    status: "waiting",
    wait: null,
    vars: { ...defaults, ...vars },
    paused: false,
    steps: 0,
  };
}

/** A human took over: freeze the flow where it stands. */
export function pauseFlow(state: FlowState): FlowState {
  return { ...state, paused: true };
}

/** Back to the bot: continue exactly where it paused. */
export function resumeFlow(state: FlowState): FlowState {
  return { ...state, paused: false };
}

class Walk {
  readonly outputs: FlowOutput[] = [];
  readonly vars: Record<string, string>;
  readonly byId: Map<string, FlowNode>;
  steps = 0;
  readonly graph: FlowGraph;
  readonly ctx: FlowContext;
  constructor(graph: FlowGraph, ctx: FlowContext, vars: Record<string, string>) {
    this.graph = graph;
    this.ctx = ctx;
    this.vars = { ...vars };
    this.byId = new Map(graph.nodes.map((n) => [n.id, n]));
  }
  get lang(): FlowLanguage | null {
    return this.ctx.language;
  }
  get scope(): Vars {
    const s: Record<string, string> = {
      channel: this.ctx.channel,
      language: this.ctx.language ?? this.graph.defaultLanguage,
      category: this.ctx.category ?? "",
      urgency: this.ctx.urgency ?? "",
      "conversation.id": this.ctx.conversationId,
    };
    for (const [k, v] of Object.entries(this.ctx.contact)) s[`contact.${k}`] = v;
    return { ...s, ...this.vars };
  }
  render(template: string, escape?: (v: string) => string): string {
    return renderTemplate(template, this.scope, escape);
  }
  say(
    text: string,
    extra: Omit<Extract<FlowOutput, { kind: "message" }>, "kind" | "text" | "buttons"> = {},
    buttons: OutButton[] = [],
  ) {
    this.outputs.push({ kind: "message", text, buttons, ...extra });
  }
  /** The edge for `label`, else (when allowed) the node's default edge. */
  next(nodeId: string, label: string | undefined, fallback = true): string | null {
    const edges = this.graph.edges.filter((e) => e.from === nodeId);
    const exact = label === undefined ? undefined : edges.find((e) => e.on === label);
    if (exact) return exact.to;
    if (!fallback && label !== undefined) return null;
    return edges.find((e) => e.on === undefined)?.to ?? null;
  }
}

function stopped(state: FlowState, walk: Walk, node: string, status: FlowState["status"]): FlowState {
  return { ...state, node, status, wait: null, vars: walk.vars, steps: state.steps + walk.steps };
}

function waiting(state: FlowState, walk: Walk, node: string, wait: FlowWait): FlowState {
  return { ...state, node, status: "waiting", wait, vars: walk.vars, steps: state.steps + walk.steps };
}

function askField(walk: Walk, field: FormField) {
  const text = walk.render(pickText(field.prompt, walk.lang));
  const buttons =
    field.kind === "choice" ? field.options.map((o, i) => ({ title: o, payload: `${BUTTON_PREFIX}${i + 1}` })) : [];
  walk.say(text, { field: field.kind }, buttons);
}

/**
 * Runs from `nodeId` (entering it) until the flow waits or stops. Entering a node emits
 * what it says and either passes through (message, condition, set) or waits.
 */
function run(state: FlowState, walk: Walk, from: string | null): FlowState {
  let id = from;
  while (id !== null) {
    if (walk.steps >= MAX_STEPS) {
      walk.outputs.push({ kind: "handoff", reason: "loop_detected", note: `Flow stopped after ${MAX_STEPS} steps` });
      return stopped(state, walk, id, "handoff");
    }
    walk.steps++;
    const node = walk.byId.get(id);
    if (!node) {
      walk.outputs.push({ kind: "handoff", reason: "flow_error", note: `Missing node ${id}` });
      return stopped(state, walk, id, "handoff");
    }
    switch (node.type) {
      case "message":
        walk.say(
          walk.render(pickText(node.text, walk.lang)),
          node.imageUrl ? { imageUrl: walk.render(node.imageUrl) } : {},
        );
        id = walk.next(node.id, undefined);
        break;
      case "buttons":
        walk.say(
          walk.render(pickText(node.text, walk.lang)),
          {},
          node.buttons.map((b) => ({
            title: walk.render(pickText(b.title, walk.lang)),
            payload: `${BUTTON_PREFIX}${b.id}`,
          })),
        );
        return waiting(state, walk, node.id, { kind: "input" });
      case "form": {
        const first = node.fields[0];
        if (first) askField(walk, first);
        return waiting(state, walk, node.id, { kind: "form", field: 0, retries: 0 });
      }
      case "condition": {
        const facts = { ...walk.ctx, vars: walk.scope };
        const branch = node.branches.find((b) =>
          b.when.every((c) => evaluateCondition(c, facts, walk.render.bind(walk))),
        );
        id = branch
          ? walk.next(node.id, branch.id)
          : (walk.next(node.id, "else", false) ?? walk.next(node.id, undefined));
        break;
      }
      case "set":
        walk.vars[node.variable] = walk.render(node.value);
        id = walk.next(node.id, undefined);
        break;
      case "http": {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(node.headers)) headers[k] = walk.render(v);
        walk.outputs.push({
          kind: "http",
          method: node.method,
          url: walk.render(node.url, encodeURIComponent),
          headers,
          ...(node.body !== undefined ? { body: walk.render(node.body, (v) => JSON.stringify(v).slice(1, -1)) } : {}),
          timeoutMs: node.timeoutMs,
        });
        return waiting(state, walk, node.id, { kind: "http" });
      }
      case "ai":
        walk.outputs.push({
          kind: "ai",
          ...(node.category ? { category: node.category } : {}),
          ...(node.goal ? { goal: walk.render(node.goal) } : {}),
        });
        return waiting(state, walk, node.id, { kind: "ai" });
      case "action": {
        const args: Record<string, string> = {};
        for (const [k, v] of Object.entries(node.args)) args[k] = walk.render(v);
        walk.outputs.push({ kind: "action", tool: node.tool, args });
        return waiting(state, walk, node.id, { kind: "action" });
      }
      case "wait": {
        const until = walk.ctx.now + node.seconds * 1000;
        walk.outputs.push({ kind: "timer", at: until });
        return waiting(state, walk, node.id, { kind: "timer", until });
      }
      case "handoff":
        if (node.text) walk.say(walk.render(pickText(node.text, walk.lang)));
        walk.outputs.push({
          kind: "handoff",
          reason: node.reason,
          ...(node.teamId ? { teamId: node.teamId } : {}),
          ...(node.note ? { note: walk.render(node.note) } : {}),
        });
        return stopped(state, walk, node.id, "handoff");
      case "jump":
        walk.outputs.push({ kind: "jump", flowId: node.flowId });
        return stopped(state, walk, node.id, "jumped");
      case "end":
        if (node.text) walk.say(walk.render(pickText(node.text, walk.lang)));
        walk.outputs.push({ kind: "end" });
        return stopped(state, walk, node.id, "ended");
    }
  }
  // A node without an exit ends the flow.
  walk.outputs.push({ kind: "end" });
  return stopped(state, walk, state.node, "ended");
}

/** Which button an input means: the payload, a title typed in any language, or its number ("2"). */
export function matchButton(node: NodeOf<"buttons">, input: FlowInput): string | null {
  if (input.type === "button") {
    const id = input.payload.startsWith(BUTTON_PREFIX) ? input.payload.slice(BUTTON_PREFIX.length) : input.payload;
    if (node.buttons.some((b) => b.id === id)) return id;
    return matchText(node, input.payload);
  }
  if (input.type === "text") return matchText(node, input.text);
  return null;
}

function matchText(node: NodeOf<"buttons">, raw: string): string | null {
  const text = raw.trim().toLowerCase();
  if (/^\d{1,2}$/.test(text)) return node.buttons[Number(text) - 1]?.id ?? null;
  return node.buttons.find((b) => allTexts(b.title).some((t) => t.trim().toLowerCase() === text))?.id ?? null;
}

function inputText(input: FlowInput): string | null {
  if (input.type === "text") return input.text;
  if (input.type === "button")
    return input.payload.startsWith(BUTTON_PREFIX) ? input.payload.slice(BUTTON_PREFIX.length) : input.payload;
  return null;
}

/**
 * Feeds one input to the flow. `{type:"start"}` enters the start node of a fresh state;
 * everything else is matched against what the flow waits for.
 */
export function advance(graph: FlowGraph, state: FlowState, input: FlowInput, ctx: FlowContext): AdvanceResult {
  const walk = new Walk(graph, ctx, state.vars);
  const unused: AdvanceResult = { state, outputs: [], consumed: false };
  if (state.paused || state.status !== "waiting") return unused;
  if (input.type === "start") {
    if (state.wait !== null) return unused;
    return { state: run(state, walk, graph.start), outputs: walk.outputs, consumed: true };
  }
  const node = walk.byId.get(state.node);
  const wait = state.wait;
  if (!node || !wait) return unused;
  const text = inputText(input);
  if (text !== null) walk.vars.last_input = text.slice(0, 4000);

  const go = (label: string | undefined, fallback = true) =>
    ({
      state: run(state, walk, walk.next(node.id, label, fallback)),
      outputs: walk.outputs,
      consumed: true,
    }) satisfies AdvanceResult;

  switch (wait.kind) {
    case "input": {
      if (node.type !== "buttons" || text === null) return unused;
      const chosen = matchButton(node, input);
      if (chosen !== null) {
        const button = node.buttons.find((b) => b.id === chosen);
        if (node.variable && button) walk.vars[node.variable] = button.title.text;
        return go(chosen, false);
      }
      // Free text: the default exit when the author drew one, else ask again.
      if (walk.next(node.id, undefined) !== null && input.type === "text") return go(undefined);
      walk.say(
        walk.render(pickText(node.text, walk.lang)),
        {},
        node.buttons.map((b) => ({
          title: walk.render(pickText(b.title, walk.lang)),
          payload: `${BUTTON_PREFIX}${b.id}`,
        })),
      );
      return { state: { ...state, vars: walk.vars }, outputs: walk.outputs, consumed: true };
    }
    case "form": {
      if (node.type !== "form" || text === null) return unused;
      const field = node.fields[wait.field];
      if (!field) return go(undefined);
      const checked = checkField(field, input.type === "button" ? (inputText(input) ?? "") : text);
      if (!checked.ok) {
        if (node.invalidText) walk.say(walk.render(pickText(node.invalidText, walk.lang)));
        askField(walk, field);
        return {
          state: { ...state, vars: walk.vars, wait: { ...wait, retries: wait.retries + 1 } },
          outputs: walk.outputs,
          consumed: true,
        };
      }
      walk.vars[field.name] = checked.value;
      const nextField = node.fields[wait.field + 1];
      if (nextField) {
        askField(walk, nextField);
        return {
          state: { ...state, vars: walk.vars, wait: { kind: "form", field: wait.field + 1, retries: 0 } },
          outputs: walk.outputs,
          consumed: true,
        };
      }
      return go(undefined);
    }
    case "timer": {
      if (input.type === "timer") return ctx.now >= wait.until ? go("elapsed") : unused;
      if (text !== null && walk.next(node.id, "reply", false) !== null) return go("reply", false);
      return unused;
    }
    case "http": {
      if (input.type !== "http") return unused;
      if (!input.ok) return httpError(state, walk, node, input.error);
      walk.vars.http_status = String(input.status);
      if (input.status >= 400) return httpError(state, walk, node, `HTTP ${input.status}`);
      if (node.type === "http" && node.map.length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(input.body);
        } catch {
          return httpError(state, walk, node, "The response is not JSON");
        }
        for (const m of node.map) walk.vars[m.variable] = readPath(parsed, m.path) ?? "";
      }
      return go("ok");
    }
    case "ai": {
      if (input.type !== "ai") return unused;
      if (input.outcome === "handoff" && walk.next(node.id, "handoff", false) === null) {
        walk.outputs.push({ kind: "handoff", reason: "complex_issue", note: "The AI agent asked for a human" });
        return { state: stopped(state, walk, node.id, "handoff"), outputs: walk.outputs, consumed: true };
      }
      return go(input.outcome);
    }
    case "action":
      if (input.type !== "action") return unused;
      return go(input.outcome);
  }
}

function httpError(state: FlowState, walk: Walk, node: FlowNode, error: string): AdvanceResult {
  walk.vars.http_error = error.slice(0, 200);
  const to = walk.next(node.id, "error", false);
  if (to === null) {
    walk.outputs.push({ kind: "handoff", reason: "flow_error", note: `HTTP step failed: ${error.slice(0, 200)}` });
    return { state: stopped(state, walk, node.id, "handoff"), outputs: walk.outputs, consumed: true };
  }
  return { state: run(state, walk, to), outputs: walk.outputs, consumed: true };
}

/** The question the flow waits on (buttons or the current form field), to ask again after a pause. */
export function currentPrompt(graph: FlowGraph, state: FlowState, ctx: FlowContext): FlowOutput[] {
  const walk = new Walk(graph, ctx, state.vars);
  const node = walk.byId.get(state.node);
  if (state.status !== "waiting" || !node) return [];
  if (node.type === "buttons" && state.wait?.kind === "input")
    walk.say(
      walk.render(pickText(node.text, walk.lang)),
      {},
      node.buttons.map((b) => ({
        title: walk.render(pickText(b.title, walk.lang)),
        payload: `${BUTTON_PREFIX}${b.id}`,
      })),
    );
  if (node.type === "form" && state.wait?.kind === "form") {
    const field = node.fields[state.wait.field];
    if (field) askField(walk, field);
  }
  return walk.outputs;
}

/** Labels an edge from this node may carry (for the editor's edge menu). */
