/**
 * The simulator: chats through a flow with the real interpreter, feeding scripted customer
 * inputs, and performs what the flow asks through injected dependencies (the API wires
 * HTTP to the outbound-URL policy, account actions to the sandbox store, AI turns to a
 * sandboxed answer). Timers are fast-forwarded once the script runs out, so a flow that
 * waits and then nudges finishes in one call. Shared by the API and the dashboard editor.
 */
import type { FlowGraph, SimulateResponse, TranscriptEntry } from "../protocol/flows.ts";
import { advance, initialState, type FlowContext, type FlowInput, type FlowOutput, type FlowState } from "./engine.ts";

export type SimInput = string | { button: string };

export interface SimulatorDeps {
  http(req: Extract<FlowOutput, { kind: "http" }>): Promise<Extract<FlowInput, { type: "http" }>>;
  /** One AI turn: what it says and whether it finished or asked for a human. */
  ai(
    req: Extract<FlowOutput, { kind: "ai" }>,
    lastInput: string,
  ): Promise<{ text: string; outcome: "done" | "handoff" }>;
  /** Runs a confirmed account action against the sandbox. */
  action(req: Extract<FlowOutput, { kind: "action" }>): Promise<{ text: string; outcome: "done" | "failed" }>;
  /** Another flow's graph for jump nodes (null when it does not exist). */
  loadFlow(flowId: string): Promise<FlowGraph | null>;
}

const MAX_JUMPS = 5;
const MAX_TIMER_SKIPS = 10;
const MAX_EFFECTS = 50;

export const CONFIRM = "action:confirm";
export const CANCEL = "action:cancel";

/** Runs the script; never throws on a flow problem (those become a handoff in the transcript). */
export async function simulateFlow(
  graph: FlowGraph,
  inputs: readonly SimInput[],
  deps: SimulatorDeps,
  baseCtx: Omit<FlowContext, "now">,
  start = Date.now(),
): Promise<SimulateResponse> {
  const transcript: TranscriptEntry[] = [];
  let now = start;
  let g = graph;
  let state: FlowState = initialState("draft", 0, g);
  let jumps = 0;
  let effects = 0;
  let pendingAction: Extract<FlowOutput, { kind: "action" }> | null = null;
  let lastButtons: Array<{ title: string; payload: string }> = [];
  let handoff = false;
  let ended = false;

  const ctx = (): FlowContext => ({ ...baseCtx, now });

  const perform = async (outputs: FlowOutput[]): Promise<void> => {
    for (const o of outputs) {
      if (++effects > MAX_EFFECTS) {
        handoff = true;
        return;
      }
      switch (o.kind) {
        case "message":
          lastButtons = o.buttons;
          transcript.push({ from: "bot", text: o.text, ...(o.buttons.length ? { buttons: o.buttons } : {}) });
          break;
        case "http":
          await feed(await deps.http(o));
          break;
        case "ai": {
          const r = await deps.ai(o, state.vars.last_input ?? "");
          if (r.text) transcript.push({ from: "bot", text: r.text });
          await feed({ type: "ai", outcome: r.outcome });
          break;
        }
        case "action": {
          pendingAction = o;
          lastButtons = [
            { title: "Confirm", payload: CONFIRM },
            { title: "Cancel", payload: CANCEL },
          ];
          transcript.push({ from: "bot", text: `Confirm: ${o.tool}?`, buttons: lastButtons });
          break;
        }
        case "timer":
          break;
        case "handoff":
          handoff = true;
          break;
        case "end":
          ended = true;
          break;
        case "jump": {
          const next = jumps < MAX_JUMPS ? await deps.loadFlow(o.flowId) : null;
          if (!next) {
            handoff = true;
            transcript.push({ from: "bot", text: `(flow ${o.flowId} cannot be started)` });
            break;
          }
          jumps++;
          g = next;
          state = initialState(o.flowId, 0, g, state.vars);
          await feed({ type: "start" });
          break;
        }
      }
    }
  };

  async function feed(input: FlowInput): Promise<boolean> {
    const r = advance(g, state, input, ctx());
    state = r.state;
    await perform(r.outputs);
    return r.consumed;
  }

  await feed({ type: "start" });
  for (const raw of inputs) {
    if (state.status !== "waiting") break;
    const pressed = typeof raw === "string" ? null : raw.button;
    const chosen =
      pressed === null
        ? null
        : (lastButtons.find((b) => b.payload === pressed || b.title.toLowerCase() === pressed.toLowerCase()) ?? null);
    transcript.push({ from: "customer", text: typeof raw === "string" ? raw : (chosen?.title ?? pressed ?? "") });
    const action = pendingAction;
    if (action !== null && state.wait?.kind === "action") {
      const text = (chosen?.payload ?? (typeof raw === "string" ? raw : (pressed ?? ""))).toLowerCase();
      const yes = text === CONFIRM || ["yes", "confirm", "да"].includes(text);
      pendingAction = null;
      if (!yes) {
        await feed({ type: "action", outcome: "cancelled" });
        continue;
      }
      const r = await deps.action(action);
      if (r.text) transcript.push({ from: "bot", text: r.text });
      await feed({ type: "action", outcome: r.outcome });
      continue;
    }
    await feed(
      typeof raw === "string"
        ? { type: "text", text: raw }
        : { type: "button", payload: chosen?.payload ?? raw.button },
    );
  }
  // Out of script: let due timers fire so wait → nudge paths finish.
  for (let i = 0; i < MAX_TIMER_SKIPS && state.status === "waiting" && state.wait?.kind === "timer"; i++) {
    now = Math.max(now, state.wait.until);
    await feed({ type: "timer" });
  }
  return {
    transcript,
    ended: ended || state.status === "ended",
    handoff: handoff || state.status === "handoff",
    variables: { ...state.vars },
  };
}
