/**
 * The embedded support agent: rule-based tool planning and templated answers over real
 * data, deterministic so tests can assert on it. For each intent it first says which
 * read tools it needs (`planReads`), then composes the reply from their results
 * (`composeIntent`): real carrier and scan for shipping, the reason and a payment link
 * for a failed charge, the retention offer once before a cancellation link, the best
 * knowledge passage with its citation, and a hand-over instead of a guess.
 * Account-changing tools only ever come out as proposals for the customer to confirm.
 */
import type { CategoryKey } from "../../lib/categories.ts";
import type { AccountSnapshot, ShipmentView } from "../../commerce/types.ts";
import { formatAddress } from "../../commerce/execute.ts";
import type { RetrievedPassage } from "../../knowledge/types.ts";
import type { ToolCall, WriteToolName } from "../guardrails/types.ts";
import {
  isAcceptance,
  mentionsPause,
  mentionsRefundOrDoubleCharge,
  onlyNotArrived,
  parseAddress,
  parseFrequency,
  parsePauseUntil,
} from "./parse.ts";
import { addressLines, dayName, frequencyWord, money, monthName, t } from "./templates.ts";
import { extractAnswer, renderUnits } from "./extract.ts";
import { accountFields, answerAccountQuestion } from "./account-question.ts";
import { RETENTION_OFFER_I18N } from "../../db/seed/categories.ts";

export interface Citation {
  documentId: string;
  title: string;
  section: string;
}

export interface IntentContext {
  intent: CategoryKey;
  /** True when another intent of the same message was handled first. */
  secondary: boolean;
  text: string;
  lang: string;
  /** Null while the customer is not verified: general help only. */
  account: AccountSnapshot | null;
  passages: RetrievedPassage[];
  retentionOffered: boolean;
  retentionOffer: string | null;
  attachmentKeys: string[];
  publicUrl: string;
  now: Date;
  /** The previous question when this message follows up on it. */
  context?: string | null;
}

export interface ReadResults {
  shipment?: ShipmentView | null;
  paymentLink?: string | null;
  cancelLink?: string | null;
}

export interface Proposal {
  tool: WriteToolName;
  /** Arguments as checked by the guardrails. */
  args: Record<string, unknown>;
  /** Engine-derived extras stored with the action (never model output). */
  extras: Record<string, unknown>;
  summary: string;
  text: string;
}

export interface IntentOutcome {
  texts: string[];
  proposal: Proposal | null;
  handoff: string | null;
  citations: Citation[];
  ask: "pause" | "frequency" | "address" | null;
  retentionOffered: boolean;
  /** Share of the question's content words found in the cited passage, when the answer came from the knowledge base. */
  grounding?: number;
  /** Whole text of the passages quoted from: checked for poisoning like the quote itself. */
  sources?: string[];
}

/**
 * Retrieval scores are rank-fused (RRF) and say nothing absolute, so a passage counts as
 * an answer only when it contains at least this share of the question's content words.
 */
export const MIN_PASSAGE_OVERLAP = 0.5;

const STALE_DAYS = 10;
const MAX_PASSAGE_CHARS = 700;

/** Categories whose messages may be questions about the account itself (next box, plan, price…). */
const ACCOUNT_QUESTION_INTENTS: ReadonlySet<CategoryKey> = new Set<CategoryKey>([
  "general_question",
  "other",
  "shipping_inquiry",
  "payment_issue",
  "pause_subscription",
  "cancel_subscription",
  "change_frequency",
]);

/** Read tools the intent needs before it can answer. */
export function planReads(ctx: IntentContext): ToolCall[] {
  if (!ctx.account) return [];
  switch (ctx.intent) {
    case "shipping_inquiry":
      return [{ name: "track_shipment", args: {} }];
    case "payment_issue":
      return mentionsRefundOrDoubleCharge(ctx.text) ? [] : [{ name: "payment_update_link", args: {} }];
    case "cancel_subscription":
      return wantsCancelLink(ctx) ? [{ name: "cancellation_link", args: {} }] : [];
    default:
      return [];
  }
}

function wantsCancelLink(ctx: IntentContext): boolean {
  return (ctx.retentionOffered || !ctx.retentionOffer) && !mentionsPause(ctx.text) && !isAcceptance(ctx.text);
}

const empty = (): IntentOutcome => ({
  texts: [],
  proposal: null,
  handoff: null,
  citations: [],
  ask: null,
  retentionOffered: false,
});

/**
 * The sentence, list item or table row that answers, rendered for chat, with its
 * citation; null when no retrieved unit covers enough of the question (then a human
 * answers instead of a guess).
 */
export function answerFromKnowledge(
  passages: RetrievedPassage[],
  lang: string,
  question: string,
  context: string | null = null,
  minCoverage = MIN_PASSAGE_OVERLAP,
): { text: string; citation: Citation; overlap: number; source: string } | null {
  const found = extractAnswer(question, passages.slice(0, 8), lang, minCoverage, context);
  if (!found) return null;
  const best = found.passage;
  const body = renderUnits(found.units);
  const citation = { documentId: best.documentId, title: best.documentTitle, section: best.heading.at(-1) ?? "" };
  return {
    text: `${t(lang, "faq", { passage: body.length > MAX_PASSAGE_CHARS ? cutAtSentence(body) : body })}\n\n${t(lang, "source", { citation: best.citation || best.documentTitle })}`,
    citation,
    overlap: found.coverage,
    source: best.text,
  };
}

function cutAtSentence(text: string): string {
  const head = text.slice(0, MAX_PASSAGE_CHARS);
  const end = Math.max(head.lastIndexOf(". "), head.lastIndexOf("\n"));
  return end > 0 ? head.slice(0, end + 1) : head;
}

/** "Offer 20% off…" (an instruction in the category rules) as words to the customer. */
export function retentionWords(offer: string, lang: string): string {
  const trimmed = offer.trim();
  const localised = RETENTION_OFFER_I18N[trimmed]?.[lang];
  if (localised) return localised;
  if (lang === "en" && /^offer\s/i.test(trimmed)) return `we can offer you ${trimmed.replace(/^offer\s+/i, "")}`;
  return trimmed;
}

/** Compose the reply for one intent from the read results. */
export function composeIntent(ctx: IntentContext, reads: ReadResults): IntentOutcome {
  const out = empty();
  const { lang, account } = ctx;
  const fields = account && ACCOUNT_QUESTION_INTENTS.has(ctx.intent) ? accountFields(ctx.text) : [];
  if (account && fields.length) {
    out.texts.push(answerAccountQuestion(fields, account, lang));
    return out;
  }
  if (ctx.intent === "general_question" || ctx.intent === "other" || !account) {
    const faq = answerFromKnowledge(ctx.passages, lang, ctx.text, ctx.context ?? null);
    if (faq) {
      out.texts.push(faq.text);
      out.citations.push(faq.citation);
      out.grounding = faq.overlap;
      out.sources = [faq.source];
    } else {
      // Never guess: without a passage that answers it, a colleague takes over.
      out.texts.push(t(lang, "noAnswer"));
      out.handoff = ctx.intent === "other" ? "Request outside the support categories" : "No knowledge-base answer";
    }
    return out;
  }
  const sub = account.subscription;
  switch (ctx.intent) {
    case "shipping_inquiry": {
      const s = reads.shipment ?? account.latestShipment;
      if (!s) {
        out.texts.push(t(lang, "noShipment"));
        return out;
      }
      const lastAt = s.lastEvent ? Date.parse(s.lastEvent.at) : NaN;
      const stale =
        s.status !== "delivered" && Number.isFinite(lastAt) && ctx.now.getTime() - lastAt > STALE_DAYS * 86_400_000;
      const parts = [
        t(lang, "shipping", {
          month: monthName(lang, s.boxMonth),
          order: s.orderNumber,
          carrier: s.carrier,
          status: t(lang, `ship.${s.status}`),
          event: s.lastEvent?.status ?? "-",
          location: s.lastEvent?.location ?? "-",
          date: s.lastEvent ? dayName(lang, s.lastEvent.at) : "-",
          tracking: s.trackingNumber,
          url: s.trackingUrl,
        }),
      ];
      // A parcel held in an exception state has no trustworthy ETA: none is given.
      if (s.estimatedDelivery && s.status !== "delivered" && s.status !== "exception" && !stale)
        parts.push(t(lang, "eta", { eta: dayName(lang, s.estimatedDelivery) }));
      out.texts.push(parts.join(" "));
      if (s.status === "exception" || stale) {
        // The category rule: no movement for 10+ days or an exception → a human opens a carrier investigation.
        out.texts.push(
          t(lang, "shippingStuck", {
            tracking: s.trackingNumber,
            status: s.lastEvent?.status ?? t(lang, `ship.${s.status}`),
          }),
        );
        out.handoff = `Carrier investigation needed for ${s.trackingNumber} (${s.status}${stale ? ", no movement" : ""})`;
      }
      return out;
    }
    case "damaged_item": {
      // A damage claim is about a delivered box. When the same message is answered as a late parcel and
      // says nothing is damaged or missing, a claim on the previous (delivered) box is not what was asked.
      if (ctx.secondary && onlyNotArrived(ctx.text)) return out;
      const order = account.orders.find((o) => o.status === "delivered");
      out.texts.push(t(lang, "damageSorry"));
      if (!order) {
        out.texts.push(t(lang, "noDeliveredBox"));
        out.handoff = "Damage report without a delivered box on file";
        return out;
      }
      const description =
        ctx.text.trim().length >= 5 ? ctx.text.trim().slice(0, 2000) : "Customer reported a damaged item";
      const photoUrls = ctx.attachmentKeys.map(
        (k) => `${ctx.publicUrl.replace(/\/$/, "")}/attachments/${encodeURIComponent(k)}`,
      );
      const text = t(lang, "damagePropose", { month: monthName(lang, order.boxMonth), order: order.orderNumber });
      out.proposal = {
        tool: "create_damage_claim",
        args: { orderId: order.orderNumber, description, ...(photoUrls.length ? { photoUrls } : {}) },
        extras: {},
        summary: `Damage claim for box ${order.orderNumber} (${order.boxMonth})`,
        text,
      };
      return out;
    }
    case "skip_month": {
      if (!sub?.nextBoxDate || sub.status !== "active") {
        out.texts.push(
          t(lang, "subscription", {
            plan: sub?.plan ?? "-",
            freq: sub ? frequencyWord(lang, sub.frequency) : "-",
            status: sub ? t(lang, `status.${sub.status}`) : "-",
            date: "-",
          }),
        );
        out.handoff = "Skip requested but no upcoming box";
        return out;
      }
      const month = sub.nextBoxDate.slice(0, 7);
      const after = nextAfter(sub.nextBoxDate, sub.frequency);
      const text = [
        ctx.secondary ? t(lang, "skipAlso") : "",
        t(lang, "skipPropose", { month: monthName(lang, month), date: dayName(lang, after) }),
      ]
        .filter(Boolean)
        .join(" ");
      out.proposal = {
        tool: "skip_next_box",
        args: {},
        extras: { month },
        summary: `Skip the ${month} box (next box then ${after})`,
        text,
      };
      return out;
    }
    case "pause_subscription": {
      const until = parsePauseUntil(ctx.text, ctx.now);
      if (!until) {
        out.texts.push(t(lang, "pauseAsk"));
        out.ask = "pause";
        return out;
      }
      out.proposal = {
        tool: "pause_subscription",
        args: { until },
        extras: {},
        summary: `Pause the subscription until ${until}`,
        text: t(lang, "pausePropose", { date: dayName(lang, until) }),
      };
      return out;
    }
    case "change_frequency": {
      const f = parseFrequency(ctx.text);
      if (!f) {
        out.texts.push(t(lang, "freqAsk"));
        out.ask = "frequency";
        return out;
      }
      out.proposal = {
        tool: "change_frequency",
        args: { frequency: f },
        extras: {},
        summary: `Change delivery frequency to ${f}`,
        text: t(lang, "freqPropose", {
          freq: frequencyWord(lang, f),
          date: sub?.nextBoxDate ? dayName(lang, sub.nextBoxDate) : "-",
        }),
      };
      return out;
    }
    case "change_address": {
      const a = parseAddress(ctx.text);
      if (!a) {
        out.texts.push(t(lang, "addressAsk"));
        out.ask = "address";
        return out;
      }
      out.proposal = {
        tool: "change_address",
        args: { ...a },
        extras: {},
        summary: `Change delivery address to ${formatAddress(a)}`,
        text: t(lang, "addressPropose", { fields: addressLines(lang, a) }),
      };
      return out;
    }
    case "payment_issue": {
      const p = account.latestPayment;
      if (mentionsRefundOrDoubleCharge(ctx.text) || !reads.paymentLink) {
        out.texts.push(t(lang, "noAnswer"));
        out.handoff = "Refund or double-charge question: a human decides";
        return out;
      }
      const amount = p ? money(lang, p.amountCents, p.currency) : "-";
      const date = p ? dayName(lang, p.at) : "-";
      if (p?.status === "failed") {
        const known = ["card_declined", "insufficient_funds", "expired_card"] as const;
        const code = known.find((k) => k === p.failureReason) ?? "unknown";
        out.texts.push(
          t(lang, "paymentFailed", { amount, date, reason: t(lang, `reason.${code}`), url: reads.paymentLink }),
        );
      } else {
        out.texts.push(t(lang, "paymentOk", { amount, date, url: reads.paymentLink }));
      }
      return out;
    }
    case "cancel_subscription": {
      // Already cancelled: how to come back, never a retention offer.
      if (sub?.status === "cancelled") {
        out.texts.push(t(lang, "cancelAlready"));
        return out;
      }
      if (!ctx.retentionOffered && ctx.retentionOffer) {
        out.texts.push(t(lang, "retention", { offer: capitalise(retentionWords(ctx.retentionOffer, lang)) }));
        out.retentionOffered = true;
        return out;
      }
      if (mentionsPause(ctx.text)) return composeIntent({ ...ctx, intent: "pause_subscription" }, reads);
      if (isAcceptance(ctx.text)) {
        out.texts.push(t(lang, "retentionAccepted"));
        out.handoff = "Customer accepted the retention offer";
        return out;
      }
      out.texts.push(t(lang, "cancelLink", { url: reads.cancelLink ?? "" }));
      return out;
    }
  }
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function nextAfter(date: string, frequency: "monthly" | "bimonthly" | "quarterly"): string {
  const d = new Date(`${date}T00:00:00Z`);
  const n = frequency === "monthly" ? 1 : frequency === "bimonthly" ? 2 : 3;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), 28)))
    .toISOString()
    .slice(0, 10);
}
