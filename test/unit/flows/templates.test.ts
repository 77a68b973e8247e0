import { describe, expect, it } from "vitest";
import { validateGraph } from "../../../workers/protocol/flows.ts";
import { DEMO_FLOW, TEMPLATES, type FlowTemplate } from "../../../workers/flows/templates.ts";
import { simulateFlow, type SimulatorDeps } from "../../../workers/flows/simulate.ts";
import { ctx } from "./support.ts";

const deps: SimulatorDeps = {
  http: async () => ({ type: "http", ok: false, error: "offline" }),
  ai: async (req) => ({ text: `(AI agent: ${req.category ?? "general"})`, outcome: "done" }),
  action: async (req) => ({ text: `done ${req.tool}`, outcome: "done" }),
  loadFlow: async () => null,
};

const all: FlowTemplate[] = [...TEMPLATES, DEMO_FLOW];

describe("flow templates", () => {
  it("lists the six industries and from scratch", () => {
    expect(TEMPLATES.map((x) => x.industry)).toEqual([
      "ecommerce",
      "services",
      "b2b_saas",
      "finance_insurance",
      "real_estate",
      "education",
      "none",
    ]);
  });

  it.each(all.map((x) => [x.id, x] as const))("%s is a valid graph with valid rules", (_, tpl) => {
    expect(validateGraph(tpl.graph)).toEqual([]);
    if (tpl.industry !== "none") expect(tpl.rules.length).toBeGreaterThan(0);
  });

  it.each(all.map((x) => [x.id, x] as const))("%s runs to an end in the simulator with its script", async (_, tpl) => {
    const { now: _now, ...base } = ctx({ contact: { email: "holder@example.com" } });
    const r = await simulateFlow(tpl.graph, tpl.script, deps, base);
    expect(r.ended).toBe(true);
    expect(r.handoff).toBe(false);
    expect(r.transcript.filter((e) => e.from === "customer")).toHaveLength(tpl.script.length);
  });

  it("the e-commerce return path fills its variables", async () => {
    const { now: _now, ...base } = ctx();
    const tpl = TEMPLATES[0];
    if (!tpl) throw new Error("no template");
    const r = await simulateFlow(tpl.graph, tpl.script, deps, base);
    expect(r.variables).toMatchObject({ order_number: "A-1001", return_reason: "Wrong size", email: "me@example.com" });
    expect(r.transcript.at(-1)?.text).toBe(
      "Return for A-1001 (Wrong size) registered; the label goes to me@example.com.",
    );
  });

  it("the demo flow's first message offers the three buttons", async () => {
    const { now: _now, ...base } = ctx();
    const r = await simulateFlow(DEMO_FLOW.graph, [{ button: "Something else" }], deps, base);
    expect(r.transcript[0]?.buttons?.map((b) => b.title)).toEqual([
      "Where is my box?",
      "Skip / pause",
      "Something else",
    ]);
    expect(r.transcript.map((e) => e.text)).toContain("(AI agent: general)");
    expect(r.ended).toBe(true);
  });

  it("the finance flow hands a mismatched identity to a human", async () => {
    const { now: _now, ...base } = ctx({ contact: { email: "someone.else@example.com" } });
    const tpl = TEMPLATES.find((x) => x.id === "finance_insurance");
    if (!tpl) throw new Error("no template");
    const r = await simulateFlow(tpl.graph, tpl.script, deps, base);
    expect(r.handoff).toBe(true);
    expect(r.ended).toBe(false);
  });
});
