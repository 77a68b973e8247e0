/**
 * The shop's account API as the support agent sees it. One interface, two
 * implementations: the embedded demo store (D1) and an HTTP connector to a real shop
 * (HTTP_CONTRACT.md). Every method acts on one customer, named by the connector's own
 * customer reference, so a tool can never reach another customer's account.
 */
import type { PostalAddress } from "../db/schema.ts";

export type Frequency = "monthly" | "bimonthly" | "quarterly";

/** What the agent may tell the customer about their plan. */
export interface SubscriptionView {
  plan: string;
  status: "active" | "paused" | "cancelled";
  frequency: Frequency;
  priceCents: number;
  currency: string;
  nextBoxDate: string | null;
  pausedUntil: string | null;
  skippedMonths: string[];
}

export interface ShipmentView {
  orderNumber: string;
  boxMonth: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl: string;
  status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception";
  lastEvent: { at: string; status: string; location: string } | null;
  estimatedDelivery: string | null;
}

export interface OrderView {
  orderNumber: string;
  boxMonth: string;
  status: "processing" | "shipped" | "delivered" | "returned";
  items: string[];
}

export interface PaymentView {
  status: "succeeded" | "failed" | "pending";
  amountCents: number;
  currency: string;
  failureReason: string | null;
  at: string;
}

/** Everything the agent reads about a verified customer in one call. */
export interface AccountSnapshot {
  customerRef: string;
  name: string;
  email: string;
  address: PostalAddress;
  subscription: SubscriptionView | null;
  latestShipment: ShipmentView | null;
  orders: OrderView[];
  latestPayment: PaymentView | null;
}

/** Outcome of a write: `changed: false` when it was already in that state (idempotent). */
export interface WriteResult {
  changed: boolean;
  detail: Record<string, unknown>;
}

export interface CommerceConnector {
  readonly id: string;
  /** Customer reference for an email on file, or null. */
  findCustomerByEmail(email: string): Promise<{ customerRef: string; name: string; email: string } | null>;
  getAccount(customerRef: string): Promise<AccountSnapshot | null>;
  trackShipment(customerRef: string, orderNumber?: string): Promise<ShipmentView | null>;
  pauseUntil(customerRef: string, until: string): Promise<WriteResult>;
  /** Skips the next box; `month` (YYYY-MM) makes a repeated request a no-op. */
  skipNextBox(customerRef: string, month?: string): Promise<WriteResult>;
  changeFrequency(customerRef: string, frequency: Frequency): Promise<WriteResult>;
  changeAddress(customerRef: string, address: PostalAddress): Promise<WriteResult>;
  createDamageClaim(
    customerRef: string,
    claim: { orderNumber: string; description: string; photoKeys: string[] },
  ): Promise<WriteResult>;
  paymentUpdateLink(customerRef: string): Promise<{ url: string; expiresAt: string }>;
  cancellationLink(customerRef: string): Promise<{ url: string }>;
  cancelSubscription(customerRef: string, reason: string | null): Promise<WriteResult>;
}

/** A connector call that failed for a reason the customer should not see verbatim. */
export class CommerceError extends Error {
  override readonly name = "CommerceError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Public tracking page of a carrier (the demo store's carriers and a generic fallback). */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const n = encodeURIComponent(trackingNumber);
  const c = carrier.toLowerCase();
  if (c.includes("dhl")) return `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`;
  if (c.includes("asendia")) return `https://tracking.asendia.com/tracking/${n}`;
  if (c.includes("royal mail")) return `https://www.royalmail.com/track-your-item#/tracking-results/${n}`;
  if (c.includes("postnl")) return `https://jouw.postnl.nl/track-and-trace/${n}`;
  if (/\bups\b/.test(c)) return `https://www.ups.com/track?tracknum=${n}`;
  if (c.includes("israel post")) return `https://israelpost.co.il/en/itemtrace?itemcode=${n}`;
  return `https://parcelsapp.com/en/tracking/${n}`;
}

/** Adds whole months to an ISO date (day clamped to 28, like the demo store's schedule). */
export function addMonthsIso(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, Math.min(d.getUTCDate(), 28)));
  return x.toISOString().slice(0, 10);
}

/** Months between boxes for a frequency. */
export function frequencyMonths(f: Frequency): number {
  return f === "monthly" ? 1 : f === "bimonthly" ? 2 : 3;
}
