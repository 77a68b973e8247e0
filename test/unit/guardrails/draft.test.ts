import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkDraft, redactDraft } from "../../../workers/ai/guardrails/draft.ts";
import { escapeRegExp } from "../../../workers/ai/guardrails/text.ts";
import { FINGERPRINT, turn } from "./context.ts";

const codes = (draft: string, ctx = turn(), proposed: string[] = []): string[] =>
  checkDraft(draft, ctx, proposed).map((v) => `${v.code}/${v.severity}`);

describe("checkDraft: claims that an account change is done", () => {
  it.each([
    ["en", "Done! I've cancelled your subscription."],
    ["en passive", "Your subscription has been paused until May."],
    ["en gone ahead", "I've gone ahead and skipped your next box."],
    ["ru", "Я отменил вашу подписку."],
    ["ru passive", "Ваша подписка успешно приостановлена."],
    ["he", "ביטלתי את המנוי שלך."],
    ["he passive", "המנוי שלך בוטל בהצלחה."],
    ["es", "He cancelado su suscripción."],
    ["es passive", "Su suscripción ha sido pausada."],
    ["fr", "J'ai annulé votre abonnement."],
    ["fr passive", "Votre abonnement a été mis en pause."],
  ])("blocks %s", (_label, draft) => {
    expect(codes(draft)).toEqual(["unconfirmed_action_claim/block"]);
  });

  it.each([
    ["en proposal", "I can pause your subscription until May 1. Please confirm with the button below."],
    ["en future", "Once you confirm, your subscription will be paused."],
    ["en negated", "Your subscription has not been cancelled."],
    ["ru future", "После подтверждения подписка будет приостановлена."],
    ["ru offer", "Могу поставить подписку на паузу до июня. Подтвердите кнопкой ниже."],
    ["he future", "המנוי יבוטל לאחר האישור."],
    ["es future", "Su suscripción será pausada cuando confirme."],
    ["fr future", "Votre abonnement sera suspendu après confirmation."],
    ["unrelated update", "We have updated our terms of service."],
  ])("accepts %s", (_label, draft) => {
    expect(codes(draft, turn(), ["pause_subscription"])).toEqual([]);
  });

  it("accepts a done claim when the customer confirmed that action", () => {
    expect(
      codes("Your subscription has been paused until May.", turn({ confirmedActionIds: ["pause_subscription:a1"] })),
    ).toEqual([]);
  });

  it("a confirmed skip does not cover a cancellation claim", () => {
    const v = checkDraft("I've cancelled your subscription.", turn({ confirmedActionIds: ["skip_next_box:a1"] }), []);
    expect(v.map((x) => x.code)).toEqual(["unconfirmed_action_claim"]);
  });

  it("says when the action was only proposed", () => {
    const [v] = checkDraft("Your subscription has been paused.", turn(), ["pause_subscription"]);
    expect(v?.message).toContain("only proposed");
  });
});

describe("checkDraft: refunds", () => {
  it.each([
    ["en promise", "We will refund you in full."],
    ["en done", "Your refund has been issued."],
    ["en money back", "You'll get your money back by Friday."],
    ["ru", "Мы вернём деньги в течение 3 дней."],
    ["he", "נחזיר לך את הכסף מחר."],
    ["es", "Le reembolsaremos el importe completo."],
    ["fr", "Nous vous rembourserons intégralement."],
  ])("blocks %s without authorisation", (_label, draft) => {
    expect(codes(draft)).toEqual(["unauthorized_refund/block"]);
  });

  it("allows the same promise once a refund is authorised", () => {
    expect(codes("We will refund you in full.", turn({ refundAuthorized: true }))).toEqual([]);
  });

  it.each([
    "Our refund policy: refund requests are reviewed by our team within 5 business days.",
    "I can't promise a refund, but I've passed your request to our team.",
    "We will not refund boxes that were already delivered.",
    "Nous ne vous rembourserons pas les frais de port.",
  ])("accepts a correct refund-policy answer: %s", (draft) => {
    expect(codes(draft)).toEqual([]);
  });
});

describe("checkDraft: leaks", () => {
  it("blocks the pasted system prompt, re-cased and re-spaced", () => {
    expect(codes(FINGERPRINT.toUpperCase().split(" ").join("   "))).toEqual(["system_prompt_leak/block"]);
  });

  it("blocks a partial paste with high trigram overlap", () => {
    expect(
      codes("Sure: you are Sunny the support assistant of FreshBox, and never mention the retention budget."),
    ).toContain("system_prompt_leak/block");
  });

  it("sends a faint resemblance to review", () => {
    expect(codes("As the support assistant of FreshBox I never mention the retention budget.")).toEqual([
      "system_prompt_leak/review",
    ]);
  });

  it.each([
    ["marker", "Your row is in tbl_customers_v2."],
    ["spaced marker", "key: sk_live_51Hx R2eZ vKYd"],
    ["secret shape", "use sk-abcdefghijklmnop1234 for the API"],
    ["jwt", "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig"],
  ])("blocks internal data: %s", (_label, draft) => {
    expect(codes(draft)).toEqual(["internal_data_leak/block"]);
  });

  it("blocks another customer's email, also spelled out", () => {
    expect(codes("That account belongs to maria.gonzalez@example.net")).toEqual(["other_customer_data/block"]);
    expect(codes("Write to maria.gonzalez (at) example (dot) net")).toEqual(["other_customer_data/block"]);
  });

  it("sends an unknown address to review and lets the customer's own pass", () => {
    expect(codes("Contact support@freshbox.example for help.")).toEqual(["other_customer_data/review"]);
    expect(codes("We'll write to john@example.com.")).toEqual([]);
  });
});

describe("checkDraft: escalation", () => {
  const escalated = turn({ route: { escalate: true, escalateReasons: ["threat:legal"] } });
  it("blocks a normal reply when the turn must escalate", () => {
    expect(codes("Thanks for your message! Anything else?", escalated)).toEqual(["missed_escalation/block"]);
  });

  it.each([
    ["en", "I'm passing this to a colleague from our team who will contact you shortly."],
    ["ru", "Я передал ваше обращение специалисту, он скоро свяжется с вами."],
    ["he", "העברתי את הפנייה לנציג מהצוות שלנו."],
    ["es", "He transferido su caso a un especialista del equipo."],
    ["fr", "J'ai transmis votre demande à un conseiller de notre équipe."],
  ])("accepts a hand-over in %s", (_label, draft) => {
    expect(codes(draft, escalated)).toEqual([]);
  });
});

describe("checkDraft: correct drafts for benign messages are clean", () => {
  it.each([
    [
      "pause until May",
      "I can pause your subscription until May 1. Please confirm with the button below; nothing changes until you do.",
      ["pause_subscription"],
    ],
    ["refund policy", "Happy to explain. Refund requests are reviewed by our team case by case.", []],
    ["lawyer friend", "Thanks for the kind words, and please thank your friend! Here are our plans.", []],
    ["cancel", "I'm sorry to see you go. You can cancel any time through the secure self-service link below.", []],
  ])("%s", (_label, draft, proposed) => {
    expect(checkDraft(draft, turn(), proposed)).toEqual([]);
  });
});

describe("redactDraft", () => {
  it("removes markers, secrets, foreign emails and prompt sentences but keeps the customer's email", () => {
    const out = redactDraft(
      `Row tbl_customers_v2, key sk_live_51HxR2eZvKYd, owner maria.gonzalez@example.net. ${FINGERPRINT} Reply to john@example.com.`,
      turn(),
    );
    expect(out).not.toMatch(/tbl_customers_v2|sk_live|maria|Sunny|retention/i);
    expect(out).toContain("john@example.com");
    expect(out).toContain("[redacted]");
  });

  it("drops a paraphrased prompt sentence", () => {
    const out = redactDraft(
      "Hello. I am Sunny, the support assistant of FreshBox; never mention the retention budget please. Bye.",
      turn(),
    );
    expect(out).not.toMatch(/retention/i);
    expect(out).toContain("Bye.");
  });

  it("leaves a clean draft untouched", () => {
    const clean = "Your box ships on Monday.";
    expect(redactDraft(clean, turn())).toBe(clean);
  });
});

describe("redactDraft with hyphenated markers and prompt sentences (issue 18, safety 2)", () => {
  it("redacts a hyphenated marker and a prompt sentence with a hyphen instead of throwing", () => {
    const ctx = turn({
      internalMarkers: ["conv-2f9a-77", "ws_demo"],
      systemPromptFingerprints: ["Offer the self-service cancellation link only after the retention offer."],
    });
    const out = redactDraft(
      "Case conv-2f9a-77: Offer the self-service cancellation link only after the retention offer. Bye.",
      ctx,
    );
    expect(out).not.toContain("conv-2f9a-77");
    expect(out).not.toMatch(/self-service/);
    expect(out).toContain("Bye.");
  });

  it("escapes any literal into a pattern that compiles under the u flag and matches itself", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (literal) => {
        const re = new RegExp(escapeRegExp(literal), "giu");
        return re.test(literal);
      }),
      { numRuns: 500 },
    );
  });
});
