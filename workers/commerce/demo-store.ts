/**
 * The embedded commerce backend: the demo store's store_* tables in D1, always through
 * TenantDb so a workspace only ever sees its own shop. Writes are audited and idempotent
 * where that is natural (skipping a month that is already skipped, pausing until the
 * same date, or filing the same claim twice changes nothing).
 */
import { and, desc, eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import type { PostalAddress } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import { addMonthsIso, CommerceError, frequencyMonths } from "./types.ts";
import { trackingUrl } from "../lib/tracking.ts";
import type { AccountSnapshot, CommerceConnector, Frequency, ShipmentView, WriteResult } from "./types.ts";

type SubRow = typeof schema.storeSubscriptions.$inferSelect;

export class DemoStoreConnector implements CommerceConnector {
  readonly id = "demo-store";
  readonly #tdb: TenantDb;
  readonly #publicUrl: string;

  constructor(tdb: TenantDb, publicUrl: string) {
    this.#tdb = tdb;
    this.#publicUrl = publicUrl.replace(/\/$/, "");
  }

  async findCustomerByEmail(email: string) {
    const row = await this.#tdb.first(
      schema.storeCustomers,
      eq(schema.storeCustomers.email, email.trim().toLowerCase()),
    );
    return row ? { customerRef: row.id, name: row.name, email: row.email } : null;
  }

  async getAccount(customerRef: string): Promise<AccountSnapshot | null> {
    const c = await this.#tdb.first(schema.storeCustomers, eq(schema.storeCustomers.id, customerRef));
    if (!c) return null;
    const sub = await this.#subscription(customerRef);
    const orders = await this.#tdb.select(schema.storeOrders, eq(schema.storeOrders.customerId, customerRef), {
      orderBy: desc(schema.storeOrders.boxMonth),
    });
    const payments = await this.#tdb.select(schema.storePayments, eq(schema.storePayments.customerId, customerRef), {
      orderBy: [desc(schema.storePayments.createdAt), desc(schema.storePayments.id)],
    });
    const pay = payments[0];
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
            skippedMonths: sub.skippedMonths,
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
    const o = schema.storeOrders;
    const orders = await this.#tdb.select(
      o,
      orderNumber ? and(eq(o.customerId, customerRef), eq(o.number, orderNumber)) : eq(o.customerId, customerRef),
      { orderBy: desc(o.boxMonth), limit: 1 },
    );
    const order = orders[0];
    if (!order) return null;
    const s = await this.#tdb.first(schema.storeShipments, eq(schema.storeShipments.orderId, order.id));
    if (!s) return null;
    const last = s.events.at(-1) ?? null;
    return {
      orderNumber: order.number,
      boxMonth: order.boxMonth,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      trackingUrl: trackingUrl(s.carrier, s.trackingNumber),
      status: s.status,
      lastEvent: last,
      estimatedDelivery: s.estimatedDelivery,
    };
  }

  async pauseUntil(customerRef: string, until: string): Promise<WriteResult> {
    const sub = await this.#activeSub(customerRef);
    if (sub.status === "paused" && sub.pausedUntil === until) return { changed: false, detail: { pausedUntil: until } };
    const next = addMonthsIso(until, 0);
    await this.#tdb.update(
      schema.storeSubscriptions,
      { status: "paused", pausedUntil: until, nextBoxDate: next },
      eq(schema.storeSubscriptions.id, sub.id),
    );
    await this.#audit("store.pause_subscription", sub.id, { until });
    return { changed: true, detail: { pausedUntil: until, nextBoxDate: next } };
  }

  async skipNextBox(customerRef: string, month?: string): Promise<WriteResult> {
    const sub = await this.#activeSub(customerRef);
    const target = month ?? sub.nextBoxDate?.slice(0, 7);
    if (!target || !sub.nextBoxDate) throw new CommerceError("no_next_box", "There is no upcoming box to skip");
    if (sub.skippedMonths.includes(target))
      return { changed: false, detail: { skippedMonth: target, nextBoxDate: sub.nextBoxDate } };
    const next = addMonthsIso(sub.nextBoxDate, frequencyMonths(sub.frequency));
    await this.#tdb.update(
      schema.storeSubscriptions,
      { skippedMonths: [...sub.skippedMonths, target], nextBoxDate: next },
      eq(schema.storeSubscriptions.id, sub.id),
    );
    await this.#audit("store.skip_next_box", sub.id, { month: target });
    return { changed: true, detail: { skippedMonth: target, nextBoxDate: next } };
  }

  async changeFrequency(customerRef: string, frequency: Frequency): Promise<WriteResult> {
    const sub = await this.#activeSub(customerRef);
    if (sub.frequency === frequency) return { changed: false, detail: { frequency, nextBoxDate: sub.nextBoxDate } };
    await this.#tdb.update(schema.storeSubscriptions, { frequency }, eq(schema.storeSubscriptions.id, sub.id));
    await this.#audit("store.change_frequency", sub.id, { from: sub.frequency, to: frequency });
    return { changed: true, detail: { frequency, nextBoxDate: sub.nextBoxDate } };
  }

  async changeAddress(customerRef: string, address: PostalAddress): Promise<WriteResult> {
    const c = await this.#tdb.first(schema.storeCustomers, eq(schema.storeCustomers.id, customerRef));
    if (!c) throw new CommerceError("not_found", "Customer not found");
    if (JSON.stringify(c.address) === JSON.stringify(address)) return { changed: false, detail: { address } };
    await this.#tdb.update(schema.storeCustomers, { address }, eq(schema.storeCustomers.id, customerRef));
    await this.#audit("store.change_address", customerRef, { city: address.city, country: address.country });
    return { changed: true, detail: { address } };
  }

  async createDamageClaim(
    customerRef: string,
    claim: { orderNumber: string; description: string; photoKeys: string[] },
  ): Promise<WriteResult> {
    const order = await this.#tdb.first(
      schema.storeOrders,
      and(eq(schema.storeOrders.customerId, customerRef), eq(schema.storeOrders.number, claim.orderNumber)),
    );
    if (!order) throw new CommerceError("not_found", "Order not found for this customer");
    const dc = schema.storeDamageClaims;
    const existing = await this.#tdb.first(dc, and(eq(dc.orderId, order.id), eq(dc.description, claim.description)));
    if (existing) return { changed: false, detail: { claimId: existing.id, orderNumber: order.number } };
    const id = newId("clm");
    await this.#tdb.insert(dc, {
      id,
      orderId: order.id,
      customerId: customerRef,
      description: claim.description,
      photos: claim.photoKeys,
    });
    await this.#audit("store.create_damage_claim", id, { orderNumber: order.number, photos: claim.photoKeys.length });
    return { changed: true, detail: { claimId: id, orderNumber: order.number } };
  }

  async paymentUpdateLink(customerRef: string) {
    await this.#activeSub(customerRef, true);
    return {
      url: `${this.#publicUrl}/store/account/payment-method?session=${crypto.randomUUID()}`,
      expiresAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    };
  }

  async cancellationLink(customerRef: string) {
    await this.#activeSub(customerRef, true);
    return { url: `${this.#publicUrl}/store/account/subscription/cancel?session=${crypto.randomUUID()}` };
  }

  async cancelSubscription(customerRef: string, reason: string | null): Promise<WriteResult> {
    const sub = await this.#activeSub(customerRef, true);
    if (sub.status === "cancelled") return { changed: false, detail: { status: "cancelled" } };
    await this.#tdb.update(
      schema.storeSubscriptions,
      { status: "cancelled", nextBoxDate: null, pausedUntil: null },
      eq(schema.storeSubscriptions.id, sub.id),
    );
    await this.#audit("store.cancel_subscription", sub.id, { reason });
    return { changed: true, detail: { status: "cancelled" } };
  }

  async #subscription(customerRef: string): Promise<SubRow | undefined> {
    const rows = await this.#tdb.select(
      schema.storeSubscriptions,
      eq(schema.storeSubscriptions.customerId, customerRef),
      { limit: 1 },
    );
    return rows[0];
  }

  async #activeSub(customerRef: string, allowCancelled = false): Promise<SubRow> {
    const sub = await this.#subscription(customerRef);
    if (!sub) throw new CommerceError("no_subscription", "No subscription on file");
    if (sub.status === "cancelled" && !allowCancelled)
      throw new CommerceError("cancelled", "The subscription is cancelled");
    return sub;
  }

  async #audit(action: string, targetId: string, detail: Record<string, unknown>): Promise<void> {
    await this.#tdb.insert(schema.auditLog, {
      id: newId("aud"),
      actorType: "bot",
      actorId: null,
      action,
      targetType: "store",
      targetId,
      detail,
    });
  }
}
