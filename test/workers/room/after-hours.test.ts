/**
 * Seed 003's after-hours mode, room side (issue 18, answers 6): after hours the AI still
 * answers typical questions; a held answer tells the customer the team is away, when it
 * answers, and shows the workspace's own after-hours message.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";
import { CATEGORY_KEYS } from "../../../workers/lib/categories.ts";
import { seedDemo } from "../helpers.ts";
import { nthBot, openWidget } from "../ai/helpers.ts";

beforeAll(async () => {
  await seedDemo();
  await seedKnowledge(env, "ws_demo");
  // A desk that is never open, so the test does not depend on when it runs.
  const ws = await rawDb(env.DB).select().from(schema.workspaces).where(eq(schema.workspaces.id, "ws_demo")).get();
  const settings = {
    ...(ws?.settings ?? {}),
    businessHours: { timeZone: "Asia/Jerusalem", weekly: {}, holidays: [] },
    afterHours: { enabled: true, message: "We're closed for the holiday week." },
    aiMode: "per_category",
    autopilotCategories: CATEGORY_KEYS.filter((c) => c !== "other"),
  };
  await rawDb(env.DB).update(schema.workspaces).set({ settings }).where(eq(schema.workspaces.id, "ws_demo"));
});

describe("after hours", () => {
  it("still answers a knowledge question instead of only saying the team is away", async () => {
    const w = await openWidget();
    w.send("How long does shipping to Canada take?");
    const reply = await nthBot(w, 0);
    expect(reply.content).not.toMatch(/away right now/);
    expect(reply.content).not.toMatch(/colleague/);
    w.close();
  });

  it("tells the customer the team is away when the answer is held, with the workspace's own message", async () => {
    const w = await openWidget();
    w.send("asdkj qwe zzz blorp?");
    const reply = await w.waitFor(() => w.botMessages().find((m) => /away right now/.test(m.content)));
    expect(reply.content).toMatch(/^We're closed for the holiday week\./);
    expect(reply.content).toMatch(/callback/);
    w.close();
  });
});
