/** Negated intents (issue 18, answers 4): a refused action is not the request. */
import { describe, expect, it } from "vitest";
import { negatedCategories } from "../../../../workers/ai/router/negation.ts";
import { routeMessage } from "../../../../workers/ai/router/index.ts";

describe("negatedCategories", () => {
  it.each([
    ["I don't want to cancel, I just want to pause for a month", ["cancel_subscription"]],
    ["Я не хочу отменять подписку, хочу пропустить месяц", ["cancel_subscription"]],
    ["אני לא רוצה לבטל, רק לדלג על החודש", ["cancel_subscription"]],
    ["No quiero cancelar, solo pausar", ["cancel_subscription"]],
    ["Je ne veux pas résilier, juste sauter un mois", ["cancel_subscription"]],
  ])("%s", (text, refused) => {
    expect(negatedCategories(text)).toEqual(refused);
  });

  it("keeps a question about the action itself", () => {
    expect(negatedCategories("Why can't I cancel my subscription?")).toEqual([]);
  });
});

describe("routeMessage with a negation", () => {
  it("routes a 'not cancelling' message to what the customer does want", () => {
    const r = routeMessage("I don't want to cancel my subscription, I want to pause it until March");
    expect(r.primary).not.toBe("cancel_subscription");
    expect(r.secondary).not.toContain("cancel_subscription");
  });
});
