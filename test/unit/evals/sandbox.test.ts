import { describe, expect, it } from "vitest";
import { generateStore } from "../../../workers/db/seed/store.ts";
import { SandboxStore, type StoreSnapshot } from "../../../workers/evals/sandbox-store.ts";

function snapshot(): StoreSnapshot {
  const s = generateStore(new Date("2026-11-01T00:00:00Z"), 5);
  const ws = { workspaceId: "ws", createdAt: 0 };
  return {
    customers: s.customers.map((c) => ({ ...c, ...ws })),
    subscriptions: s.subscriptions.map((x) => ({ ...x, ...ws, currency: "USD" })),
    orders: s.orders.map((o) => ({ ...o, ...ws })),
    shipments: s.shipments.map((x) => ({ ...x, ...ws })),
    payments: s.payments.map((x) => ({ ...x, ...ws, currency: "USD" })),
    claims: [],
  };
}

describe("sandbox store", () => {
  it("keeps every case's writes to itself and the shared snapshot untouched", async () => {
    const snap = snapshot();
    const before = JSON.stringify(snap);
    const a = new SandboxStore(snap, "http://x");
    const b = new SandboxStore(snap, "http://x");
    const john = await a.findCustomerByEmail("john.smith@example.com");
    if (!john) throw new Error("no john");
    await a.changeFrequency(john.customerRef, "quarterly");
    await a.changeAddress(john.customerRef, { line1: "1 Elm", city: "Boston", postalCode: "02110", country: "US" });
    await a.createDamageClaim(john.customerRef, {
      orderNumber: (await a.getAccount(john.customerRef))?.orders[0]?.orderNumber ?? "",
      description: "broken",
      photoKeys: [],
    });
    expect((await a.getAccount(john.customerRef))?.subscription?.frequency).toBe("quarterly");
    expect((await b.getAccount(john.customerRef))?.subscription?.frequency).not.toBe("quarterly");
    expect(JSON.stringify(snap)).toBe(before);
    expect([...a.touched]).toEqual([john.customerRef]);
    expect([...b.touched]).toEqual([]);
    expect(await a.stateHash([john.customerRef])).not.toBe(await b.stateHash([john.customerRef]));
  });

  it("hashes the same end state the same, whatever the order of idempotent writes", async () => {
    const snap = snapshot();
    const a = new SandboxStore(snap, "http://x");
    const b = new SandboxStore(snap, "http://x");
    const ref = (await a.findCustomerByEmail("john.smith@example.com"))?.customerRef ?? "";
    await a.skipNextBox(ref);
    await a.skipNextBox(ref, (await b.getAccount(ref))?.subscription?.nextBoxDate?.slice(0, 7));
    await b.skipNextBox(ref);
    expect(await a.stateHash([ref])).toBe(await b.stateHash([ref]));
    expect((await a.skipNextBox(ref, (await b.getAccount(ref))?.subscription?.skippedMonths[0])).changed).toBe(false);
  });
});
