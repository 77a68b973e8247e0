/**
 * The ten categories of seed 000 with their rules, tools and models (seed 000 §3,
 * "dynamic model choice per category"). These are the layer-2 instructions of the
 * support agent; admins edit them at runtime and every edit is versioned.
 */
import type { CategoryKey } from "../../lib/categories.ts";

export interface CategorySeed {
  key: CategoryKey;
  name: string;
  instructions: string;
  allowedTools: string[];
  model: string;
  reasoningLevel: "minimal" | "low" | "medium" | "high";
  autoSend: "always" | "confident" | "never";
  retentionOffer: string | null;
}

export const DEMO_CATEGORIES: CategorySeed[] = [
  {
    key: "general_question",
    name: "General question",
    model: "fast",
    reasoningLevel: "minimal",
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["escalate_to_human"],
    instructions:
      "Answer from the knowledge base only and cite the passage you used. If the knowledge base has no answer, say so and offer a human colleague. Never invent product facts, prices or dates.",
  },
  {
    key: "shipping_inquiry",
    name: "Shipping inquiry",
    model: "fast",
    reasoningLevel: "low",
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["get_subscription", "track_shipment", "escalate_to_human"],
    instructions:
      "Identify the customer first. Look up the latest shipment and give the real carrier, status, last scan location and tracking link. If a parcel has shown no movement for more than 10 days or is marked as an exception, apologise and hand over to a human to open a carrier investigation.",
  },
  {
    key: "change_address",
    name: "Change address",
    model: "fast",
    reasoningLevel: "low",
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["get_subscription", "change_address", "escalate_to_human"],
    instructions:
      "Identify the customer. Collect the full new address (street, city, postal code, country). Boxes already shipped cannot be redirected: say so. Propose the change and apply it only after the customer confirms with the button.",
  },
  {
    key: "change_frequency",
    name: "Change frequency",
    model: "fast",
    reasoningLevel: "low",
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["get_subscription", "change_frequency", "escalate_to_human"],
    instructions:
      "Identify the customer. Available frequencies: monthly, every two months (bimonthly), quarterly. Explain when the next box will ship under the new frequency. Apply only after confirmation.",
  },
  {
    key: "skip_month",
    name: "Skip a month",
    model: "fast",
    reasoningLevel: "low",
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["get_subscription", "skip_next_box", "escalate_to_human"],
    instructions:
      "Identify the customer. Skipping moves the next box by one period and the customer is not charged for the skipped box. Name the month being skipped and the new next box date. Apply only after confirmation.",
  },
  {
    key: "damaged_item",
    name: "Damaged item",
    model: "fast",
    reasoningLevel: "low",
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["get_subscription", "create_damage_claim", "escalate_to_human"],
    instructions:
      "Apologise sincerely. Identify the customer and the box. Ask for a short description and a photo of the damage. Propose a damage claim for the latest delivered box; after confirmation a replacement item ships with the next box. Do not promise refunds: refunds are decided by the team.",
  },
  {
    key: "payment_issue",
    name: "Payment issue",
    model: "balanced",
    reasoningLevel: "medium",
    // Replies are the reason on file and a secure link; refunds and double charges go to a
    // human by rule and refund promises are blocked in code, so a confident reply may go out.
    autoSend: "confident",
    retentionOffer: null,
    allowedTools: ["get_subscription", "payment_update_link", "escalate_to_human"],
    instructions:
      "Identify the customer. For a failed charge, explain the reason on file and send the secure payment-update link; never ask for card numbers in chat. Double charges and refund requests go to a human with a summary. Bank disputes and chargebacks escalate at once.",
  },
  {
    key: "pause_subscription",
    name: "Pause subscription",
    model: "fast",
    reasoningLevel: "low",
    autoSend: "confident",
    retentionOffer: "Before pausing, mention that skipping a single month is also possible.",
    allowedTools: ["get_subscription", "pause_subscription", "skip_next_box", "escalate_to_human"],
    instructions:
      "Identify the customer. Ask until when they want to pause (1 to 3 months). Offer skipping one month as an alternative. Never say the subscription is paused until the customer has confirmed and the pause is executed.",
  },
  {
    key: "cancel_subscription",
    name: "Cancel subscription",
    model: "deep",
    reasoningLevel: "high",
    // The agent only offers, links to self-service or proposes for the customer's confirmation;
    // "done" claims are blocked in code. Holding every reply made cancel conversations silent.
    autoSend: "confident",
    retentionOffer: "Offer 20% off the next three boxes, or a pause of up to three months instead of cancelling.",
    allowedTools: ["get_subscription", "cancellation_link", "pause_subscription", "escalate_to_human"],
    instructions:
      "Be warm. Ask what made them want to cancel. Present the retention offer once. If they still want to cancel, send the self-service cancellation link or propose the cancellation for confirmation. Never state that the subscription is cancelled before it is confirmed and executed.",
  },
  {
    key: "other",
    name: "Other",
    model: "balanced",
    reasoningLevel: "medium",
    autoSend: "never",
    retentionOffer: null,
    allowedTools: ["escalate_to_human"],
    instructions:
      "If the request is outside the topics above, do not guess: summarise it and hand it to a human colleague, telling the customer when they can expect an answer.",
  },
];

/**
 * The demo retention offers in the five languages, keyed by the English text stored on the
 * category: the customer reads the offer in their language instead of the admin's
 * instruction. An offer an admin rewrote has no entry and is used as written.
 */
export const RETENTION_OFFER_I18N: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "Offer 20% off the next three boxes, or a pause of up to three months instead of cancelling.": {
    en: "we can offer you 20% off your next three boxes, or a pause of up to three months instead of cancelling.",
    ru: "можем предложить скидку 20% на следующие три коробки или паузу до трёх месяцев вместо отмены.",
    he: "נשמח להציע 20% הנחה על שלוש הקופסאות הבאות, או השהיה של עד שלושה חודשים במקום ביטול.",
    es: "podemos ofrecerle un 20% de descuento en sus próximas tres cajas, o una pausa de hasta tres meses en lugar de cancelar.",
    fr: "nous pouvons vous offrir 20 % de réduction sur vos trois prochaines box, ou une pause de trois mois maximum au lieu de résilier.",
  },
};
