/**
 * Property: webhook parsers either return a ParsedWebhook or throw WebhookParseError for
 * any JSON value, including near-miss shapes built from the real fixture envelopes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseMessengerWebhook } from "../../../workers/channels/messenger/parse.ts";
import { WebhookParseError } from "../../../workers/channels/common/errors.ts";
import { parseTelegramUpdate } from "../../../workers/channels/telegram/parse.ts";
import type { ParsedWebhook } from "../../../workers/channels/types.ts";
import { parseWhatsAppWebhook } from "../../../workers/channels/whatsapp/parse.ts";

const parsers: Array<[string, (json: unknown) => ParsedWebhook]> = [
  ["telegram", (j) => parseTelegramUpdate(j)],
  ["whatsapp", parseWhatsAppWebhook],
  ["messenger", parseMessengerWebhook],
];

/** Outcome of one call: "ok" or "parse-error"; anything else is reported as the error itself. */
function outcome(parse: (json: unknown) => ParsedWebhook, input: unknown): "ok" | "parse-error" | unknown {
  try {
    const res = parse(input);
    return Array.isArray(res.messages) && Array.isArray(res.statuses) && Array.isArray(res.ignored) ? "ok" : res;
  } catch (err) {
    return err instanceof WebhookParseError ? "parse-error" : err;
  }
}

const anyJson = fc.jsonValue();
/** Envelopes that get past the first check so the inner schemas are exercised too. */
const nearMiss = fc.oneof(
  fc.record(
    { update_id: fc.integer(), message: anyJson, callback_query: anyJson, edited_message: anyJson },
    { requiredKeys: ["update_id"] },
  ),
  fc.record({
    object: fc.constant("whatsapp_business_account"),
    entry: fc.array(
      fc.record({
        id: fc.string(),
        changes: fc.array(fc.record({ field: fc.constantFrom("messages", "x"), value: anyJson })),
      }),
    ),
  }),
  fc.record({
    object: fc.constant("page"),
    entry: fc.array(fc.record({ id: fc.string(), messaging: fc.array(anyJson) })),
  }),
  fc.record({ field: fc.string(), value: anyJson }),
);

describe("parsers on arbitrary JSON", () => {
  it.each(parsers)("%s only ever throws WebhookParseError", (_name, parse) => {
    fc.assert(
      fc.property(fc.oneof(anyJson, nearMiss), (input) => {
        const result = outcome(parse, input);
        expect(["ok", "parse-error"]).toContain(result);
      }),
      { numRuns: 400 },
    );
  });
});
