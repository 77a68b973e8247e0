import { describe, expect, it } from "vitest";
import { checkTone, customerSentiment, isShouting } from "../../../workers/ai/guardrails/tone.ts";

describe("checkTone", () => {
  it("passes a friendly draft", () => {
    const r = checkTone("Happy to help! Your box ships on Monday.");
    expect(r.ok).toBe(true);
    expect(r.issues).toEqual([]);
    expect(r.sentiment).toBeGreaterThan(0);
  });

  it.each([
    ["empty", "   ", "empty"],
    ["rude en", "Don't be stupid, read the email.", "rude"],
    ["rude ru", "Это бред, читайте условия.", "rude"],
    ["rude he", "אל תהיה טיפש", "rude"],
    ["rude es", "No sea idiota.", "rude"],
    ["rude fr", "C'est n'importe quoi.", "rude"],
    ["shouting", "YOU NEED TO READ THE EMAIL WE SENT", "shouting"],
    ["blaming en", "It's your fault, you should have read the FAQ.", "blaming"],
    ["blaming ru", "Вы сами виноваты, надо было читать.", "blaming"],
    ["blaming he", "זו אשמתך.", "blaming"],
    ["blaming es", "Es su culpa, debería haber leído.", "blaming"],
    ["blaming fr", "C'est de votre faute.", "blaming"],
    ["too long", "Thanks. ".repeat(200), "too_long"],
    ["punctuation", "Really???", "excessive_punctuation"],
  ])("flags %s", (_label, text, issue) => {
    const r = checkTone(text);
    expect(r.ok).toBe(false);
    expect(r.issues).toContain(issue);
  });

  it("does not call acronyms shouting", () => {
    expect(isShouting("Your UPS tracking for the USA order is ready")).toBe(false);
  });

  it("does not see insults inside innocent words", () => {
    expect(checkTone("That idiom is common in our recipes.").issues).not.toContain("rude");
  });
});

describe("customerSentiment", () => {
  it.each([
    ["en", "This is terrible, worst service ever", "negative"],
    ["ru", "Это ужасно, я очень зол", "negative"],
    ["he", "השירות גרוע, אני מאוכזב", "negative"],
    ["es", "Es pésimo, estoy enojado", "negative"],
    ["fr", "C'est nul, je suis déçu", "negative"],
    ["en", "Thank you so much, I love the box", "positive"],
    ["ru", "Спасибо, всё отлично", "positive"],
    ["he", "תודה רבה, מעולה", "positive"],
    ["es", "Gracias, es excelente", "positive"],
    ["fr", "Merci, c'est parfait", "positive"],
    ["en", "When does the next box ship?", "neutral"],
  ])("%s: %s → %s", (_lang, text, label) => {
    const s = customerSentiment(text);
    expect(s.label).toBe(label);
    expect(s.score).toBeGreaterThanOrEqual(-1);
    expect(s.score).toBeLessThanOrEqual(1);
  });

  it.each([
    ["en", "not good at all"],
    ["ru", "совсем не хорошо"],
    ["es", "no estoy contento"],
  ])("negation flips polarity (%s)", (_lang, text) => {
    expect(customerSentiment(text).score).toBeLessThan(0);
  });

  it("shouting makes a negative message more negative", () => {
    expect(customerSentiment("THIS IS A BAD AND LATE BOX!!!").score).toBeLessThan(
      customerSentiment("this is a bad and late box").score,
    );
  });
});
