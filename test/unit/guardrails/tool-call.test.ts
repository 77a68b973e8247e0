import { describe, expect, it } from "vitest";
import { checkToolCall } from "../../../workers/ai/guardrails/tool-call.ts";
import { turn } from "./context.ts";

const now = new Date("2026-03-10T12:00:00Z");

describe("checkToolCall: which tools may run", () => {
  it("blocks a tool the model invented", () => {
    const r = checkToolCall({ name: "issue_refund", args: { amount: 100 } }, turn(), { now });
    expect(r).toMatchObject({ allowed: false, violation: { code: "tool_not_allowed", severity: "block" } });
  });

  it("blocks a real tool that the category does not enable", () => {
    const r = checkToolCall(
      { name: "change_address", args: { line1: "1 A St", city: "X", postalCode: "1", country: "US" } },
      turn(),
      { now },
    );
    expect(r.violation?.code).toBe("tool_not_allowed");
  });

  it("always allows handing over to a human, even unverified and outside the category", () => {
    const ctx = turn({ allowedTools: [], customer: { verified: false, customerId: null, email: null } });
    expect(checkToolCall({ name: "escalate_to_human", args: { reason: "legal threat" } }, ctx, { now })).toEqual({
      allowed: true,
      requiresConfirmation: false,
    });
  });

  it("lets a verified customer read their own subscription without confirmation", () => {
    expect(checkToolCall({ name: "get_subscription", args: {} }, turn(), { now })).toEqual({
      allowed: true,
      requiresConfirmation: false,
    });
  });
});

describe("checkToolCall: verification and data isolation", () => {
  it.each([
    ["unverified", { verified: false, customerId: "cust_1", email: "john@example.com" }],
    ["no customer id", { verified: true, customerId: null, email: "john@example.com" }],
  ])("blocks account reads when %s", (_label, customer) => {
    const r = checkToolCall({ name: "get_subscription", args: {} }, turn({ customer }), { now });
    expect(r.violation?.code).toBe("unverified_account_access");
  });

  it("blocks writes for an unverified customer too", () => {
    const ctx = turn({ customer: { verified: false, customerId: null, email: null } });
    expect(checkToolCall({ name: "skip_next_box", args: {} }, ctx, { now }).violation?.code).toBe(
      "unverified_account_access",
    );
  });

  it("blocks a call that targets another customer's email", () => {
    const r = checkToolCall({ name: "get_subscription", args: { email: "maria.gonzalez@example.net" } }, turn(), {
      now,
    });
    expect(r.violation?.code).toBe("other_customer_data");
  });

  it("blocks a call that targets another customer id", () => {
    const r = checkToolCall({ name: "skip_next_box", args: { customerId: "cust_2" } }, turn(), { now });
    expect(r.violation?.code).toBe("other_customer_data");
  });

  it("accepts the customer's own email in any case", () => {
    expect(
      checkToolCall({ name: "get_subscription", args: { email: "John@Example.com" } }, turn(), { now }).allowed,
    ).toBe(true);
  });
});

describe("checkToolCall: writes are proposals", () => {
  it("turns a valid pause into a proposal that needs confirmation", () => {
    expect(checkToolCall({ name: "pause_subscription", args: { until: "2026-05-01" } }, turn(), { now })).toEqual({
      allowed: true,
      requiresConfirmation: true,
    });
  });

  it("executes a write only with a confirmed action id of the same tool", () => {
    const ctx = turn({ confirmedActionIds: ["skip_next_box:a1"] });
    expect(checkToolCall({ name: "skip_next_box", args: { actionId: "skip_next_box:a1" } }, ctx, { now })).toEqual({
      allowed: true,
      requiresConfirmation: false,
    });
  });

  it("blocks a forged confirmation id", () => {
    const r = checkToolCall({ name: "skip_next_box", args: { actionId: "skip_next_box:forged" } }, turn(), { now });
    expect(r.violation?.code).toBe("direct_write");
  });

  it("blocks replaying a confirmed skip as a cancellation", () => {
    const ctx = turn({ confirmedActionIds: ["skip_next_box:a1"] });
    expect(
      checkToolCall({ name: "cancel_subscription", args: { actionId: "skip_next_box:a1" } }, ctx, { now }).violation
        ?.code,
    ).toBe("direct_write");
  });

  it("blocks cancel_subscription called directly", () => {
    const r = checkToolCall({ name: "cancel_subscription", args: { reason: "asked" } }, turn(), { now });
    expect(r).toMatchObject({ allowed: false, violation: { code: "direct_write" } });
  });

  it("allows cancel_subscription as an explicit proposal", () => {
    expect(checkToolCall({ name: "cancel_subscription", args: { propose: true } }, turn(), { now })).toEqual({
      allowed: true,
      requiresConfirmation: true,
    });
  });

  it("executes a cancellation the customer confirmed", () => {
    const ctx = turn({ confirmedActionIds: ["cancel_subscription:c9"] });
    expect(
      checkToolCall({ name: "cancel_subscription", args: { actionId: "cancel_subscription:c9" } }, ctx, { now })
        .allowed,
    ).toBe(true);
  });

  it("offers the self-service link without confirmation", () => {
    expect(checkToolCall({ name: "cancellation_link", args: {} }, turn(), { now })).toEqual({
      allowed: true,
      requiresConfirmation: false,
    });
  });
});

describe("checkToolCall: argument validation", () => {
  const ctx = turn({
    allowedTools: ["pause_subscription", "change_frequency", "change_address", "create_damage_claim"],
  });
  it.each([
    ["pause in the past", "pause_subscription", { until: "2026-01-01" }],
    ["pause today", "pause_subscription", { until: "2026-03-10" }],
    ["pause too far", "pause_subscription", { until: "2027-03-10" }],
    ["pause not a date", "pause_subscription", { until: "next May" }],
    ["weekly frequency", "change_frequency", { frequency: "weekly" }],
    ["address without city", "change_address", { line1: "1 A St", postalCode: "1", country: "US" }],
    ["address with blank line1", "change_address", { line1: "  ", city: "X", postalCode: "1", country: "US" }],
    ["claim without order", "create_damage_claim", { description: "jar broken" }],
    ["claim without description", "create_damage_claim", { orderId: "48213" }],
    ["invented field", "change_frequency", { frequency: "monthly", override: true }],
    ["args not an object", "change_frequency", "monthly"],
  ])("blocks %s", (_label, name, args) => {
    expect(checkToolCall({ name, args }, ctx, { now }).violation?.code).toBe("invalid_tool_args");
  });

  it.each([
    ["pause next month", "pause_subscription", { until: "2026-04-15" }],
    ["quarterly", "change_frequency", { frequency: "quarterly" }],
    ["full address", "change_address", { line1: "1 A St", city: "X", postalCode: "1", country: "US" }],
    ["claim", "create_damage_claim", { orderId: "48213", description: "jar arrived broken" }],
  ])("accepts %s as a proposal", (_label, name, args) => {
    expect(checkToolCall({ name, args }, ctx, { now })).toEqual({ allowed: true, requiresConfirmation: true });
  });
});
