/**
 * HTTP commerce connector: the same CommerceConnector over a shop's own REST API, so a
 * real store plugs in without code changes. The wire format is HTTP_CONTRACT.md; every
 * response is validated with zod because the shop is another system we do not control.
 */
import { z } from "zod";
import { CommerceError } from "./types.ts";
import type { AccountSnapshot, CommerceConnector, Frequency, ShipmentView, WriteResult } from "./types.ts";
import type { PostalAddress } from "../db/schema.ts";

export interface HttpConnectorOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  fetcher?: typeof fetch;
}

const Address = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string().optional(),
  postalCode: z.string(),
  country: z.string(),
});
const Shipment = z.object({
  orderNumber: z.string(),
  boxMonth: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  trackingUrl: z.string(),
  status: z.enum(["label_created", "in_transit", "out_for_delivery", "delivered", "exception"]),
  lastEvent: z.object({ at: z.string(), status: z.string(), location: z.string() }).nullable(),
  estimatedDelivery: z.string().nullable(),
});
const Account = z.object({
  customerRef: z.string(),
  name: z.string(),
  email: z.string(),
  address: Address,
  subscription: z
    .object({
      plan: z.string(),
      status: z.enum(["active", "paused", "cancelled"]),
      frequency: z.enum(["monthly", "bimonthly", "quarterly"]),
      priceCents: z.number().int(),
      currency: z.string(),
      nextBoxDate: z.string().nullable(),
      pausedUntil: z.string().nullable(),
      skippedMonths: z.array(z.string()),
    })
    .nullable(),
  latestShipment: Shipment.nullable(),
  orders: z.array(
    z.object({
      orderNumber: z.string(),
      boxMonth: z.string(),
      status: z.enum(["processing", "shipped", "delivered", "returned"]),
      items: z.array(z.string()),
    }),
  ),
  latestPayment: z
    .object({
      status: z.enum(["succeeded", "failed", "pending"]),
      amountCents: z.number().int(),
      currency: z.string(),
      failureReason: z.string().nullable(),
      at: z.string(),
    })
    .nullable(),
});
const Customer = z.object({ customerRef: z.string(), name: z.string(), email: z.string() });
const Write = z.object({ changed: z.boolean(), detail: z.record(z.string(), z.unknown()).default({}) });
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export class HttpCommerceConnector implements CommerceConnector {
  readonly id = "http";
  readonly #o: Required<Omit<HttpConnectorOptions, "fetcher">> & { fetcher: typeof fetch };

  constructor(o: HttpConnectorOptions) {
    this.#o = {
      baseUrl: o.baseUrl.replace(/\/$/, ""),
      apiKey: o.apiKey,
      timeoutMs: o.timeoutMs ?? 10_000,
      fetcher: o.fetcher ?? ((...a) => fetch(...a)),
    };
  }

  async findCustomerByEmail(email: string) {
    return this.#call(
      "GET",
      `/customers?email=${encodeURIComponent(email.trim().toLowerCase())}`,
      Customer,
      undefined,
      true,
    );
  }
  async getAccount(customerRef: string): Promise<AccountSnapshot | null> {
    return this.#call("GET", `${this.#c(customerRef)}/account`, Account, undefined, true);
  }
  async trackShipment(customerRef: string, orderNumber?: string): Promise<ShipmentView | null> {
    const q = orderNumber ? `?order=${encodeURIComponent(orderNumber)}` : "";
    return this.#call("GET", `${this.#c(customerRef)}/shipments/latest${q}`, Shipment, undefined, true);
  }
  pauseUntil(customerRef: string, until: string): Promise<WriteResult> {
    return this.#write("POST", `${this.#c(customerRef)}/subscription/pause`, { until });
  }
  skipNextBox(customerRef: string, month?: string): Promise<WriteResult> {
    return this.#write("POST", `${this.#c(customerRef)}/subscription/skip`, month ? { month } : {});
  }
  changeFrequency(customerRef: string, frequency: Frequency): Promise<WriteResult> {
    return this.#write("POST", `${this.#c(customerRef)}/subscription/frequency`, { frequency });
  }
  changeAddress(customerRef: string, address: PostalAddress): Promise<WriteResult> {
    return this.#write("PUT", `${this.#c(customerRef)}/address`, { address });
  }
  createDamageClaim(
    customerRef: string,
    claim: { orderNumber: string; description: string; photoKeys: string[] },
  ): Promise<WriteResult> {
    return this.#write("POST", `${this.#c(customerRef)}/damage-claims`, claim);
  }
  async paymentUpdateLink(customerRef: string) {
    return this.#must(
      await this.#call(
        "POST",
        `${this.#c(customerRef)}/payment-update-link`,
        z.object({ url: z.url(), expiresAt: z.string() }),
        {},
      ),
    );
  }
  async cancellationLink(customerRef: string) {
    return this.#must(
      await this.#call("POST", `${this.#c(customerRef)}/cancellation-link`, z.object({ url: z.url() }), {}),
    );
  }
  cancelSubscription(customerRef: string, reason: string | null): Promise<WriteResult> {
    return this.#write("POST", `${this.#c(customerRef)}/subscription/cancel`, { reason });
  }

  #c(ref: string): string {
    return `/customers/${encodeURIComponent(ref)}`;
  }

  async #write(method: string, path: string, body: Record<string, unknown>): Promise<WriteResult> {
    return this.#must(await this.#call(method, path, Write, body));
  }

  #must<T>(v: T | null): T {
    if (v === null) throw new CommerceError("not_found", "Not found");
    return v;
  }

  async #call<T extends z.ZodType>(
    method: string,
    path: string,
    schema: T,
    body?: Record<string, unknown>,
    nullOn404 = false,
  ): Promise<z.infer<T> | null> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#o.apiKey}`, accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await this.#o.fetcher(`${this.#o.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.#o.timeoutMs),
      });
    } catch (err) {
      throw new CommerceError("unreachable", `Shop API unreachable: ${err instanceof Error ? err.name : "error"}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (res.status === 404 && nullOn404) return null;
    if (!res.ok) {
      const e = ErrorBody.safeParse(json);
      throw new CommerceError(
        e.success ? e.data.error.code : `http_${res.status}`,
        e.success ? e.data.error.message : `Shop API answered ${res.status}`,
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new CommerceError(
        "bad_response",
        `Shop API response did not match the contract for ${method} ${path.split("?")[0]}`,
      );
    return parsed.data;
  }
}
