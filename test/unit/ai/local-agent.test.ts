/** The local agent's planning and answers, the templates, the parsers and the identification state machine. */
import { describe, expect, it } from "vitest";
import { composeIntent, planReads, type IntentContext } from "../../../workers/ai/agent/local-agent.ts";
import { parseAddress, parseFrequency, parsePauseUntil } from "../../../workers/ai/agent/parse.ts";
import { monthName, t } from "../../../workers/ai/agent/templates.ts";
import { identifyStep, isIdentificationReply } from "../../../workers/ai/identify/flow.ts";
import { extractOtp, generateOtp, hashOtp, maskEmail, otpMatches } from "../../../workers/ai/identify/otp.ts";
import { compactTraces } from "../../../workers/ai/engine-traces.ts";
import { checkDraft } from "../../../workers/ai/guardrails/draft.ts";
import type { AccountSnapshot } from "../../../workers/commerce/types.ts";

const now = new Date("2026-11-10T12:00:00Z");
const account: AccountSnapshot = {
  customerRef: "cus_001",
  name: "John Smith",
  email: "john.smith@example.com",
  address: { line1: "1 Main St", city: "New York", postalCode: "10001", country: "US" },
  subscription: {
    plan: "Deluxe Box",
    status: "active",
    frequency: "monthly",
    priceCents: 7900,
    currency: "USD",
    nextBoxDate: "2026-12-15",
    pausedUntil: null,
    skippedMonths: [],
  },
  latestShipment: {
    orderNumber: "LH-10482",
    boxMonth: "2026-11",
    carrier: "DHL Express",
    trackingNumber: "JD014600006",
    trackingUrl: "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD014600006",
    status: "in_transit",
    lastEvent: { at: "2026-11-07T00:00:00Z", status: "Arrived at destination hub", location: "New York, US" },
    estimatedDelivery: "2026-11-12",
  },
  orders: [
    { orderNumber: "LH-10482", boxMonth: "2026-11", status: "shipped", items: [] },
    { orderNumber: "LH-10481", boxMonth: "2026-10", status: "delivered", items: [] },
  ],
  latestPayment: {
    status: "failed",
    amountCents: 7900,
    currency: "USD",
    failureReason: "expired_card",
    at: "2026-11-05T00:00:00Z",
  },
};
const ctx = (over: Partial<IntentContext>): IntentContext => ({
  intent: "general_question",
  secondary: false,
  text: "",
  lang: "en",
  account,
  passages: [],
  retentionOffered: false,
  retentionOffer: null,
  attachmentKeys: [],
  publicUrl: "http://localhost:8787",
  now,
  ...over,
});
const passage = {
  chunkId: "c1",
  documentId: "d1",
  documentTitle: "Plans and billing",
  heading: ["Plans and billing", "Gift subscriptions"],
  text: "Gift subscriptions of 3, 6 or 12 boxes are paid once upfront and never renew automatically.",
  score: 0.03,
  citation: "Plans and billing › Gift subscriptions",
};

describe("local agent", () => {
  it("answers a shipping question with the real carrier, status, last scan and tracking link", () => {
    expect(planReads(ctx({ intent: "shipping_inquiry" }))).toEqual([{ name: "track_shipment", args: {} }]);
    const out = composeIntent(ctx({ intent: "shipping_inquiry" }), { shipment: account.latestShipment });
    const text = out.texts.join(" ");
    expect(text).toContain("DHL Express");
    expect(text).toContain("in transit");
    expect(text).toContain("Arrived at destination hub");
    expect(text).toContain("https://www.dhl.com/global-en/home/tracking.html?tracking-id=JD014600006");
    expect(out.handoff).toBeNull();
  });

  it("hands a stalled parcel to a human after giving its details", () => {
    const out = composeIntent(ctx({ intent: "shipping_inquiry", now: new Date("2026-11-30T00:00:00Z") }), {
      shipment: account.latestShipment,
    });
    expect(out.texts.join(" ")).toContain("JD014600006");
    expect(out.handoff).toMatch(/Carrier investigation/);
  });

  it("cites the best-matching FAQ passage, and hands over instead of guessing", () => {
    const yes = composeIntent(ctx({ text: "Do gift subscriptions renew?", passages: [passage] }), {});
    expect(yes.texts[0]).toContain("never renew automatically");
    expect(yes.texts[0]).toContain("Source: Plans and billing › Gift subscriptions");
    expect(yes.citations).toEqual([{ documentId: "d1", title: "Plans and billing", section: "Gift subscriptions" }]);
    const no = composeIntent(ctx({ text: "Can I bring my parrot to your warehouse?", passages: [passage] }), {});
    expect(no.handoff).not.toBeNull();
    expect(no.texts[0]).toMatch(/colleague/);
  });

  it("makes the retention offer once, then gives the cancellation link", () => {
    const offer = "Offer 20% off the next three boxes, or a pause of up to three months instead of cancelling.";
    const first = composeIntent(
      ctx({ intent: "cancel_subscription", text: "cancel please", retentionOffer: offer }),
      {},
    );
    expect(first.texts[0]).toContain("We can offer you 20% off your next three boxes");
    expect(first.retentionOffered).toBe(true);
    expect(planReads(ctx({ intent: "cancel_subscription", text: "cancel please", retentionOffer: offer }))).toEqual([]);
    const second = ctx({
      intent: "cancel_subscription",
      text: "No, just cancel",
      retentionOffer: offer,
      retentionOffered: true,
    });
    expect(planReads(second)).toEqual([{ name: "cancellation_link", args: {} }]);
    const link = composeIntent(second, { cancelLink: "https://shop.test/cancel?s=1" });
    expect(link.texts[0]).toContain("https://shop.test/cancel?s=1");
    expect(link.proposal).toBeNull();
  });

  it("explains a failed payment with its reason and a payment-update link", () => {
    const out = composeIntent(ctx({ intent: "payment_issue", text: "my payment failed" }), {
      paymentLink: "https://shop.test/pay?s=2",
    });
    expect(out.texts[0]).toContain("the card on file has expired");
    expect(out.texts[0]).toContain("https://shop.test/pay?s=2");
    expect(out.texts[0]).toContain("$79.00");
  });

  it("proposes the claim for the latest delivered box and the skip as a secondary intent", () => {
    const claim = composeIntent(
      ctx({ intent: "damaged_item", text: "The bowl arrived broken", attachmentKeys: ["ws/conv/p1.jpg"] }),
      {},
    );
    expect(claim.proposal?.tool).toBe("create_damage_claim");
    expect(claim.proposal?.args).toEqual({
      orderId: "LH-10481",
      description: "The bowl arrived broken",
      photoUrls: ["http://localhost:8787/attachments/ws%2Fconv%2Fp1.jpg"],
    });
    const skip = composeIntent(ctx({ intent: "skip_month", secondary: true }), {});
    expect(skip.proposal?.extras).toEqual({ month: "2026-12" });
    expect(skip.proposal?.text).toMatch(
      /^I also see you'd like to skip a month\. Shall I skip your December 2026 box\?/,
    );
  });

  it("makes no damage claim on the delivered box when the same message is about a box that has not arrived", () => {
    for (const text of [
      "Hi, my box hasn't arrived yet",
      "Моя посылка опаздывает",
      "יש עיכוב במשלוח",
      "Mon colis est en retard",
    ]) {
      const out = composeIntent(ctx({ intent: "damaged_item", secondary: true, text }), {});
      expect(out.proposal, text).toBeNull();
      expect(out.texts, text).toEqual([]);
    }
    // A late box that also arrived damaged, or a primary damage report, still gets its claim.
    const late = composeIntent(
      ctx({ intent: "damaged_item", secondary: true, text: "It was delayed and arrived broken" }),
      {},
    );
    expect(late.proposal?.tool).toBe("create_damage_claim");
    const primary = composeIntent(ctx({ intent: "damaged_item", text: "My box hasn't arrived yet" }), {});
    expect(primary.proposal?.tool).toBe("create_damage_claim");
  });

  it("never drafts a proposal as if it were done", () => {
    const intents = ["damaged_item", "skip_month", "pause_subscription", "change_frequency", "change_address"] as const;
    const texts = intents.flatMap((intent) => {
      const out = composeIntent(
        ctx({ intent, text: "until March, quarterly, 12 Elm Street, Boston, MA 02110, US" }),
        {},
      );
      return out.proposal ? [out.proposal.text] : out.texts;
    });
    const guard = {
      category: "other" as const,
      allowedTools: [],
      customer: { verified: true, customerId: "cus_001", email: account.email },
      confirmedActionIds: [],
      route: { escalate: false, escalateReasons: [] },
      systemPromptFingerprints: [],
      internalMarkers: ["cus_001"],
      refundAuthorized: false,
    };
    expect(texts.length).toBe(5);
    for (const text of texts) expect(checkDraft(text, guard, [])).toEqual([]);
  });

  it("asks instead of guessing when a detail is missing", () => {
    expect(composeIntent(ctx({ intent: "change_frequency", text: "change how often" }), {}).ask).toBe("frequency");
    expect(composeIntent(ctx({ intent: "pause_subscription", text: "pause it" }), {}).texts[0]).toMatch(
      /skipping just one month/i,
    );
    expect(composeIntent(ctx({ intent: "change_address", text: "I moved" }), {}).ask).toBe("address");
  });
});

describe("templates and parsers", () => {
  it("has every phrase in five languages", () => {
    for (const lang of ["en", "ru", "he", "es", "fr"]) expect(t(lang, "askEmail").length).toBeGreaterThan(20);
    expect(t("ru", "askEmail")).toMatch(/email/);
    expect(t("de", "askEmail")).toBe(t("en", "askEmail"));
    expect(monthName("fr", "2026-12")).toBe("décembre 2026");
  });

  it("parses pause dates, frequencies and addresses", () => {
    expect(parsePauseUntil("until March", now)).toBe("2027-03-01");
    expect(parsePauseUntil("for 2 months", now)).toBe("2027-01-10");
    expect(parsePauseUntil("на два месяца", now)).toBe("2027-01-10");
    expect(parseFrequency("every two months please")).toBe("bimonthly");
    expect(parseFrequency("раз в квартал")).toBe("quarterly");
    expect(parseAddress("My new address is 12 Elm Street, Boston, MA 02110, US")).toEqual({
      line1: "12 Elm Street",
      city: "Boston",
      region: "MA",
      postalCode: "02110",
      country: "US",
    });
    expect(parseAddress("12 Rue de Rivoli, 75001 Paris, France")).toEqual({
      line1: "12 Rue de Rivoli",
      city: "Paris",
      postalCode: "75001",
      country: "FR",
    });
    expect(parseAddress("somewhere nice")).toBeNull();
  });
});

describe("identification", () => {
  const fresh = { verified: false, email: null, awaitingEmail: false, awaitingCode: false };
  it("asks for the email, sends a code, checks it", () => {
    expect(identifyStep(fresh, "skip my box", null, true)).toEqual({ kind: "ask_email" });
    expect(identifyStep(fresh, "what is in the box?", null, false)).toEqual({ kind: "none" });
    expect(
      identifyStep({ ...fresh, awaitingEmail: true }, "John.Smith@Example.com", "John.Smith@Example.com", false),
    ).toEqual({ kind: "send_code", email: "john.smith@example.com" });
    expect(identifyStep({ ...fresh, awaitingEmail: true }, "john at gmail@", null, true)).toEqual({
      kind: "invalid_email",
    });
    expect(identifyStep({ ...fresh, awaitingCode: true }, "it's 482 913", null, true)).toEqual({
      kind: "check_code",
      code: "482913",
    });
    expect(identifyStep({ ...fresh, awaitingCode: true }, "hm?", null, true)).toEqual({ kind: "remind_code" });
    expect(identifyStep({ ...fresh, verified: true }, "skip", null, true)).toEqual({ kind: "none" });
  });

  it("tells identification answers from new requests", () => {
    expect(
      isIdentificationReply({ ...fresh, awaitingEmail: true }, "john.smith@example.com", "john.smith@example.com"),
    ).toBe(true);
    expect(isIdentificationReply({ ...fresh, awaitingCode: true }, "123456", null)).toBe(true);
    expect(isIdentificationReply(fresh, "123456", null)).toBe(false);
  });

  it("generates unbiased 6-digit codes and stores only a keyed hash", async () => {
    expect(generateOtp(() => new Uint8Array([0, 0, 0, 7]))).toBe("000007");
    let calls = 0;
    expect(generateOtp((b) => (calls++ === 0 ? b.fill(255) : b.fill(1)))).toBe(
      String(0x01010101 % 1_000_000).padStart(6, "0"),
    );
    const h = await hashOtp("123456", "conv_1", "A@B.com", "pepper");
    expect(h).not.toContain("123456");
    expect(await otpMatches("123456", h, "conv_1", "a@b.com", "pepper")).toBe(true);
    expect(await otpMatches("123456", h, "conv_2", "a@b.com", "pepper")).toBe(false);
    expect(extractOtp("code: 12345")).toBeNull();
    expect(maskEmail("john.smith@example.com")).toBe("j***@example.com");
  });
});

describe("traces", () => {
  it("merges same-step traces so a turn fits one D1 insert", () => {
    const tr = (step: "tool" | "route" | "gate") => ({
      step,
      provider: null,
      model: null,
      latencyMs: 1,
      inputTokens: 2,
      outputTokens: 3,
      costUsd: 0.5,
      detail: { n: 1 },
    });
    const out = compactTraces([tr("route"), ...Array.from({ length: 9 }, () => tr("tool")), tr("gate")]);
    expect(out.map((t) => t.step)).toEqual(["route", "tool", "gate"]);
    expect(out[1]?.inputTokens).toBe(18);
    expect(out[1]?.costUsd).toBe(4.5);
  });
});
