import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advance,
  initialState,
  MAX_STEPS,
  pauseFlow,
  resumeFlow,
  type FlowInput,
  type FlowState,
} from "../../../workers/flows/engine.ts";
import { validateGraph, type FlowGraph, type FlowNode } from "../../../workers/protocol/flows.ts";
import { ctx, graph, t } from "./support.ts";

const menu = graph({
  start: "welcome",
  variables: [{ name: "topic", default: "" }],
  nodes: [
    { id: "welcome", type: "message", text: t("Hi {{contact.name}}!", { ru: "Привет, {{contact.name}}!" }) },
    {
      id: "menu",
      type: "buttons",
      text: t("How can we help?", { ru: "Чем помочь?" }),
      variable: "topic",
      buttons: [
        { id: "order", title: t("Where is my box?", { ru: "Где моя коробка?" }) },
        { id: "human", title: t("Talk to a person") },
      ],
    },
    {
      id: "ask",
      type: "form",
      fields: [{ name: "email", kind: "email", prompt: t("Your email?") }],
      invalidText: t("That is not an email."),
    },
    { id: "done", type: "end", text: t("Thanks, {{email}} ({{topic}})") },
    { id: "handoff", type: "handoff", reason: "customer_request", text: t("Connecting you") },
  ],
  edges: [
    { id: "e0", from: "welcome", to: "menu" },
    { id: "e1", from: "menu", to: "ask", on: "order" },
    { id: "e2", from: "menu", to: "handoff", on: "human" },
    { id: "e3", from: "ask", to: "done" },
  ],
});

function feed(g: FlowGraph, inputs: FlowInput[], c = ctx()) {
  let state = initialState("f1", 1, g);
  const said: string[] = [];
  for (const input of inputs) {
    const r = advance(g, state, input, c);
    state = r.state;
    for (const o of r.outputs) if (o.kind === "message") said.push(o.text);
  }
  return { state, said };
}

describe("flow engine", () => {
  it("walks a menu, re-asks an invalid email and ends with the variables filled", () => {
    const { state, said } = feed(
      menu,
      [
        { type: "start" },
        { type: "button", payload: "flow:order" },
        { type: "text", text: "nope" },
        { type: "text", text: "A@B.io" },
      ],
      ctx({ contact: { name: "Ann" } }),
    );
    expect(said).toEqual([
      "Hi Ann!",
      "How can we help?",
      "Your email?",
      "That is not an email.",
      "Your email?",
      "Thanks, a@b.io (Where is my box?)",
    ]);
    expect(state.status).toBe("ended");
    expect(state.vars.email).toBe("a@b.io");
  });

  it("speaks the conversation's language and matches a typed title or number", () => {
    const first = advance(
      menu,
      initialState("f1", 1, menu),
      { type: "start" },
      ctx({ language: "ru", contact: { name: "Иван" } }),
    );
    const msg = first.outputs.filter((o) => o.kind === "message");
    expect(msg.map((m) => m.text)).toEqual(["Привет, Иван!", "Чем помочь?"]);
    expect(msg[1]?.buttons).toEqual([
      { title: "Где моя коробка?", payload: "flow:order" },
      { title: "Talk to a person", payload: "flow:human" },
    ]);
    const typed = advance(menu, first.state, { type: "text", text: "где моя коробка?" }, ctx({ language: "ru" }));
    expect(typed.state.node).toBe("ask");
    const numbered = advance(menu, first.state, { type: "text", text: "2" }, ctx());
    expect(numbered.state.status).toBe("handoff");
    expect(numbered.outputs.at(-1)).toEqual({ kind: "handoff", reason: "customer_request" });
  });

  it("re-asks the buttons on unrelated text when no default exit exists", () => {
    const first = advance(menu, initialState("f1", 1, menu), { type: "start" }, ctx());
    const r = advance(menu, first.state, { type: "text", text: "hello?" }, ctx());
    expect(r.consumed).toBe(true);
    expect(r.state.node).toBe("menu");
    expect(r.outputs.map((o) => o.kind)).toEqual(["message"]);
  });

  it("HTTP: maps the JSON response, follows the error edge on garbage or failure", () => {
    const g = graph({
      start: "h",
      nodes: [
        {
          id: "h",
          type: "http",
          method: "GET",
          url: "https://x.example/o/{{contact.email}}",
          map: [{ variable: "st", path: "order.status" }],
        },
        { id: "ok", type: "end", text: t("Status: {{st}}") },
        { id: "bad", type: "end", text: t("Could not check ({{http_error}})") },
      ],
      edges: [
        { id: "a", from: "h", to: "ok", on: "ok" },
        { id: "b", from: "h", to: "bad", on: "error" },
      ],
    });
    const c = ctx({ contact: { email: "a b@x.io" } });
    const s0 = advance(g, initialState("f", 1, g), { type: "start" }, c);
    expect(s0.outputs[0]).toMatchObject({ kind: "http", url: "https://x.example/o/a%20b%40x.io" });
    const good = advance(
      g,
      s0.state,
      { type: "http", ok: true, status: 200, body: '{"order":{"status":"shipped"}}' },
      c,
    );
    expect(good.outputs[0]).toMatchObject({ text: "Status: shipped" });
    const garbage = advance(g, s0.state, { type: "http", ok: true, status: 200, body: "<html>" }, c);
    expect(garbage.outputs[0]).toMatchObject({ text: "Could not check (The response is not JSON)" });
    const timeout = advance(g, s0.state, { type: "http", ok: false, error: "timeout" }, c);
    expect(timeout.state.node).toBe("bad");
    const s500 = advance(g, s0.state, { type: "http", ok: true, status: 500, body: "{}" }, c);
    expect(s500.state.node).toBe("bad");
  });

  it("a wait fires only when due; a reply edge wins over it", () => {
    const g = graph({
      start: "w",
      nodes: [
        { id: "w", type: "wait", seconds: 60 },
        { id: "late", type: "end", text: t("Still there?") },
        { id: "back", type: "end", text: t("Welcome back") },
      ],
      edges: [
        { id: "a", from: "w", to: "late", on: "elapsed" },
        { id: "b", from: "w", to: "back", on: "reply" },
      ],
    });
    const c = ctx();
    const s0 = advance(g, initialState("f", 1, g), { type: "start" }, c);
    expect(s0.outputs).toEqual([{ kind: "timer", at: c.now + 60_000 }]);
    expect(advance(g, s0.state, { type: "timer" }, ctx({ now: c.now + 59_999 })).consumed).toBe(false);
    expect(advance(g, s0.state, { type: "timer" }, ctx({ now: c.now + 60_000 })).state.node).toBe("late");
    expect(advance(g, s0.state, { type: "text", text: "hi" }, c).state.node).toBe("back");
  });

  it("conditions on channel, business hours and variables; else edge", () => {
    const g = graph({
      start: "c",
      nodes: [
        {
          id: "c",
          type: "condition",
          branches: [
            { id: "tg", when: [{ subject: "channel", op: "eq", value: "telegram" }] },
            { id: "closed", when: [{ subject: "business_hours", op: "eq", value: "closed" }] },
          ],
        },
        { id: "a", type: "end", text: t("tg") },
        { id: "b", type: "end", text: t("closed") },
        { id: "z", type: "end", text: t("else") },
      ],
      edges: [
        { id: "1", from: "c", to: "a", on: "tg" },
        { id: "2", from: "c", to: "b", on: "closed" },
        { id: "3", from: "c", to: "z", on: "else" },
      ],
    });
    const said = (c: ReturnType<typeof ctx>) => feed(g, [{ type: "start" }], c).said;
    expect(said(ctx({ channel: "telegram" }))).toEqual(["tg"]);
    expect(said(ctx({ businessHoursOpen: false }))).toEqual(["closed"]);
    expect(said(ctx())).toEqual(["else"]);
  });

  it("a loop without input is stopped after the bound and handed to a human", () => {
    const g = graph({
      start: "a",
      nodes: [
        { id: "a", type: "set", variable: "n", value: "x{{n}}" },
        { id: "b", type: "message", text: t("again") },
      ],
      edges: [
        { id: "1", from: "a", to: "b" },
        { id: "2", from: "b", to: "a" },
      ],
    });
    expect(validateGraph(g).some((i) => i.code === "loop_without_input")).toBe(true);
    const r = advance(g, initialState("f", 1, g), { type: "start" }, ctx());
    expect(r.state.status).toBe("handoff");
    expect(r.outputs.at(-1)).toMatchObject({ kind: "handoff", reason: "loop_detected" });
    expect(r.outputs.filter((o) => o.kind === "message").length).toBeLessThanOrEqual(MAX_STEPS);
  });

  it("AI and action nodes wait for their outcome", () => {
    const g = graph({
      start: "ai",
      nodes: [
        { id: "ai", type: "ai", category: "shipping_inquiry", goal: "Find the box" },
        { id: "act", type: "action", tool: "skip_next_box", args: { month: "{{last_input}}" } },
        { id: "ok", type: "end", text: t("Done") },
        { id: "no", type: "end", text: t("Cancelled") },
      ],
      edges: [
        { id: "1", from: "ai", to: "act", on: "done" },
        { id: "2", from: "act", to: "ok", on: "done" },
        { id: "3", from: "act", to: "no", on: "cancelled" },
      ],
    });
    const s0 = advance(g, initialState("f", 1, g), { type: "start" }, ctx());
    expect(s0.outputs).toEqual([{ kind: "ai", category: "shipping_inquiry", goal: "Find the box" }]);
    expect(advance(g, s0.state, { type: "text", text: "hi" }, ctx()).consumed).toBe(false);
    const s1 = advance(g, s0.state, { type: "ai", outcome: "done" }, ctx());
    expect(s1.outputs[0]).toMatchObject({ kind: "action", tool: "skip_next_box" });
    expect(advance(g, s1.state, { type: "action", outcome: "cancelled" }, ctx()).state.node).toBe("no");
    const handed = advance(g, s0.state, { type: "ai", outcome: "handoff" }, ctx());
    expect(handed.state.status).toBe("handoff");
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const TYPES = [
  "message",
  "set",
  "condition",
  "buttons",
  "form",
  "wait",
  "http",
  "ai",
  "action",
  "end",
  "handoff",
] as const;

function makeNode(id: string, type: (typeof TYPES)[number]): FlowNode {
  switch (type) {
    case "message":
      return { id, type, text: t(`m ${id}`) };
    case "set":
      return { id, type, variable: "v", value: `{{v}}${id}` };
    case "condition":
      return {
        id,
        type,
        branches: [{ id: "b1", when: [{ subject: "variable", key: "v", op: "contains", value: "n1" }] }],
      };
    case "buttons":
      return {
        id,
        type,
        text: t("?"),
        buttons: [
          { id: "x", title: t("X") },
          { id: "y", title: t("Y") },
        ],
      };
    case "form":
      return { id, type, fields: [{ name: "n", kind: "number", prompt: t("n?"), options: [], required: true }] };
    case "wait":
      return { id, type, seconds: 30 };
    case "http":
      return {
        id,
        type,
        method: "GET",
        url: "https://x.example",
        headers: {},
        timeoutMs: 1000,
        map: [{ variable: "v", path: "a" }],
      };
    case "ai":
      return { id, type };
    case "action":
      return { id, type, tool: "t", args: {} };
    case "end":
      return { id, type };
    case "handoff":
      return { id, type, reason: "other" };
  }
}

const LABELS = [undefined, "x", "y", "b1", "else", "ok", "error", "done", "elapsed", "reply", "cancelled"];

const arbGraph = fc
  .integer({ min: 1, max: 8 })
  .chain((n) =>
    fc.record({
      types: fc.array(fc.constantFrom(...TYPES), { minLength: n, maxLength: n }),
      edges: fc.array(fc.record({ from: fc.nat(n - 1), to: fc.nat(n - 1), on: fc.constantFrom(...LABELS) }), {
        maxLength: 3 * n,
      }),
    }),
  )
  .map(({ types, edges }) => {
    const nodes = types.map((ty, i) => makeNode(`n${i}`, ty));
    const seen = new Set<string>();
    const es = edges
      .filter((e) => {
        const k = `${e.from}:${e.on ?? ""}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .map((e, i) => ({ id: `e${i}`, from: `n${e.from}`, to: `n${e.to}`, ...(e.on ? { on: e.on } : {}) }));
    return graph({ start: "n0", nodes, edges: es, variables: [{ name: "v", default: "" }] });
  });

const arbInput: fc.Arbitrary<FlowInput> = fc.oneof(
  fc.constant<FlowInput>({ type: "timer" }),
  fc.constantFrom("x", "y", "1", "abc").map((s): FlowInput => ({ type: "text", text: s })),
  fc.constantFrom("flow:x", "flow:y").map((p): FlowInput => ({ type: "button", payload: p })),
  fc.constantFrom<FlowInput>(
    { type: "http", ok: true, status: 200, body: '{"a":"n1"}' },
    { type: "http", ok: false, error: "timeout" },
    { type: "ai", outcome: "done" },
    { type: "ai", outcome: "handoff" },
    { type: "action", outcome: "done" },
    { type: "action", outcome: "failed" },
  ),
);

function settled(s: FlowState): boolean {
  return s.status === "waiting" ? s.wait !== null : ["ended", "handoff", "jumped"].includes(s.status);
}

describe("flow engine properties", () => {
  it("any graph terminates or waits after each input, within the step bound; valid graphs never hit the bound", () => {
    fc.assert(
      fc.property(arbGraph, fc.array(arbInput, { maxLength: 12 }), (g, inputs) => {
        const valid = validateGraph(g).length === 0;
        let c = ctx();
        let state = initialState("f", 1, g);
        for (const input of [{ type: "start" } as const, ...inputs]) {
          const before = state.steps;
          const r = advance(g, state, input, c);
          state = r.state;
          expect(settled(state)).toBe(true);
          expect(state.steps - before).toBeLessThanOrEqual(MAX_STEPS);
          if (valid) expect(r.outputs.some((o) => o.kind === "handoff" && o.reason === "loop_detected")).toBe(false);
          c = ctx({ now: c.now + 31_000 });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("pause/resume keeps the position: inputs while paused change nothing", () => {
    fc.assert(
      fc.property(
        arbGraph,
        fc.array(arbInput, { maxLength: 6 }),
        fc.array(arbInput, { maxLength: 6 }),
        (g, before, during) => {
          let state = advance(g, initialState("f", 1, g), { type: "start" }, ctx()).state;
          for (const i of before) state = advance(g, state, i, ctx()).state;
          const paused = pauseFlow(state);
          let p = paused;
          for (const i of during) {
            const r = advance(g, p, i, ctx({ now: ctx().now + 10 ** 9 }));
            expect(r.outputs).toEqual([]);
            expect(r.consumed).toBe(false);
            p = r.state;
          }
          expect(resumeFlow(p)).toEqual(state);
        },
      ),
      { numRuns: 200 },
    );
  });
});
