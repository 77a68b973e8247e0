/**
 * Flows and rules (issue 16), against the same platform in the same run:
 * - flow step: a widget customer presses a flow button (sent as its title, as the widget
 *   does) → the flow's next bot message arrives on the customer socket, p50/p99, next to
 *   the plain send round trip (send → ack) of a conversation with no flow;
 * - the same plain round trip again once the workspace has 100 active rules (every
 *   customer message evaluates them in the room);
 * - the rule engine's own cost: matching 100 rules against an event and computing their
 *   timers, in this Node process (pure module, no I/O).
 */
import WebSocket from "ws";
import { assignToOperator, login, postJson, widgetSession, wsUrl } from "../lib/api.mjs";
import { round, summarize } from "../lib/stats.mjs";

const PRESSES = 300;
const SENDS = 300;

const t = (text) => ({ text, translations: {} });

function open(base, s) {
  const ws = new WebSocket(wsUrl(base, `${s.socketPath}?token=${encodeURIComponent(s.visitorToken)}&lastSeq=0`));
  const waiters = [];
  ws.on("message", (data) => {
    const f = JSON.parse(String(data));
    for (const w of [...waiters]) {
      if (!w.pred(f)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(f);
    }
  });
  const next = (pred, ms = 10_000) =>
    new Promise((resolve, reject) => {
      const w = { pred, resolve: (f) => (clearTimeout(timer), resolve(f)) };
      const timer = setTimeout(() => reject(new Error("timed out waiting for a frame")), ms);
      waiters.push(w);
    });
  return new Promise((resolve, reject) => {
    ws.once("error", reject);
    ws.once("open", () => resolve({ ws, next, send: (f) => ws.send(JSON.stringify(f)) }));
  });
}

let n = 0;
const cid = () => `bench_${Date.now().toString(36)}_${(n++).toString(36).padStart(5, "0")}`;
const botSays = (text) => (f) => f.type === "message" && f.message.senderType === "bot" && f.message.content === text;

async function plainRoundTrips(base, operatorToken, count) {
  const s = await widgetSession(base, {}, { start: true });
  await assignToOperator(base, s.conversationId, operatorToken);
  const c = await open(base, s);
  await c.next((f) => f.type === "welcome");
  const samples = [];
  for (let i = 0; i < count; i++) {
    const id = cid();
    const t0 = performance.now();
    const ack = c.next((f) => f.type === "ack" && f.clientId === id);
    c.send({ type: "send", clientId: id, text: `plain ${i}` });
    await ack;
    samples.push(performance.now() - t0);
  }
  c.ws.close();
  return summarize(samples);
}

async function ruleEngineCost() {
  const { RuleDefinition } = await import("../../workers/protocol/flows.ts");
  const { matchRules, ruleTimers } = await import("../../workers/flows/rules.ts");
  const rules = Array.from({ length: 100 }, (_, i) => ({
    id: `r${i}`,
    ...RuleDefinition.parse({
      name: `rule ${i}`,
      event: i % 2 ? { kind: "message_received" } : { kind: "customer_idle", minutes: 10 + i },
      conditions: [
        { field: "channel", op: "eq", value: "widget" },
        { field: "message_text", op: "contains", value: `word${i}` },
        { field: "tags", op: "neq", value: "vip" },
      ],
      actions: [{ type: "add_tags", tags: ["x"] }],
    }),
  }));
  const facts = {
    channel: "widget",
    status: "open",
    priority: "normal",
    category: null,
    urgency: null,
    language: "en",
    tags: ["a", "b"],
    owner: "bot",
    csat: null,
    messageText: "where is my box, word42?",
    businessHoursOpen: true,
    assigned: false,
    lastReplyBy: "bot",
  };
  const clock = {
    now: Date.now(),
    lastCustomerAt: Date.now() - 5000,
    lastReplyAt: Date.now(),
    lastOperatorAt: null,
    owner: "bot",
    status: "open",
    hours: null,
  };
  const fired = new Set();
  const iterations = 20_000;
  for (let i = 0; i < 2000; i++) matchRules(rules, "message_received", facts, String(i), fired);
  let t0 = performance.now();
  for (let i = 0; i < iterations; i++) matchRules(rules, "message_received", facts, String(i), fired);
  const matchUs = ((performance.now() - t0) * 1000) / iterations;
  t0 = performance.now();
  for (let i = 0; i < iterations / 10; i++) ruleTimers(rules, clock, fired);
  const timersUs = ((performance.now() - t0) * 1000) / (iterations / 10);
  return { rules: 100, matchEventUs: round(matchUs, 1), timersUs: round(timersUs, 1) };
}

export async function flowsBench(platform, log = () => {}) {
  const base = platform.base;
  const admin = await login(base, "admin");
  const operatorToken = await login(base, "operator");

  // Baseline first, before any flow or rule exists in the workspace.
  log("  flows: plain send round trip …");
  const plain = await plainRoundTrips(base, operatorToken, SENDS);

  const graph = {
    start: "menu",
    triggers: [{ kind: "first_message" }],
    nodes: [
      { id: "menu", type: "buttons", text: t("Ping?"), buttons: [{ id: "ping", title: t("Ping") }] },
      { id: "pong", type: "message", text: t("Pong") },
    ],
    edges: [
      { id: "e1", from: "menu", to: "pong", on: "ping" },
      { id: "e2", from: "pong", to: "menu" },
    ],
  };
  const created = await postJson(base, "/api/flows", { name: "bench ping", graph }, admin);
  if (created.status !== 201) throw new Error(`flow create failed: ${created.status} ${created.text}`);
  const flowId = created.json.id;
  const pub = await postJson(base, `/api/flows/${flowId}/publish`, {}, admin);
  if (pub.status !== 200) throw new Error(`publish failed: ${pub.status} ${pub.text}`);

  log("  flows: button press → next message …");
  const s = await widgetSession(base);
  const c = await open(base, s);
  await c.next((f) => f.type === "welcome");
  const first = c.next(botSays("Ping?"), 20_000);
  c.send({ type: "send", clientId: cid(), text: "hello" });
  await first;
  const samples = [];
  for (let i = 0; i < PRESSES; i++) {
    const t0 = performance.now();
    const pong = c.next(botSays("Pong"));
    const again = c.next(botSays("Ping?"));
    c.send({ type: "send", clientId: cid(), text: "Ping" });
    await pong;
    samples.push(performance.now() - t0);
    await again;
  }
  c.ws.close();
  const step = summarize(samples);

  // Deactivate the flow, then 100 rules that never match (evaluated on every message).
  await fetch(`${base}/api/flows/${flowId}`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
    body: JSON.stringify({ active: false }),
  });
  for (let i = 0; i < 100; i++) {
    const r = await postJson(
      base,
      "/api/rules",
      {
        name: `bench rule ${i}`,
        event: { kind: "message_received" },
        conditions: [{ field: "message_text", op: "contains", value: `never-${i}` }],
        actions: [{ type: "add_tags", tags: ["never"] }],
      },
      admin,
    );
    if (r.status !== 201) throw new Error(`rule create failed: ${r.status} ${r.text}`);
  }
  // Rooms re-read the rule set within 10 s.
  await new Promise((r) => setTimeout(r, 11_000));
  log("  flows: plain send round trip with 100 rules …");
  const withRules = await plainRoundTrips(base, operatorToken, SENDS);
  const engine = await ruleEngineCost();
  return {
    buttonToNextMessage: step,
    plainSendRoundTrip: plain,
    plainSendWith100Rules: withRules,
    ratioStepToPlainP50: round(step.p50 / Math.max(0.01, plain.p50)),
    ruleEngine: engine,
  };
}
