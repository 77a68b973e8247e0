/**
 * Seed 000 end to end through the widget socket: a damaged item plus "skip next month"
 * → email asked → one-time code → verified → claim and skip proposed → both confirmed
 * → both executed exactly once in the demo store and visible to operators.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { call, loginAdmin, seedDemo } from "../helpers.ts";
import { nthBot, openWidget } from "./helpers.ts";

beforeAll(async () => {
  await seedDemo();
  // Honoured only outside production: pins the one-time code so the test can type it.
  Object.assign(env, { TEST_FIXED_OTP: "482913" });
});

describe("seed 000 walkthrough", () => {
  it("identifies John, proposes the claim then the skip, and executes each once", async () => {
    // The binding is an RPC stub, so the spy answers itself instead of calling through.
    const send = vi.spyOn(env.EMAIL, "send").mockImplementation(async () => ({ messageId: "test-message" }));
    const w = await openWidget();
    w.send("Hi, I received a damaged item in my last box and also want to skip next month");
    const ask = await nthBot(w, 1);
    expect(ask.content).toMatch(/email/i);
    const sorry = w.botMessages()[0];
    expect(sorry?.content).toMatch(/sorry/i);

    w.send("john.smith@example.com");
    const codeMsg = await nthBot(w, 2);
    expect(codeMsg.content).toMatch(/6-digit code/);
    expect(send).toHaveBeenCalledTimes(1);
    const codes = await rawDb(env.DB)
      .select()
      .from(schema.verificationCodes)
      .where(eq(schema.verificationCodes.conversationId, w.conversationId));
    expect(codes).toHaveLength(1);
    expect(codes[0]?.codeHash).not.toContain("482913");

    w.send("482913");
    const verified = await nthBot(w, 3);
    expect(verified.content).toMatch(/John, you're verified/);
    const proposals = await w.waitFor(() => {
      const withAction = w.botMessages().filter((m) => m.actionId);
      return withAction.length >= 2 ? withAction : undefined;
    });
    const [claim, skip] = proposals;
    if (!claim || !skip) throw new Error("expected two proposals");
    expect(
      w
        .botMessages()
        .map((m) => m.content)
        .indexOf(claim.content),
    ).toBeLessThan(
      w
        .botMessages()
        .map((m) => m.content)
        .indexOf(skip.content),
    );
    expect(claim.content).toMatch(/damage claim for your .* box \(LH-\d+\)/);
    expect(skip.content).toMatch(/skip your December 2026 box/);
    expect(claim.actionId).toBeTruthy();
    expect(skip.actionId).toBeTruthy();
    expect(claim.buttons.map((b) => b.title)).toEqual(["Confirm", "Cancel"]);

    w.decide(claim.actionId ?? "", "confirm");
    const count = w.botMessages().length;
    const claimDone = await nthBot(w, count);
    expect(claimDone.content).toMatch(/damage claim for box LH-\d+ is filed/);
    w.decide(skip.actionId ?? "", "confirm");
    const skipDone = await nthBot(w, count + 1);
    expect(skipDone.content).toMatch(/December 2026 box is skipped/);

    const db = rawDb(env.DB);
    const claims = await db
      .select()
      .from(schema.storeDamageClaims)
      .where(
        and(eq(schema.storeDamageClaims.workspaceId, "ws_demo"), eq(schema.storeDamageClaims.customerId, "cus_001")),
      );
    expect(claims).toHaveLength(1);
    expect(claims[0]?.description).toContain("damaged item");
    const sub = await db
      .select()
      .from(schema.storeSubscriptions)
      .where(eq(schema.storeSubscriptions.id, "sub_001"))
      .get();
    expect(sub?.skippedMonths).toEqual(["2026-12"]);
    expect(sub?.nextBoxDate).toBe("2027-01-15");

    // A second confirmation of the same action is refused; nothing runs twice.
    w.decide(skip.actionId ?? "", "confirm");
    await w.waitFor((f) => f.find((x) => x.type === "error" && x.code === "already_decided"));
    const again = await db
      .select()
      .from(schema.storeSubscriptions)
      .where(eq(schema.storeSubscriptions.id, "sub_001"))
      .get();
    expect(again?.skippedMonths).toEqual(["2026-12"]);

    const admin = await loginAdmin();
    const res = await call(`/api/conversations/${w.conversationId}/actions`, { token: admin });
    expect(res.status).toBe(200);
    const body: { items: Array<{ tool: string; status: string }> } = await res.json();
    expect(body.items.map((a) => [a.tool, a.status]).sort()).toEqual([
      ["create_damage_claim", "executed"],
      ["skip_next_box", "executed"],
    ]);
    w.close();
  }, 120_000);
});
