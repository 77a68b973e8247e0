/**
 * A connector for the playground and copilot suggestions: reads go to the real
 * connector, writes are recorded and answered as if they succeeded, so an admin can try
 * the whole flow on demo data without changing any customer's account.
 */
import type { CommerceConnector, Frequency, WriteResult } from "./types.ts";
import type { PostalAddress } from "../db/schema.ts";

export class SimulatedConnector implements CommerceConnector {
  readonly id: string;
  readonly writes: Array<{ method: string; customerRef: string; args: Record<string, unknown> }> = [];
  readonly #inner: CommerceConnector;

  constructor(inner: CommerceConnector) {
    this.#inner = inner;
    this.id = `simulated:${inner.id}`;
  }

  findCustomerByEmail(email: string) {
    return this.#inner.findCustomerByEmail(email);
  }
  getAccount(customerRef: string) {
    return this.#inner.getAccount(customerRef);
  }
  trackShipment(customerRef: string, orderNumber?: string) {
    return this.#inner.trackShipment(customerRef, orderNumber);
  }
  paymentUpdateLink(customerRef: string) {
    return this.#inner.paymentUpdateLink(customerRef);
  }
  cancellationLink(customerRef: string) {
    return this.#inner.cancellationLink(customerRef);
  }
  pauseUntil(customerRef: string, until: string) {
    return this.#record("pauseUntil", customerRef, { until });
  }
  async skipNextBox(customerRef: string, month?: string) {
    const account = await this.#inner.getAccount(customerRef);
    const next = account?.subscription?.nextBoxDate ?? null;
    return this.#record("skipNextBox", customerRef, {
      skippedMonth: month ?? next?.slice(0, 7) ?? null,
      nextBoxDate: next,
    });
  }
  changeFrequency(customerRef: string, frequency: Frequency) {
    return this.#record("changeFrequency", customerRef, { frequency });
  }
  changeAddress(customerRef: string, address: PostalAddress) {
    return this.#record("changeAddress", customerRef, { address });
  }
  createDamageClaim(customerRef: string, claim: { orderNumber: string; description: string; photoKeys: string[] }) {
    return this.#record("createDamageClaim", customerRef, { ...claim });
  }
  cancelSubscription(customerRef: string, reason: string | null) {
    return this.#record("cancelSubscription", customerRef, { reason });
  }

  async #record(method: string, customerRef: string, args: Record<string, unknown>): Promise<WriteResult> {
    this.writes.push({ method, customerRef, args });
    return { changed: true, detail: { ...args, simulated: true } };
  }
}
