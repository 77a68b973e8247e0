import { describe, expect, it } from "vitest";
import { call } from "./helpers.ts";

describe("health", () => {
  it("answers with the database reachable", async () => {
    const res = await call("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: true });
  });
});
