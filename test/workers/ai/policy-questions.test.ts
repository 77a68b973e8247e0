import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { env } from "cloudflare:workers";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";

interface Out {
  replies: Array<{ text: string; citations?: Array<{ title: string }> }>;
  gate: { decision: string };
  handoff: { reason: string } | null;
}

beforeAll(async () => {
  await seedDemo();
  await seedKnowledge(env, "ws_demo");
}, 120_000);

async function ask(text: string): Promise<Out> {
  const token = await loginAdmin();
  const res = await call("/api/playground/chat", {
    method: "POST",
    token,
    json: { messages: [{ role: "customer", text }] },
  });
  expect(res.status).toBe(200);
  return res.json();
}

describe("policy questions with the local provider", () => {
  it("answers a general shipping question from the FAQ without asking for an email", async () => {
    const out = await ask("How long does shipping to Canada take?");
    expect(out.gate.decision).toBe("send");
    const text = out.replies.map((r) => r.text).join("\n");
    expect(text).not.toMatch(/email address/i);
    expect(out.replies.some((r) => r.citations?.some((c) => c.title === "Shipping and Delivery"))).toBe(true);
  });

  it("answers what is in the box from the FAQ and sends it", async () => {
    const out = await ask("What is in the box this month?");
    expect(out.gate.decision).toBe("send");
    expect(out.replies.some((r) => r.citations?.some((c) => c.title === "About Our Boxes"))).toBe(true);
  });

  it("asks for the email when the question is about the customer's own box", async () => {
    const out = await ask("Where is my box?");
    expect(out.replies.map((r) => r.text).join(" ")).toMatch(/email/i);
  });

  it("answers a Russian question from the Russian quick answers, in Russian, with the row that answers", async () => {
    const out = await ask("Сколько идёт доставка в Германию?");
    expect(out.gate.decision).toBe("send");
    const text = out.replies.map((r) => r.text).join("\n");
    expect(text).toMatch(/8–16 рабочих дней/);
    expect(text).not.toMatch(/\|/);
    expect(out.replies.some((r) => r.citations?.some((c) => c.title === "Быстрые ответы"))).toBe(true);
  });

  it("hands over instead of staying silent when no passage answers", async () => {
    const out = await ask("Сколько весит коробка вместе с упаковкой?");
    expect(out.replies.length).toBeGreaterThan(0);
    expect(out.handoff?.reason).toBe("No knowledge-base answer");
  });
});
