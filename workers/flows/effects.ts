/**
 * The runtime side of flow outputs that leave the interpreter: HTTP requests under the
 * outbound-URL policy (loopback only in development), and the sandbox dependencies the
 * simulator uses (the real AI engine and account actions on the simulated store, so a
 * simulation never changes a customer's account). Used by the API and the room.
 */
import { runTurnWith } from "../ai/engine.ts";
import type { TurnHistoryItem } from "../ai/turn-types.ts";
import type { EngineState } from "../ai/state.ts";
import { commerceFor } from "../commerce/connector.ts";
import { executeWith } from "../commerce/execute.ts";
import { SimulatedConnector } from "../commerce/simulated.ts";
import { safeFetch } from "../lib/outbound-url.ts";
import type { FlowGraph } from "../protocol/flows.ts";
import type { FlowInput, FlowOutput } from "./engine.ts";
import type { SimulatorDeps } from "./simulate.ts";

/** Loopback targets only in development (local receivers); refused everywhere else. */
export function allowLoopback(env: Env): boolean {
  return env.ENVIRONMENT === "development";
}

const MAX_HTTP_BYTES = 256 * 1024;

/** Performs a flow HTTP node; any failure (policy, network, timeout, size) is an error outcome, never a throw. */
export async function performHttp(
  env: Env,
  req: Extract<FlowOutput, { kind: "http" }>,
): Promise<Extract<FlowInput, { type: "http" }>> {
  try {
    const res = await safeFetch(
      req.url,
      {
        method: req.method,
        headers: req.headers,
        ...(req.body !== undefined && req.method !== "GET" ? { body: req.body } : {}),
      },
      { allowLoopback: allowLoopback(env), maxBytes: MAX_HTTP_BYTES, timeoutMs: req.timeoutMs },
    );
    return { type: "http", ok: true, status: res.status, body: new TextDecoder().decode(res.body) };
  } catch (err) {
    const timeout = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return {
      type: "http",
      ok: false,
      error: timeout ? "timeout" : err instanceof Error ? err.message.slice(0, 200) : "request failed",
    };
  }
}

/**
 * Dependencies for simulating a draft: real HTTP (policy applied), the real AI engine and
 * account actions against the sandbox store. `customerEmail` plays a verified demo customer.
 */
export async function sandboxDeps(
  env: Env,
  workspaceId: string,
  operatorId: string,
  loadFlow: (flowId: string) => Promise<FlowGraph | null>,
  customerEmail?: string,
): Promise<SimulatorDeps> {
  const sim = new SimulatedConnector(commerceFor(env, workspaceId));
  let memory: EngineState = {};
  if (customerEmail) {
    const customer = await sim.findCustomerByEmail(customerEmail);
    if (customer)
      memory = { verified: true, email: customer.email, customerRef: customer.customerRef, vouchChecked: true };
  }
  const history: TurnHistoryItem[] = [];
  return {
    http: (req) => performHttp(env, req),
    async ai(req, lastInput) {
      const text = [req.goal, lastInput].filter(Boolean).join(": ") || "Hello";
      const res = await runTurnWith(
        env,
        {
          workspaceId,
          conversationId: `flowsim_${operatorId}`,
          channel: "playground",
          text,
          language: null,
          history: [...history],
          memory,
          attachmentKeys: [],
          contactName: null,
        },
        () => undefined,
        { connector: sim, trustEmail: true, issueCode: async () => undefined },
      );
      memory = res.memory;
      const reply = res.replies.map((r) => r.text).join("\n");
      history.push({ role: "customer", text }, { role: "bot", text: reply });
      return { text: reply, outcome: res.handoff ? "handoff" : "done" };
    },
    async action(req) {
      try {
        const r = await executeWith(sim, memory.customerRef ?? null, req.tool, req.args);
        return { text: r.message, outcome: "done" };
      } catch (err) {
        return { text: err instanceof Error ? `Not executed: ${err.message}` : "Not executed", outcome: "failed" };
      }
    },
    loadFlow,
  };
}
