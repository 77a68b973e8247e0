/** The HTTP commerce connector against a mocked fetch speaking HTTP_CONTRACT.md, and executeWith's messages. */
import { describe, expect, it } from "vitest";
import { HttpCommerceConnector } from "../../../workers/commerce/http.ts";
import { executeWith } from "../../../workers/commerce/execute.ts";
import { CommerceError } from "../../../workers/commerce/types.ts";

function fake(routes: Record<string, (body: unknown) => Response>) {
  const calls: Array<{ method: string; url: string; auth: string | null; body: unknown }> = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? "GET";
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : null;
    calls.push({ method, url, auth: new Headers(init?.headers).get("authorization"), body });
    const path = new URL(url).pathname + new URL(url).search;
    const h = routes[`${method} ${path}`];
    return h ? h(body) : new Response(JSON.stringify({ error: { code: "not_found", message: "no" } }), { status: 404 });
  };
  return {
    calls,
    connector: new HttpCommerceConnector({ baseUrl: "https://shop.test/api/", apiKey: "shop-key", fetcher }),
  };
}
const ok = (b: unknown) =>
  new Response(JSON.stringify(b), { status: 200, headers: { "content-type": "application/json" } });

describe("HTTP commerce connector", () => {
  it("looks customers up, returns null on 404, and sends the bearer key", async () => {
    const { calls, connector } = fake({
      "GET /api/customers?email=john%40x.com": () => ok({ customerRef: "C-1", name: "John", email: "john@x.com" }),
    });
    expect(await connector.findCustomerByEmail(" John@x.com ")).toEqual({
      customerRef: "C-1",
      name: "John",
      email: "john@x.com",
    });
    expect(await connector.findCustomerByEmail("nobody@x.com")).toBeNull();
    expect(calls[0]?.auth).toBe("Bearer shop-key");
  });

  it("posts writes with their JSON body and maps errors to CommerceError", async () => {
    const { calls, connector } = fake({
      "POST /api/customers/C-1/subscription/skip": () =>
        ok({ changed: true, detail: { skippedMonth: "2026-12", nextBoxDate: "2027-01-15" } }),
      "POST /api/customers/C-1/subscription/pause": () =>
        new Response(JSON.stringify({ error: { code: "too_long", message: "Pause too long" } }), { status: 422 }),
    });
    const res = await executeWith(connector, "C-1", "skip_next_box", { month: "2026-12", language: "en" });
    expect(res.message).toMatch(
      /^Done: your December 2026 box is skipped\. Your next box ships on January 15, 2027\.$/,
    );
    expect(calls[0]?.body).toEqual({ month: "2026-12" });
    const err = await connector.pauseUntil("C-1", "2027-09-01").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommerceError);
    expect(err instanceof CommerceError && err.code).toBe("too_long");
  });

  it("rejects responses that break the contract", async () => {
    const { connector } = fake({ "POST /api/customers/C-1/subscription/frequency": () => ok({ changed: "yes" }) });
    const err = await connector.changeFrequency("C-1", "quarterly").catch((e: unknown) => e);
    expect(err instanceof CommerceError && err.code).toBe("bad_response");
  });

  it("refuses to execute without a verified customer", async () => {
    const { connector } = fake({});
    await expect(executeWith(connector, null, "skip_next_box", {})).rejects.toThrow(/verified/);
  });
});
