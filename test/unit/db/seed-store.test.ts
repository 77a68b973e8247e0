/** The demo store agrees with itself and with the demo FAQ (issue 18, Data). */
import { describe, expect, it } from "vitest";
import { generateStore } from "../../../workers/db/seed/store.ts";
import { FAQ_FILES } from "../../../workers/knowledge/faq.generated.ts";

const faq = (name: string): string => FAQ_FILES.find((f) => f.name === name)?.text ?? "";

describe("demo store", () => {
  it.each(["2026-11-01T00:00:00Z", "2026-12-06T01:00:00Z", "2027-03-20T12:00:00Z"])(
    "has no shipment scan, ETA-less delivery or payment after the reference date %s",
    (iso) => {
      const reference = new Date(iso);
      const store = generateStore(reference);
      for (const s of store.shipments)
        for (const e of s.events) expect(Date.parse(e.at)).toBeLessThanOrEqual(reference.getTime());
      for (const p of store.payments) expect(p.createdAt).toBeLessThanOrEqual(reference.getTime());
    },
  );

  it("sells the plans at the prices the FAQ lists", () => {
    const table = faq("plans-and-billing.md");
    for (const s of generateStore(new Date("2026-11-01T00:00:00Z")).subscriptions) {
      const price = `$${(s.priceCents / 100).toFixed(2)}`;
      expect(table).toMatch(new RegExp(`\\| ${s.plan} \\|[^\\n]*\\| \\${price} \\|`));
    }
  });

  it("ships with carriers the FAQ names", () => {
    const shipping = faq("shipping-and-delivery.md");
    for (const s of generateStore(new Date("2026-11-01T00:00:00Z")).shipments) {
      const name = s.carrier.replace(/\s*\(.*\)$/, "");
      expect(shipping).toContain(name);
    }
  });

  it("keeps the walkthrough customer's story: an active monthly Deluxe Box with a DHL Express box in transit", () => {
    const store = generateStore(new Date("2026-11-01T00:00:00Z"));
    const john = store.customers[0];
    const sub = store.subscriptions.find((x) => x.customerId === john?.id);
    expect(john?.email).toBe("john.smith@example.com");
    expect(sub).toMatchObject({ plan: "Deluxe Box", status: "active", frequency: "monthly" });
    const orders = store.orders.filter((o) => o.customerId === john?.id);
    const latest = store.shipments.find((x) => x.orderId === orders.at(-1)?.id);
    expect(latest).toMatchObject({ carrier: "DHL Express", status: "in_transit" });
  });
});
