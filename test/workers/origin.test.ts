import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loginAdmin, seedDemo } from "./helpers.ts";

beforeAll(seedDemo);

describe("webhook URLs and the favicon", () => {
  it("inbox webhook URLs carry the origin the dashboard is served from in development", async () => {
    const token = await loginAdmin();
    const res = await SELF.fetch("http://127.0.0.1:8805/api/inboxes", {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const body: { items: Array<{ channel: string; webhookUrl: string | null }> } = await res.json();
    const telegram = body.items.find((i) => i.channel === "telegram");
    expect(telegram?.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:8805\/webhooks\/telegram\//);
  });

  it("/favicon.ico points at the served icon", async () => {
    const res = await SELF.fetch("http://localhost/favicon.ico", { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/favicon.svg");
  });
});
