/** The AI API: router, admin playground (no real customer touched) and copilot suggestions. */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { loginAdmin, loginAnalyst, loginOperator, seedDemo } from "../helpers.ts";
import { aiCall, nthBot, openWidget } from "./helpers.ts";

beforeAll(seedDemo);

describe("AI API", () => {
  it("routes a message for admins and analysts, not operators", async () => {
    const res = await aiCall("/api/ai/route", await loginAnalyst(), { text: "Where is my package?" });
    expect(res.status).toBe(200);
    const body: { primary: string } = await res.json();
    expect(body.primary).toBe("shipping_inquiry");
    expect((await aiCall("/api/ai/route", await loginOperator(), { text: "hi" })).status).toBe(403);
  });

  it("plays the seed 000 request in the playground with simulated actions and no writes", async () => {
    const token = await loginAdmin();
    const before = await rawDb(env.DB)
      .select()
      .from(schema.storeSubscriptions)
      .where(eq(schema.storeSubscriptions.id, "sub_001"))
      .get();
    const convsBefore = (await rawDb(env.DB).select().from(schema.conversations)).length;
    const res = await aiCall("/api/playground/chat", token, {
      messages: [
        { role: "customer", text: "Hi, I received a damaged item in my last box and also want to skip next month" },
      ],
      customerEmail: "john.smith@example.com",
    });
    expect(res.status).toBe(200);
    const body: {
      replies: Array<{ text: string; actionIndex?: number }>;
      route: { primary: string; secondary: string[] };
      actions: Array<{ tool: string; simulatedResult: string | null }>;
      gate: { decision: string };
      trace: Array<{ step: string }>;
    } = await res.json();
    expect(body.route.primary).toBe("damaged_item");
    expect(body.route.secondary).toContain("skip_month");
    expect(body.actions.map((a) => a.tool)).toEqual(["create_damage_claim", "skip_next_box"]);
    expect(body.actions[1]?.simulatedResult).toMatch(/December 2026 box is skipped/);
    expect(body.gate.decision).toBe("send");
    expect(body.trace.map((t) => t.step)).toContain("gate");
    const after = await rawDb(env.DB)
      .select()
      .from(schema.storeSubscriptions)
      .where(eq(schema.storeSubscriptions.id, "sub_001"))
      .get();
    expect(after?.skippedMonths).toEqual(before?.skippedMonths);
    expect((await rawDb(env.DB).select().from(schema.conversations)).length).toBe(convsBefore);
  });

  it("asks an unknown playground customer for the email, then trusts it without a code", async () => {
    const res = await aiCall("/api/playground/chat", await loginAdmin(), {
      messages: [
        { role: "customer", text: "My payment failed" },
        { role: "customer", text: "john.smith@example.com" },
      ],
    });
    const body: { turns: Array<{ replies: Array<{ text: string }> }>; replies: Array<{ text: string }> } =
      await res.json();
    expect(body.turns[0]?.replies.map((r) => r.text).join(" ")).toMatch(/email/i);
    expect(body.replies.map((r) => r.text).join(" ")).toMatch(/payment-method\?session=/);
  });

  it("suggests a copilot reply from the stored messages", async () => {
    const w = await openWidget();
    w.send("Do you have gift subscriptions?");
    await w.waitFor((f) => f.find((x) => x.type === "ack"));
    await nthBot(w, 0);
    const res = await aiCall("/api/ai/suggest", await loginOperator(), { conversationId: w.conversationId });
    expect(res.status).toBe(200);
    const body: { category: string; sentiment: string; summary: string } = await res.json();
    expect(body.category).toBe("general_question");
    expect(body.sentiment).toBe("neutral");
    expect(body.summary).toContain("gift subscriptions");
    expect((await aiCall("/api/ai/suggest", await loginAnalyst(), { conversationId: w.conversationId })).status).toBe(
      403,
    );
    w.close();
  });
});
