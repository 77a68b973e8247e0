import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  advanceAfterHours,
  afterHoursRequest,
  parseContact,
  startAfterHours,
} from "../../../durable-objects/lib/after-hours.ts";
import type { AfterHoursState } from "../../../durable-objects/lib/after-hours.ts";
import {
  afterHoursFlow,
  idempotencyKey,
  nextSeq,
  normaliseClientId,
  resumeFrom,
} from "../../../durable-objects/lib/sequence.ts";

const log = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, text: `m${from + i}` }));

describe("resumeFrom", () => {
  it("replays what the client has not seen", () => {
    expect(resumeFrom(3, log(1, 5))).toEqual({ kind: "replay", messages: log(4, 5) });
    expect(resumeFrom(5, log(1, 5))).toEqual({ kind: "replay", messages: [] });
  });

  it("gives a fresh client everything only if the window starts at the beginning", () => {
    expect(resumeFrom(null, log(1, 3))).toEqual({ kind: "replay", messages: log(1, 3) });
    expect(resumeFrom(null, [])).toEqual({ kind: "replay", messages: [] });
    expect(resumeFrom(null, log(10, 12))).toEqual({ kind: "full_sync", latestSeq: 12 });
  });

  it("asks for a full sync when the client fell behind the retained window", () => {
    expect(resumeFrom(9, log(10, 12))).toEqual({ kind: "replay", messages: log(10, 12) });
    expect(resumeFrom(8, log(10, 12))).toEqual({ kind: "full_sync", latestSeq: 12 });
  });

  it("asks for a full sync when the client is ahead of the log or sends nonsense", () => {
    expect(resumeFrom(13, log(10, 12))).toEqual({ kind: "full_sync", latestSeq: 12 });
    expect(resumeFrom(-1, log(1, 2))).toEqual({ kind: "full_sync", latestSeq: 2 });
    expect(resumeFrom(1.5, log(1, 2))).toEqual({ kind: "full_sync", latestSeq: 2 });
  });

  it("a replay always continues exactly after lastSeq with no gaps (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 90 }),
        (first, len, last) => {
          const window = len === 0 ? [] : log(first, first + len - 1);
          const plan = resumeFrom(last, window);
          if (plan.kind === "replay") {
            plan.messages.forEach((m, i) => expect(m.seq).toBe(last + 1 + i));
            expect(last + plan.messages.length).toBe(Math.max(last, window[window.length - 1]?.seq ?? 0));
          }
        },
      ),
    );
  });

  it("numbers the next message after the last", () => {
    expect(nextSeq([])).toBe(1);
    expect(nextSeq(log(4, 9))).toBe(10);
  });
});

describe("client ids", () => {
  it("accepts 8–64 URL-safe characters, trimmed, case kept", () => {
    expect(normaliseClientId("  Ab_cd-12  ")).toBe("Ab_cd-12");
    expect(normaliseClientId("x".repeat(64))).toBe("x".repeat(64));
  });

  it("rejects short, long, non-string and unsafe ids", () => {
    for (const bad of [
      "short",
      "x".repeat(65),
      "has space1",
      "semi;colon",
      "ünïcode123",
      12345678,
      null,
      undefined,
      {},
    ]) {
      expect(normaliseClientId(bad)).toBeNull();
    }
  });

  it("scopes the idempotency key by author", () => {
    expect(idempotencyKey("contact", "v1", "abcdefgh")).not.toBe(idempotencyKey("contact", "v2", "abcdefgh"));
    expect(idempotencyKey("operator", "op1", "abcdefgh")).toBe("operator:op1:abcdefgh");
  });
});

describe("after-hours flow", () => {
  function run(inputs: string[]): { state: AfterHoursState; errors: string[] } {
    let state = startAfterHours().state;
    const errors: string[] = [];
    for (const input of inputs) {
      const r = advanceAfterHours(state, input);
      if (!r.ok) errors.push(r.error);
      state = r.state;
    }
    return { state, errors };
  }

  it("collects name, contact and question, confirms, offers a callback to the given phone", () => {
    let r = advanceAfterHours(startAfterHours().state, "  Dana ");
    expect(r.prompt).toEqual({ kind: "ask_contact" });
    r = advanceAfterHours(r.state, "+972 (50) 123-4567");
    expect(r.prompt).toEqual({ kind: "ask_question" });
    r = advanceAfterHours(r.state, "Where is my box?");
    expect(r.prompt).toEqual({
      kind: "confirm",
      name: "Dana",
      contact: { kind: "phone", value: "+972501234567" },
      question: "Where is my box?",
    });
    r = advanceAfterHours(r.state, "Yes!");
    expect(r.prompt).toEqual({ kind: "offer_callback" });
    r = advanceAfterHours(r.state, "да");
    expect(r.prompt).toEqual({ kind: "done", callbackRequested: true });
    expect(afterHoursRequest(r.state)).toEqual({
      name: "Dana",
      contact: { kind: "phone", value: "+972501234567" },
      question: "Where is my box?",
      callbackPhone: "+972501234567",
    });
  });

  it("asks for a phone when the contact was an email and a callback is wanted", () => {
    const { state, errors } = run(["Dana", "Dana@Example.COM", "Skip May", "oui", "yes", "12", "050-123-4567"]);
    expect(errors).toEqual(["invalid_phone"]);
    expect(afterHoursRequest(state)).toEqual({
      name: "Dana",
      contact: { kind: "email", value: "dana@example.com" },
      question: "Skip May",
      callbackPhone: "0501234567",
    });
  });

  it("finishes without a callback when declined", () => {
    const { state } = run(["Dana", "dana@example.com", "Hi", "y", "no"]);
    expect(afterHoursRequest(state)?.callbackPhone).toBeNull();
    expect(state.step).toBe("done");
  });

  it("re-asks with a typed error and an unchanged state on bad input", () => {
    const start = startAfterHours().state;
    expect(advanceAfterHours(start, "   ")).toEqual({
      ok: false,
      error: "empty",
      state: start,
      prompt: { kind: "ask_name" },
    });
    expect(advanceAfterHours(start, "x".repeat(101))).toMatchObject({ ok: false, error: "too_long" });
    const { state, errors } = run(["Dana", "not a contact", "dana@example.com", "", "Q", "maybe"]);
    expect(errors).toEqual(["invalid_contact", "empty", "expected_yes_no"]);
    expect(state.step).toBe("confirm");
  });

  it("starts over when the summary is rejected and refuses input once done", () => {
    const { state } = run(["Dana", "dana@example.com", "Q", "нет"]);
    expect(state).toEqual(startAfterHours().state);
    const done = run(["Dana", "dana@example.com", "Q", "yes", "no"]).state;
    expect(advanceAfterHours(done, "hello")).toMatchObject({ ok: false, error: "flow_finished", state: done });
    expect(afterHoursRequest(run(["Dana"]).state)).toBeNull();
  });

  it("parses contacts: email or 7–15 digit phone", () => {
    expect(parseContact("a@b.co")).toEqual({ kind: "email", value: "a@b.co" });
    expect(parseContact("123456")).toBeNull();
    expect(parseContact("1234567890123456")).toBeNull();
    expect(parseContact("call me")).toBeNull();
  });

  it("is exposed as afterHoursFlow from the sequence module", () => {
    const { state } = afterHoursFlow.start();
    expect(afterHoursFlow.advance(state, "Dana").state.name).toBe("Dana");
  });
});
