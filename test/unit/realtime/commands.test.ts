import { describe, expect, it } from "vitest";
import { planCommand } from "../../../durable-objects/room/commands.ts";

const actor = { id: "op_noa", name: "Noa Operator" };
const note = "Customer needs a replacement bowl; please handle stock check";

describe("planCommand: transfer", () => {
  it("keeps the note out of the customer-visible activity and returns it as an internal note", () => {
    const plan = planCommand({ command: "transfer", operatorId: "op_lucia", note }, actor, 0, "queue", "Lucía");
    expect(plan.kind).toBe("turn");
    if (plan.kind !== "turn") return;
    expect(plan.activity).toBe("Connecting you to Lucía");
    expect(plan.activity).not.toContain("replacement");
    expect(plan.note).toBe(note);
  });

  it("names the team for a team transfer and never leaks the note", () => {
    const plan = planCommand({ command: "transfer", teamId: "team_billing", note }, actor, 0, "queue", "Billing");
    if (plan.kind !== "turn") throw new Error("expected a turn plan");
    expect(plan.activity).toBe("Connecting you to the Billing team");
    expect(plan.activity).not.toContain("stock");
    expect(plan.note).toBe(note);
  });

  it("drops a blank note and falls back to a neutral activity without a target name", () => {
    const plan = planCommand({ command: "transfer", operatorId: "op_lucia", note: "   " }, actor, 0, "queue");
    if (plan.kind !== "turn") throw new Error("expected a turn plan");
    expect(plan.note).toBeUndefined();
    expect(plan.activity).toBe("Noa Operator transferred the conversation");
  });

  it("refuses a transfer without a target", () => {
    expect(planCommand({ command: "transfer", note }, actor, 0, "queue").kind).toBe("error");
  });
});
