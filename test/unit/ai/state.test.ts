import { describe, expect, it } from "vitest";
import { isPersonalRequest, needsAccount } from "../../../workers/ai/state.ts";

describe("needsAccount", () => {
  it("answers policy questions about shipping and payment without identification", () => {
    for (const q of [
      "How long does shipping to Canada take?",
      "Do you ship to Australia?",
      "Which cards do you accept?",
      "Сколько идёт доставка в Германию?",
      "¿Cuánto tarda el envío a España?",
    ]) {
      expect(isPersonalRequest(q), q).toBe(false);
      expect(needsAccount("shipping_inquiry", q), q).toBe(false);
    }
  });
  it("requires the account for the customer's own box, order or charge", () => {
    for (const q of [
      "Where is my box?",
      "Order LH-10482 hasn't arrived",
      "I was charged twice",
      "Где мой заказ?",
      "איפה החבילה שלי?",
      "¿Dónde está mi pedido?",
      "Où est ma commande ?",
    ]) {
      expect(isPersonalRequest(q), q).toBe(true);
      expect(needsAccount("shipping_inquiry", q), q).toBe(true);
    }
  });
  it("always requires the account for changes", () => {
    expect(needsAccount("skip_month", "Can someone skip next month?")).toBe(true);
    expect(needsAccount("cancel_subscription", "")).toBe(true);
    expect(needsAccount("general_question", "my box")).toBe(false);
  });
});

describe("gateConfidence", () => {
  it("raises confidence only for answers grounded in a passage", async () => {
    const { gateConfidence } = await import("../../../workers/ai/confidence.ts");
    expect(gateConfidence(0.74, undefined)).toBe(0.74);
    expect(gateConfidence(0.74, 0.5)).toBeCloseTo(0.8);
    expect(gateConfidence(0.95, 0.5)).toBe(0.95);
    expect(gateConfidence(0.3, 1)).toBe(1);
  });
});
