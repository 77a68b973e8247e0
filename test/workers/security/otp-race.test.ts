/**
 * Issue 21, High 1: the email code's attempt limit could be raced. 200 wrong guesses sent
 * back to back over the widget socket were all checked (the count was read, compared and
 * written later while the room handled frames concurrently) and a right code afterwards
 * verified the visitor. Now every check takes an attempt with one conditional UPDATE, the
 * code locks after five whatever the concurrency, and issuing is capped per conversation
 * and per email address.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { rawDb, schema } from "../../../workers/db/client.ts";
import {
  checkCode,
  issueCode,
  MAX_CODES_PER_CONVERSATION,
  MAX_CODES_PER_EMAIL,
} from "../../../workers/ai/identify/service.ts";
import { MAX_CODE_ATTEMPTS } from "../../../workers/ai/identify/otp.ts";
import { seedDemo } from "../helpers.ts";
import { openWidget } from "../ai/helpers.ts";

const RIGHT = "482913";
const JOHN = "john.smith@example.com";

beforeAll(async () => {
  await seedDemo();
  Object.assign(env, { TEST_FIXED_OTP: RIGHT });
  vi.spyOn(env.EMAIL, "send").mockImplementation(async () => ({ messageId: "test-message" }));
});

async function codesOf(conversationId: string) {
  return rawDb(env.DB)
    .select()
    .from(schema.verificationCodes)
    .where(eq(schema.verificationCodes.conversationId, conversationId));
}

const wrong = (i: number) => String(100000 + i).padStart(6, "0");

describe("email code attempts", () => {
  it("checks at most five of 200 parallel guesses, then refuses the right code", async () => {
    const conv = "conv_otp_race_service";
    expect(await issueCode(env, "ws_demo", conv, JOHN, "Lev Haolam")).toEqual({ ok: true });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => checkCode(env, "ws_demo", conv, wrong(i))));
    const checked = results.filter((r) => !r.ok && r.reason === "wrong");
    expect(checked.length).toBeLessThanOrEqual(MAX_CODE_ATTEMPTS);
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(await checkCode(env, "ws_demo", conv, RIGHT)).toEqual({ ok: false, reason: "locked" });
    const [row] = await codesOf(conv);
    expect(row?.attempts).toBe(MAX_CODE_ATTEMPTS);
    expect(row?.consumedAt).toBeNull();
  }, 60_000);

  it("refuses a right code typed after 200 wrong guesses over the widget socket", async () => {
    const w = await openWidget();
    w.send("Where is my package? I think it's lost");
    await w.waitFor(() => w.botMessages().find((m) => /email/i.test(m.content)));
    w.send(JOHN);
    await w.waitFor(() => w.botMessages().find((m) => /6-digit code/.test(m.content)));
    const acks = () => w.frames.flatMap((f) => (f.type === "ack" ? [f] : []));
    const acked = acks().length;
    for (let i = 0; i < 200; i++) w.send(wrong(i));
    // Every guess is stored and acknowledged; the code locks on the way.
    await w.waitFor(() => (acks().length >= acked + 200 ? true : undefined));
    await w.waitFor(() => w.botMessages().find((m) => /locked/.test(m.content)));
    w.send(RIGHT);
    const right = await w.waitFor(() => acks()[acked + 200]);
    // The right code is answered (whatever the guesses' answers still in flight say)…
    await w.waitFor(() => w.botMessages().find((m) => m.seq > right.seq));
    const all = w.botMessages().map((m) => m.content);
    expect(all.some((c) => /verified/i.test(c))).toBe(false);
    const rows = await codesOf(w.conversationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.attempts).toBe(MAX_CODE_ATTEMPTS);
    expect(rows[0]?.consumedAt).toBeNull();
    const conv = await rawDb(env.DB)
      .select()
      .from(schema.conversations)
      .where(eq(schema.conversations.id, w.conversationId))
      .get();
    const contact = await rawDb(env.DB)
      .select()
      .from(schema.contacts)
      .where(eq(schema.contacts.id, conv?.contactId ?? ""))
      .get();
    expect(contact?.customerRef ?? null).toBeNull();
    w.close();
  }, 120_000);
});

describe("issuing codes", () => {
  it("caps codes per conversation", async () => {
    const conv = "conv_otp_issue_cap";
    const got = [];
    for (let i = 0; i < MAX_CODES_PER_CONVERSATION + 2; i++)
      got.push(await issueCode(env, "ws_demo", conv, `cap${i}@example.com`, "Lev Haolam"));
    expect(got.filter((r) => r.ok)).toHaveLength(MAX_CODES_PER_CONVERSATION);
    expect(got.at(-1)).toEqual({ ok: false, reason: "rate_limited" });
    expect(await codesOf(conv)).toHaveLength(MAX_CODES_PER_CONVERSATION);
  });

  it("caps codes per email address across conversations, also in parallel", async () => {
    const email = "victim.cap@example.com";
    const got = await Promise.all(
      Array.from({ length: 12 }, (_, i) => issueCode(env, "ws_demo", `conv_email_cap_${i}`, email, "Lev Haolam")),
    );
    expect(got.filter((r) => r.ok)).toHaveLength(MAX_CODES_PER_EMAIL);
    const rows = await rawDb(env.DB)
      .select()
      .from(schema.verificationCodes)
      .where(eq(schema.verificationCodes.email, email));
    expect(rows).toHaveLength(MAX_CODES_PER_EMAIL);
  });

  it("tells the customer plainly when no further code can be sent", async () => {
    const w = await openWidget();
    w.send("Where is my package? I think it's lost");
    await w.waitFor(() => w.botMessages().find((m) => /email/i.test(m.content)));
    for (let i = 0; i < MAX_CODES_PER_CONVERSATION; i++) {
      const n = w.botMessages().length;
      w.send(JOHN);
      await w.waitFor(() => w.botMessages()[n]);
    }
    const n = w.botMessages().length;
    w.send(JOHN);
    const refused = await w.waitFor(() => w.botMessages()[n]);
    expect(refused.content).toMatch(/can't send another code/);
    expect(await codesOf(w.conversationId)).toHaveLength(MAX_CODES_PER_CONVERSATION);
    w.close();
  }, 60_000);
});
