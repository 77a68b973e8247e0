/**
 * Deterministic demo-store data for "Lev Haolam" (a monthly box of Israeli products):
 * ~50 customers with subscriptions, boxes, shipments and payments in varied states.
 * Generated from a seeded PRNG relative to a reference date, so tests can rely on it.
 */
import type { PostalAddress, ShipmentEvent } from "../schema.ts";
import { seededRandom } from "../../lib/random.ts";

export interface StoreSeed {
  customers: Array<{ id: string; email: string; name: string; phone: string | null; address: PostalAddress }>;
  subscriptions: Array<{
    id: string;
    customerId: string;
    plan: string;
    priceCents: number;
    frequency: "monthly" | "bimonthly" | "quarterly";
    status: "active" | "paused" | "cancelled";
    nextBoxDate: string | null;
    pausedUntil: string | null;
    skippedMonths: string[];
  }>;
  orders: Array<{
    id: string;
    number: string;
    customerId: string;
    subscriptionId: string;
    boxMonth: string;
    items: string[];
    status: "processing" | "shipped" | "delivered" | "returned";
    totalCents: number;
  }>;
  shipments: Array<{
    id: string;
    orderId: string;
    carrier: string;
    trackingNumber: string;
    status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "exception";
    events: ShipmentEvent[];
    estimatedDelivery: string | null;
  }>;
  payments: Array<{
    id: string;
    customerId: string;
    subscriptionId: string;
    kind: "charge" | "refund";
    amountCents: number;
    status: "succeeded" | "failed" | "pending";
    failureReason: string | null;
    /** When the charge was attempted (epoch ms): the 5th of the box's month, never after the reference date. */
    createdAt: number;
  }>;
}

const FIRST = [
  "John",
  "Sarah",
  "David",
  "Rachel",
  "Michael",
  "Miriam",
  "Daniel",
  "Esther",
  "Jacob",
  "Leah",
  "Anna",
  "Olga",
  "Carlos",
  "Lucia",
  "Pierre",
  "Camille",
  "Noah",
  "Emma",
  "Yosef",
  "Tamar",
  "Igor",
  "Natalia",
  "Sofia",
  "Mateo",
  "Chloé",
];
const LAST = [
  "Smith",
  "Cohen",
  "Levi",
  "Goldberg",
  "Miller",
  "Katz",
  "Friedman",
  "Ivanova",
  "Petrov",
  "García",
  "Martínez",
  "Dubois",
  "Lefèvre",
  "Johnson",
  "Brown",
  "Rosen",
  "Shapiro",
  "Weiss",
  "Klein",
  "Novak",
];
const PLACES: Array<Omit<PostalAddress, "line1">> = [
  { city: "New York", region: "NY", postalCode: "10001", country: "US" },
  { city: "Austin", region: "TX", postalCode: "73301", country: "US" },
  { city: "Toronto", region: "ON", postalCode: "M5V 2T6", country: "CA" },
  { city: "London", postalCode: "SW1A 1AA", country: "GB" },
  { city: "Berlin", postalCode: "10115", country: "DE" },
  { city: "Paris", postalCode: "75001", country: "FR" },
  { city: "Madrid", postalCode: "28001", country: "ES" },
  { city: "Sydney", region: "NSW", postalCode: "2000", country: "AU" },
  { city: "Tel Aviv", postalCode: "6100000", country: "IL" },
];
/**
 * Carriers as the FAQ's "Delivery times by region" table names them: the standard carrier
 * of the destination, or DHL Express for a box upgraded to express. Tracking numbers keep
 * the shapes the carriers' sites accept.
 */
const STANDARD_CARRIER: Record<string, { name: string; prefix: string; suffix: string }> = {
  US: { name: "Asendia (USPS)", prefix: "LX", suffix: "IL" },
  CA: { name: "Asendia (Canada Post)", prefix: "LX", suffix: "IL" },
  GB: { name: "Royal Mail Tracked", prefix: "RR", suffix: "IL" },
  DE: { name: "PostNL", prefix: "LE", suffix: "IL" },
  FR: { name: "PostNL", prefix: "LE", suffix: "IL" },
  ES: { name: "PostNL", prefix: "LE", suffix: "IL" },
  AU: { name: "Israel Post EMS", prefix: "EE", suffix: "IL" },
  IL: { name: "Israel Post", prefix: "RR", suffix: "IL" },
};
const EXPRESS = { name: "DHL Express", prefix: "JD", suffix: "" };
// The draw that used to pick one of three carriers still happens, so every other seeded value stays the same.
const CARRIER_DRAW = ["standard", "express", "standard"] as const;
/**
 * Days before the reference date the latest box was handed to the carrier, by status, so
 * every scan lies in the past (the last scan comes at most 6.5 days after dispatch).
 */
const DISPATCHED_DAYS_AGO: Record<string, number> = {
  label_created: 1,
  in_transit: 6,
  out_for_delivery: 7,
  exception: 8,
  delivered: 10,
};
const ITEMS = [
  "Dead Sea mud mask",
  "Za'atar spice blend",
  "Silan date honey",
  "Olive wood mezuzah",
  "Halva with pistachio",
  "Hand-painted Armenian ceramic bowl",
  "Tahini from Nablus road",
  "Shabbat candle set",
  "Jerusalem stone coaster",
  "Medjool dates",
  "Pomegranate wine vinegar",
  "Hamsa wall hanging",
];
const PLANS = [
  { plan: "Classic Box", priceCents: 4900 },
  { plan: "Deluxe Box", priceCents: 7900 },
  { plan: "Holy Land Premium", priceCents: 11900 },
];

function ymd(d: Date): string {
  return d.toISOString().slice(0, 10);
}
function addMonths(d: Date, n: number): Date {
  const x = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, Math.min(d.getUTCDate(), 28)));
  return x;
}
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

/** The customer every walkthrough and test uses (seed 000's "John Smith"). */
export const DEMO_CUSTOMER_EMAIL = "john.smith@example.com";

export function generateStore(reference: Date, count = 50): StoreSeed {
  const rnd = seededRandom(20260127);
  const out: StoreSeed = { customers: [], subscriptions: [], orders: [], shipments: [], payments: [] };
  let orderNo = 10480;
  for (let i = 0; i < count; i++) {
    const first = i === 0 ? "John" : pick(rnd, FIRST);
    const last = i === 0 ? "Smith" : pick(rnd, LAST);
    const email =
      i === 0
        ? DEMO_CUSTOMER_EMAIL
        : `${first}.${last}.${i}`
            .toLowerCase()
            .normalize("NFD")
            .replace(/[\u0300-\u036f]/g, "")
            .replace(/[^a-z0-9.]/g, "") + "@example.com";
    const place = i === 0 ? PLACES[0] : pick(rnd, PLACES);
    const customerId = `cus_${String(i + 1).padStart(3, "0")}`;
    const phone = rnd() < 0.7 ? `+1555${String(1000000 + Math.floor(rnd() * 8999999)).slice(0, 7)}` : null;
    out.customers.push({
      id: customerId,
      email,
      name: `${first} ${last}`,
      phone: i === 0 ? "+15551234567" : phone,
      address: {
        line1: `${10 + Math.floor(rnd() * 890)} ${pick(rnd, ["Main St", "Oak Ave", "King George St", "Rue de Rivoli", "Calle Mayor", "High Street"])}`,
        ...(place ?? PLACES[0]!),
      },
    });

    const plan = i === 0 ? PLANS[1]! : pick(rnd, PLANS);
    const roll = rnd();
    const status: "active" | "paused" | "cancelled" =
      i === 0 ? "active" : roll < 0.72 ? "active" : roll < 0.88 ? "paused" : "cancelled";
    const frequency =
      i === 0 ? "monthly" : pick(rnd, ["monthly", "monthly", "monthly", "bimonthly", "quarterly"] as const);
    const nextBox = new Date(Date.UTC(reference.getUTCFullYear(), reference.getUTCMonth() + 1, 15));
    const subId = `sub_${String(i + 1).padStart(3, "0")}`;
    out.subscriptions.push({
      id: subId,
      customerId,
      plan: plan.plan,
      priceCents: plan.priceCents,
      frequency,
      status,
      nextBoxDate: status === "cancelled" ? null : ymd(status === "paused" ? addMonths(nextBox, 2) : nextBox),
      pausedUntil: status === "paused" ? ymd(addMonths(nextBox, 1)) : null,
      skippedMonths: [],
    });

    const boxes = i === 0 ? 3 : 1 + Math.floor(rnd() * 3);
    for (let b = boxes; b >= 1; b--) {
      const month = addMonths(reference, -b + 1);
      const boxMonth = ymd(month).slice(0, 7);
      const latest = b === 1;
      const orderId = `ord_${orderNo}`;
      const number = `LH-${orderNo++}`;
      const shipStatus = !latest
        ? "delivered"
        : i === 0
          ? "in_transit"
          : pick(rnd, [
              "delivered",
              "delivered",
              "in_transit",
              "out_for_delivery",
              "exception",
              "label_created",
            ] as const);
      const orderStatus =
        shipStatus === "delivered" ? "delivered" : shipStatus === "label_created" ? "processing" : "shipped";
      const items = [pick(rnd, ITEMS), pick(rnd, ITEMS), pick(rnd, ITEMS)].filter((x, k, a) => a.indexOf(x) === k);
      out.orders.push({
        id: orderId,
        number,
        customerId,
        subscriptionId: subId,
        boxMonth,
        items,
        status: orderStatus,
        totalCents: plan.priceCents,
      });
      const draw = i === 0 ? "express" : pick(rnd, CARRIER_DRAW);
      const country = place?.country ?? "US";
      const carrier = draw === "express" ? EXPRESS : (STANDARD_CARRIER[country] ?? STANDARD_CARRIER.IL!);
      const tracking = `${carrier.prefix}${String(Math.floor(rnd() * 1e9)).padStart(9, "0")}${carrier.suffix}`;
      const dispatchDay = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 3);
      const latestBy = reference.getTime() - (DISPATCHED_DAYS_AGO[shipStatus] ?? 10) * 86400000;
      const shipped = new Date(Math.min(dispatchDay, latestBy));
      const events: ShipmentEvent[] = [
        { at: shipped.toISOString(), status: "Label created", location: "Jerusalem, IL" },
      ];
      if (shipStatus !== "label_created")
        events.push({
          at: new Date(shipped.getTime() + 86400000).toISOString(),
          status: "Departed facility",
          location: "Tel Aviv Ben Gurion Airport, IL",
        });
      if (shipStatus === "in_transit" || shipStatus === "out_for_delivery" || shipStatus === "delivered")
        events.push({
          at: new Date(shipped.getTime() + 4 * 86400000).toISOString(),
          status: "Arrived at destination hub",
          location: `${place?.city ?? "New York"}, ${place?.country ?? "US"}`,
        });
      if (shipStatus === "out_for_delivery" || shipStatus === "delivered")
        events.push({
          at: new Date(shipped.getTime() + 6 * 86400000).toISOString(),
          status: "Out for delivery",
          location: place?.city ?? "New York",
        });
      if (shipStatus === "delivered")
        events.push({
          at: new Date(shipped.getTime() + 6.5 * 86400000).toISOString(),
          status: "Delivered",
          location: place?.city ?? "New York",
        });
      if (shipStatus === "exception")
        events.push({
          at: new Date(shipped.getTime() + 5 * 86400000).toISOString(),
          status: "Held at customs",
          location: `${place?.country ?? "US"} customs`,
        });
      out.shipments.push({
        id: `shp_${orderNo}`,
        orderId,
        carrier: carrier.name,
        trackingNumber: tracking,
        status: shipStatus,
        events,
        estimatedDelivery: shipStatus === "delivered" ? null : ymd(new Date(shipped.getTime() + 9 * 86400000)),
      });
      const failed = i !== 0 && latest && rnd() < 0.12;
      out.payments.push({
        id: `pay_${orderNo}`,
        customerId,
        subscriptionId: subId,
        kind: "charge",
        amountCents: plan.priceCents,
        status: failed ? "failed" : "succeeded",
        failureReason: failed ? pick(rnd, ["card_declined", "insufficient_funds", "expired_card"]) : null,
        createdAt: Math.min(
          Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 5, 6),
          reference.getTime() - 86400000,
        ),
      });
    }
  }
  return out;
}
