import { beforeAll, describe, expect, it } from "vitest";
import { call, loginOperator, seedDemo } from "../workers/helpers.ts";

beforeAll(seedDemo);

describe("item 14: long LIKE patterns answer a clear 400, never a 500", () => {
  it("contact search", async () => {
    const token = await loginOperator();
    for (const q of ["a".repeat(49), "x".repeat(100), "й".repeat(25), "%".repeat(10) + "b".repeat(49)]) {
      const res = await call(`/api/contacts?q=${encodeURIComponent(q)}`, { token });
      expect(res.status, q).toBe(400);
      const body: { error: { code: string; details: Array<{ path: string; message: string }> } } = await res.json();
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.details[0]?.message).toMatch(/limited to 48 bytes/);
    }
    // The longest allowed term still runs.
    expect((await call(`/api/contacts?q=${"a".repeat(48)}`, { token })).status).toBe(200);
    expect((await call(`/api/contacts?q=${encodeURIComponent("john.smith@example.com")}`, { token })).status).toBe(200);
  });

  it("conversation tag filter", async () => {
    const token = await loginOperator();
    const res = await call(`/api/conversations?tag=${"t".repeat(60)}`, { token });
    expect(res.status).toBe(400);
    expect((await call(`/api/conversations?tag=${"t".repeat(48)}`, { token })).status).toBe(200);
  });
});
