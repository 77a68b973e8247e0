/**
 * The engine starts a knowledge question's retrieval together with its first reads, and
 * the agent then uses that retrieval instead of reading again (issue 17: retrieval was the
 * longest wait before a knowledge answer's first token, and it waited for those reads).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runTurnWith, type PreloadedContext } from "../../../workers/ai/engine.ts";
import { tenantDb } from "../../../workers/ai/agent/context.ts";
import { preloadContext } from "../../../workers/evals/preload.ts";
import type { CategoryKey } from "../../../workers/lib/categories.ts";
import { seedKnowledge } from "../../../workers/knowledge/seed.ts";
import { seedDemo } from "../helpers.ts";

const WS = "ws_demo";

beforeAll(async () => {
  await seedDemo();
  await seedKnowledge(env, WS);
});

/**
 * The batch loaders of the Eval Lab, with the category rows held back one macrotask and
 * every retrieval recorded with whether any category row had arrived yet (the engine
 * awaits them with its other first reads).
 */
async function watched(): Promise<{
  pre: PreloadedContext;
  calls: Array<{ query: string; key: CategoryKey; early: boolean }>;
}> {
  const base = await preloadContext(env, tenantDb(env, WS));
  let arrived = 0;
  const calls: Array<{ query: string; key: CategoryKey; early: boolean }> = [];
  return {
    calls,
    pre: {
      ...base,
      category: async (key) => {
        await new Promise((r) => setTimeout(r, 0));
        arrived++;
        return base.category(key);
      },
      knowledge: (query, key) => {
        calls.push({ query, key, early: arrived === 0 });
        return base.knowledge(query, key);
      },
    },
  };
}

function turn(text: string, pre: PreloadedContext, history: Array<{ role: "customer" | "bot"; text: string }> = []) {
  return runTurnWith(
    env,
    {
      workspaceId: WS,
      conversationId: `conv-prefetch-${Math.random().toString(36).slice(2, 8)}`,
      channel: "widget",
      text,
      language: "en",
      history,
      memory: {},
      attachmentKeys: [],
      contactName: null,
    },
    () => undefined,
    { preloaded: pre, contactIdentity: async () => null },
  );
}

describe("knowledge retrieval alongside the turn's first reads", () => {
  it("a policy question's retrieval starts before the category rows arrive and is the one the answer uses", async () => {
    const { pre, calls } = await watched();
    const text = "How much does shipping to Canada cost?";
    const res = await turn(text, pre);
    expect(res.replies.map((r) => r.text).join(" ")).toMatch(/Canada/);
    expect(calls[0]).toEqual({ query: text, key: res.route?.primary, early: true });
    // Memoised per turn: the agent asked for the same retrieval and got the early one.
    expect(calls.filter((c) => c.query === text && c.key === res.route?.primary)).toHaveLength(1);
  });

  it("an account request from an unidentified customer starts no retrieval and only asks for the email", async () => {
    const { pre, calls } = await watched();
    const res = await turn("Pause my subscription for two months", pre);
    expect(res.replies.map((r) => r.text).join(" ")).toMatch(/email/i);
    expect(calls).toEqual([]);
  });
});
