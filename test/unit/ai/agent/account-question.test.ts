/** "About my account" questions (issue 18, answers 3): recognised in five languages, answered from the store by state. */
import { describe, expect, it } from "vitest";
import { accountFields, answerAccountQuestion } from "../../../../workers/ai/agent/account-question.ts";
import { dayName, money } from "../../../../workers/ai/agent/templates.ts";
import type { AccountSnapshot, SubscriptionView } from "../../../../workers/commerce/types.ts";

function account(sub: Partial<SubscriptionView> | null): AccountSnapshot {
  return {
    customerRef: "c1",
    name: "Dana Levi",
    email: "dana@example.com",
    address: { line1: "1 Elm St", city: "Boston", postalCode: "02110", country: "US" },
    subscription: sub
      ? {
          plan: "Deluxe Box",
          status: "active",
          frequency: "monthly",
          priceCents: 7900,
          currency: "USD",
          nextBoxDate: "2026-12-10",
          pausedUntil: null,
          skippedMonths: [],
          ...sub,
        }
      : null,
    orders: [],
    latestShipment: null,
    latestPayment: {
      status: "failed",
      amountCents: 7900,
      currency: "USD",
      failureReason: "card_declined",
      at: "2026-11-05T08:00:00Z",
    },
  };
}

describe("accountFields", () => {
  it.each([
    ["When is my next box coming?", ["nextBox"]],
    ["Когда придёт следующая коробка?", ["nextBox"]],
    ["מתי הקופסה הבאה?", ["nextBox"]],
    ["¿Cuándo llega mi próxima caja?", ["nextBox"]],
    ["Quand arrive ma prochaine box ?", ["nextBox"]],
    ["What plan am I on?", ["plan"]],
    ["How much do I pay?", ["price"]],
    ["Until when is my subscription paused?", ["pausedUntil"]],
    ["How much was my last payment?", ["lastPayment"]],
  ])("%s → %j", (text, fields) => {
    expect(accountFields(text)).toEqual(expect.arrayContaining(fields));
  });

  it("leaves requests and policy questions alone", () => {
    expect(accountFields("Please pause my subscription until March")).toEqual([]);
    expect(accountFields("Can I pay with Apple Pay?")).toEqual([]);
    expect(accountFields("How long does shipping to Canada take?")).toEqual([]);
  });
});

describe("answerAccountQuestion", () => {
  it("answers the next box date and the plan of an active subscription from the store", () => {
    const text = answerAccountQuestion(["nextBox", "plan"], account({}), "en");
    expect(text).toContain("Deluxe Box");
    expect(text).toContain(money("en", 7900, "USD"));
    expect(text).toContain(dayName("en", "2026-12-10"));
  });

  it("says until when a paused subscription waits and when the next box ships", () => {
    const text = answerAccountQuestion(
      ["nextBox"],
      account({ status: "paused", pausedUntil: "2027-01-31", nextBoxDate: "2027-02-10" }),
      "ru",
    );
    expect(text).toContain(dayName("ru", "2027-01-31"));
    expect(text).toContain(dayName("ru", "2027-02-10"));
  });

  it("tells a cancelled customer how to come back and gives no next box date", () => {
    const text = answerAccountQuestion(["nextBox"], account({ status: "cancelled", nextBoxDate: null }), "en");
    expect(text).toMatch(/cancelled/i);
    expect(text).toMatch(/Reactivate/);
  });

  it("says a failed last payment failed", () => {
    const text = answerAccountQuestion(["lastPayment"], account({}), "en");
    expect(text).toMatch(/didn't go through/);
    expect(text).toContain(money("en", 7900, "USD"));
  });

  it("says so when there is no subscription", () => {
    expect(answerAccountQuestion(["plan"], account(null), "en")).toMatch(/can't find a subscription/);
  });
});
