/** Which retrieval a turn starts alongside its first reads (issue 17): only the one it most likely uses. */
import { describe, expect, it } from "vitest";
import { isQuestion, likelyRetrieval, type PrefetchInput } from "../../../workers/ai/knowledge-prefetch.ts";

const fresh: PrefetchInput["state"] = {};
const identified: PrefetchInput["state"] = { verified: true, customerRef: "cus_1" };

function guess(text: string, primary: PrefetchInput["route"]["primary"], over: Partial<PrefetchInput> = {}) {
  return likelyRetrieval({ state: fresh, route: { primary, email: null }, text, history: [], ...over });
}

describe("likelyRetrieval", () => {
  it("starts the classifier's category for a policy question", () => {
    expect(guess("How much does shipping to Canada cost?", "shipping_inquiry")).toBe("shipping_inquiry");
    expect(guess("What payment methods do you accept?", "payment_issue")).toBe("payment_issue");
  });

  it("declines while identification is under way or the message carries an email", () => {
    expect(guess("john@example.com", "other", { state: { awaitingEmail: true } })).toBeNull();
    expect(guess("123456", "other", { state: { awaitingCode: true } })).toBeNull();
    expect(
      guess("It is john@example.com", "other", { route: { primary: "other", email: "john@example.com" } }),
    ).toBeNull();
  });

  it("declines when we asked a question the message likely answers", () => {
    expect(guess("two months", "pause_subscription", { state: { ask: "pause" } })).toBeNull();
  });

  it("declines a likely follow-up, whose query gains the previous question", () => {
    const history = [{ role: "customer", text: "How much does shipping to Canada cost?" }];
    expect(guess("What about Germany?", "shipping_inquiry", { history })).toBeNull();
    // Without an earlier question the same words are a question of their own.
    expect(guess("What about Germany?", "shipping_inquiry")).toBe("shipping_inquiry");
  });

  it("declines an account request from a customer not yet identified (only the email request follows)", () => {
    expect(guess("Pause my subscription for two months", "pause_subscription")).toBeNull();
    // A question about it gets the policy next to the email request.
    expect(guess("How can I pause my subscription?", "pause_subscription")).toBe("pause_subscription");
    // An identified customer's request is answered by the agent, which retrieves.
    expect(guess("Pause my subscription for two months", "pause_subscription", { state: identified })).toBe(
      "pause_subscription",
    );
  });

  it("follows the engine's rule that an 'other' message about account fields is a general question", () => {
    expect(guess("What plan am I on?", "other", { state: identified })).toBe("general_question");
  });
});

describe("isQuestion", () => {
  it.each([
    "How do I skip a month?",
    "¿Cuándo llega mi caja?",
    "Когда придёт коробка",
    "מתי תגיע החבילה",
    "Do you ship to Germany",
  ])("%s is a question", (text) => expect(isQuestion(text)).toBe(true));
  it.each(["Pause my subscription", "Please skip next month"])("%s is a request", (text) =>
    expect(isQuestion(text)).toBe(false),
  );
});
