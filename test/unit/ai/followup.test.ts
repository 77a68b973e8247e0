/** Short follow-ups keep the previous topic (issue 18, answers 4). */
import { describe, expect, it } from "vitest";
import { isFollowUp, previousCustomerText } from "../../../workers/ai/followup.ts";

describe("isFollowUp", () => {
  it.each([
    "What about Germany?",
    "and the one after that?",
    "¿Y a Alemania?",
    "Et pour l'Australie ?",
    "а в Канаду?",
    "ומה לגבי קנדה?",
    "Canada?",
  ])("%s is a follow-up", (text) => {
    expect(isFollowUp(text)).toBe(true);
  });

  it.each([
    "I want to change my delivery address to a new apartment in Boston",
    "How long does shipping to Canada take for the Deluxe box?",
    "",
  ])("%j is not", (text) => {
    expect(isFollowUp(text)).toBe(false);
  });
});

describe("previousCustomerText", () => {
  it("finds the customer's last message, skipping the bot's", () => {
    expect(
      previousCustomerText([
        { role: "customer", text: "How long to the US?" },
        { role: "bot", text: "10–18 business days." },
      ]),
    ).toBe("How long to the US?");
    expect(previousCustomerText([{ role: "bot", text: "Hi" }])).toBeNull();
  });
});
