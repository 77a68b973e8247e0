import { beforeAll, describe, expect, it } from "vitest";
import { call, loginOperator, seedDemo } from "../workers/helpers.ts";

beforeAll(seedDemo);

describe("item 14: long LIKE patterns answer a clear 400, never a 500", () => {
  it("contact search (full text since the search moved to FTS5): long input is a 200 or a clear 400", async () => {
    const token = await loginOperator();
    for (const q of ["a".repeat(49), "x".repeat(100), "й".repeat(25), "%".repeat(10) + "b".repeat(49)]) {
      const res = await call(`/api/contacts?q=${encodeURIComponent(q)}`, { token });
      expect([200, 400], q).toContain(res.status);
    }
    const tooLong = await call(`/api/contacts?q=${"a".repeat(201)}`, { token });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
  });

  it("conversation tag filter", async () => {
    const token = await loginOperator();
    const res = await call(`/api/conversations?tag=${"t".repeat(60)}`, { token });
    expect(res.status).toBe(400);
    expect((await call(`/api/conversations?tag=${"t".repeat(48)}`, { token })).status).toBe(200);
  });
});
