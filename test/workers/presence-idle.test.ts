/**
 * Issue 17, structure 10: Presence does no work when nobody is there. Its alarm (heartbeat
 * sweep, queue drain) re-arms only while a socket is open or a conversation waits.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { presenceStub } from "../../durable-objects/stubs.ts";
import { loginOperator, seedDemo } from "./helpers.ts";
import { isType, openSocket } from "./ws.ts";

beforeAll(async () => {
  await seedDemo();
});

const alarmOf = () => runInDurableObject(presenceStub(env, "ws_demo"), async (_p, state) => state.storage.getAlarm());

describe("idle presence", () => {
  it("stops waking up once the last socket is gone and nothing waits, and starts again on demand", async () => {
    const p = await openSocket(`/parties/presence/ws_demo?token=${await loginOperator()}`);
    await p.next(isType("queue"));
    expect(await alarmOf()).not.toBeNull();
    p.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(await runDurableObjectAlarm(presenceStub(env, "ws_demo"))).toBe(true);
    expect(await alarmOf()).toBeNull();
    // A waiting conversation needs the drain: the alarm is back.
    await presenceStub(env, "ws_demo").enqueue({
      conversationId: "conv_idle_wait",
      enqueuedAt: Date.now(),
      priority: "normal",
      category: null,
      language: null,
      teamId: null,
    });
    expect(await alarmOf()).not.toBeNull();
    await presenceStub(env, "ws_demo").dequeue("conv_idle_wait");
    expect(await runDurableObjectAlarm(presenceStub(env, "ws_demo"))).toBe(true);
    expect(await alarmOf()).toBeNull();
  });
});
