/**
 * An isolated, in-memory copy of a workspace's demo store for eval cases: reads and
 * writes behave like the demo store connector (same idempotency rules) but touch only
 * this copy, so a run of 5,000 cases never changes a real account and costs no D1 write.
 * The snapshot is read from D1 once per batch; each case (and each gold replay) gets its
 * own clone. `stateHash` hashes the touched customers' account-visible rows, which is how
 * action correctness compares the agent's end state with the expected one (tau-bench).
 */
import { asc } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import type { PostalAddress } from "../db/schema.ts";
import { sha256Hex } from "../lib/encoding.ts";
import { addMonthsIso, CommerceError, frequencyMonths, trackingUrl } from "../commerce/types.ts";
import type { AccountSnapshot, CommerceConnector, Frequency, ShipmentView, WriteResult } from "../commerce/types.ts";

type Customer = typeof schema.storeCustomers.$inferSelect;
type Subscription = typeof schema.storeSubscriptions.$inferSelect;
type Order = typeof schema.storeOrders.$inferSelect;
type Shipment = typeof schema.storeShipments.$inferSelect;
type Payment = typeof schema.storePayments.$inferSelect;
interface Claim {
  orderNumber: string;
  customerId: string;
  description: string;
  photos: string[];
}

export interface StoreSnapshot {
  customers: Customer[];
  subscriptions: Subscription[];
  orders: Order[];
  shipments: Shipment[];
  payments: Payment[];
  claims: Claim[];
}

/** Reads a workspace's store once (the demo store: ~50 customers, a few hundred rows). */
export async function loadStoreSnapshot(tdb: TenantDb): Promise<StoreSnapshot> {
  const [customers, subscriptions, orders, shipments, payments, claimRows] = await Promise.all([
    tdb.select(schema.storeCustomers, undefined, { orderBy: asc(schema.storeCustomers.id) }),
    tdb.select(schema.storeSubscriptions, undefined, { orderBy: asc(schema.storeSubscriptions.id) }),
    tdb.select(schema.storeOrders, undefined, { orderBy: asc(schema.storeOrders.id) }),
    tdb.select(schema.storeShipments, undefined, { orderBy: asc(schema.storeShipments.id) }),
    tdb.select(schema.storePayments, undefined, { orderBy: asc(schema.storePayments.id) }),
    tdb.select(schema.storeDamageClaims, undefined, { orderBy: asc(schema.storeDamageClaims.id) }),
  ]);
  const numbers = new Map(orders.map((o) => [o.id, o.number]));
  const claims = claimRows.map((c) => ({
    orderNumber: numbers.get(c.orderId) ?? "?",
    customerId: c.customerId,
    description: c.description,
    photos: c.photos,
  }));
  return { customers, subscriptions, orders, shipments, payments, claims };
}

/** Canonical JSON: object keys sorted at every depth, undefined dropped. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(",")}}`;
  return JSON.stringify(v ?? null);
}

export class SandboxStore implements CommerceConnector {
  readonly id = "eval-sandbox";
  readonly #s: StoreSnapshot;
  readonly #publicUrl: string;
  /** Customers whose rows a write reached (the rows the state hash covers). */
  readonly touched = new Set<string>();
  /** Writes in order, for the case trace. */
  readonly writes: Array<{ method: string; customerRef: string; changed: boolean }> = [];

  constructor(snapshot: StoreSnapshot, publicUrl: string) {
    this.#s = structuredClone(snapshot);
    this.#publicUrl = publicUrl.replace(/\/$/, "");
  }

  async findCustomerByEmail(email: string) {
    const c = this.#s.customers.find((x) => x.email === email.trim().toLowerCase());
    return c ? { customerRef: c.id, name: c.name, email: c.email } : null;
  }

  async getAccount(customerRef: string): Promise<AccountSnapshot | null> {
    const c = this.#s.customers.find((x) => x.id === customerRef);
    if (!c) return null;
    const sub = this.#sub(customerRef);
    const orders = this.#s.orders
      .filter((o) => o.customerId === customerRef)
      .sort((a, b) => (a.boxMonth < b.boxMonth ? 1 : -1));
    const pay = this.#s.payments
      .filter((p) => p.customerId === customerRef)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))[0];
    return {
      customerRef,
      name: c.name,
      email: c.email,
      address: c.address,
      subscription: sub
        ? {
            plan: sub.plan,
            status: sub.status,
            frequency: sub.frequency,
            priceCents: sub.priceCents,
            currency: sub.currency,
            nextBoxDate: sub.nextBoxDate,
            pausedUntil: sub.pausedUntil,
            skippedMonths: [...sub.skippedMonths],
          }
        : null,
      latestShipment: await this.trackShipment(customerRef),
      orders: orders.map((o) => ({ orderNumber: o.number, boxMonth: o.boxMonth, status: o.status, items: o.items })),
      latestPayment: pay
        ? {
            status: pay.status,
            amountCents: pay.amountCents,
            currency: pay.currency,
            failureReason: pay.failureReason,
            at: new Date(pay.createdAt).toISOString(),
          }
        : null,
    };
  }

  async trackShipment(customerRef: string, orderNumber?: string): Promise<ShipmentView | null> {
    const order = this.#s.orders
      .filter((o) => o.customerId === customerRef && (!orderNumber || o.number === orderNumber))
      .sort((a, b) => (a.boxMonth < b.boxMonth ? 1 : -1))[0];
    if (!order) return null;
    const s = this.#s.shipments.find((x) => x.orderId === order.id);
    if (!s) return null;
    return {
      orderNumber: order.number,
      boxMonth: order.boxMonth,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      trackingUrl: trackingUrl(s.carrier, s.trackingNumber),
      status: s.status,
      lastEvent: s.events.at(-1) ?? null,
      estimatedDelivery: s.estimatedDelivery,
    };
  }

  async pauseUntil(customerRef: string, until: string): Promise<WriteResult> {
    const sub = this.#active(customerRef);
    if (sub.status === "paused" && sub.pausedUntil === until) return this.#wrote("pauseUntil", customerRef, false, {});
    Object.assign(sub, { status: "paused", pausedUntil: until, nextBoxDate: addMonthsIso(until, 0) });
    return this.#wrote("pauseUntil", customerRef, true, { pausedUntil: until, nextBoxDate: sub.nextBoxDate });
  }

  async skipNextBox(customerRef: string, month?: string): Promise<WriteResult> {
    const sub = this.#active(customerRef);
    const target = month ?? sub.nextBoxDate?.slice(0, 7);
    if (!target || !sub.nextBoxDate) throw new CommerceError("no_next_box", "There is no upcoming box to skip");
    if (sub.skippedMonths.includes(target))
      return this.#wrote("skipNextBox", customerRef, false, { skippedMonth: target, nextBoxDate: sub.nextBoxDate });
    sub.skippedMonths = [...sub.skippedMonths, target];
    sub.nextBoxDate = addMonthsIso(sub.nextBoxDate, frequencyMonths(sub.frequency));
    return this.#wrote("skipNextBox", customerRef, true, { skippedMonth: target, nextBoxDate: sub.nextBoxDate });
  }

  async changeFrequency(customerRef: string, frequency: Frequency): Promise<WriteResult> {
    const sub = this.#active(customerRef);
    const changed = sub.frequency !== frequency;
    sub.frequency = frequency;
    return this.#wrote("changeFrequency", customerRef, changed, { frequency, nextBoxDate: sub.nextBoxDate });
  }

  async changeAddress(customerRef: string, address: PostalAddress): Promise<WriteResult> {
    const c = this.#s.customers.find((x) => x.id === customerRef);
    if (!c) throw new CommerceError("not_found", "Customer not found");
    const changed = JSON.stringify(c.address) !== JSON.stringify(address);
    c.address = address;
    return this.#wrote("changeAddress", customerRef, changed, { address });
  }

  async createDamageClaim(
    customerRef: string,
    claim: { orderNumber: string; description: string; photoKeys: string[] },
  ): Promise<WriteResult> {
    const order = this.#s.orders.find((o) => o.customerId === customerRef && o.number === claim.orderNumber);
    if (!order) throw new CommerceError("not_found", "Order not found for this customer");
    const dup = this.#s.claims.some((c) => c.orderNumber === order.number && c.description === claim.description);
    if (!dup)
      this.#s.claims.push({
        orderNumber: order.number,
        customerId: customerRef,
        description: claim.description,
        photos: claim.photoKeys,
      });
    return this.#wrote("createDamageClaim", customerRef, !dup, { orderNumber: order.number });
  }

  async paymentUpdateLink(customerRef: string) {
    this.#active(customerRef, true);
    return {
      url: `${this.#publicUrl}/store/account/payment-method?session=eval`,
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    };
  }

  async cancellationLink(customerRef: string) {
    this.#active(customerRef, true);
    return { url: `${this.#publicUrl}/store/account/subscription/cancel?session=eval` };
  }

  async cancelSubscription(customerRef: string, _reason: string | null): Promise<WriteResult> {
    const sub = this.#active(customerRef, true);
    if (sub.status === "cancelled") return this.#wrote("cancelSubscription", customerRef, false, {});
    Object.assign(sub, { status: "cancelled", nextBoxDate: null, pausedUntil: null });
    return this.#wrote("cancelSubscription", customerRef, true, { status: "cancelled" });
  }

  /** Account-visible state of the given customers (no ids, no timestamps). */
  stateOf(customerRefs: Iterable<string>): unknown {
    return [...new Set(customerRefs)].sort().map((ref) => {
      const c = this.#s.customers.find((x) => x.id === ref);
      const sub = this.#sub(ref);
      return {
        email: c?.email ?? ref,
        address: c?.address ?? null,
        subscription: sub
          ? {
              plan: sub.plan,
              status: sub.status,
              frequency: sub.frequency,
              nextBoxDate: sub.nextBoxDate,
              pausedUntil: sub.pausedUntil,
              skippedMonths: sub.skippedMonths,
            }
          : null,
        claims: this.#s.claims
          .filter((x) => x.customerId === ref)
          .map((x) => ({ order: x.orderNumber, description: x.description, photos: x.photos }))
          .sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1)),
      };
    });
  }

  /** SHA-256 of `stateOf`. */
  stateHash(customerRefs: Iterable<string>): Promise<string> {
    return sha256Hex(canonical(this.stateOf(customerRefs)));
  }

  #sub(customerRef: string): Subscription | undefined {
    return this.#s.subscriptions.find((s) => s.customerId === customerRef);
  }

  #active(customerRef: string, allowCancelled = false): Subscription {
    const sub = this.#sub(customerRef);
    if (!sub) throw new CommerceError("no_subscription", "No subscription on file");
    if (sub.status === "cancelled" && !allowCancelled)
      throw new CommerceError("cancelled", "The subscription is cancelled");
    return sub;
  }

  #wrote(method: string, customerRef: string, changed: boolean, detail: Record<string, unknown>): WriteResult {
    this.touched.add(customerRef);
    this.writes.push({ method, customerRef, changed });
    return { changed, detail };
  }
}
