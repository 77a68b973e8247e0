/**
 * Executes a confirmed account action through the commerce connector. The room calls
 * this exactly once per confirmed action; the demo store's writes are idempotent where
 * natural so a retried call changes nothing twice. The returned `message` is what the
 * customer reads, in the language the action was proposed in.
 */
import { z } from "zod";
import { customerText as t, dayName, frequencyWord, monthName } from "../copy/customer.ts";
import { commerceFor } from "./connector.ts";
import { TOOL_ARGS } from "./tools.ts";
import { CommerceError } from "./types.ts";
import type { CommerceConnector } from "./types.ts";

const Common = {
  language: z.string().max(5).optional(),
  customerId: z.string().optional(),
  email: z.string().optional(),
  actionId: z.string().optional(),
  reason: z.string().optional(),
};
/** The shop's argument shapes (tools.ts) plus what the room adds to a confirmed action. */
const ArgSchemas = {
  skip_next_box: TOOL_ARGS.skip_next_box.extend({
    ...Common,
    month: z
      .string()
      .regex(/^\d{4}-\d{2}$/)
      .optional(),
  }),
  pause_subscription: TOOL_ARGS.pause_subscription.extend(Common),
  change_frequency: TOOL_ARGS.change_frequency.extend(Common),
  change_address: TOOL_ARGS.change_address.extend(Common),
  create_damage_claim: TOOL_ARGS.create_damage_claim.extend(Common),
  cancel_subscription: TOOL_ARGS.cancel_subscription.extend(Common),
} as const;

/** Photo URLs the engine built from attachment keys map back to the keys. */
export function photoKeysFromUrls(urls: string[]): string[] {
  return urls.map((u) => {
    const i = u.indexOf("/attachments/");
    return i >= 0 ? decodeURIComponent(u.slice(i + "/attachments/".length)) : u;
  });
}

/** Formats an address on one line for messages. */
export function formatAddress(a: {
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
}): string {
  return [a.line1, a.line2, a.city, a.postalCode, a.country].filter(Boolean).join(", ");
}

/** Runs one confirmed tool against a connector; pure apart from the connector. */
export async function executeWith(
  connector: CommerceConnector,
  customerRef: string | null,
  tool: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown> & { message: string }> {
  if (!customerRef) throw new CommerceError("unverified", "No verified customer for this action");
  switch (tool) {
    case "skip_next_box": {
      const a = ArgSchemas.skip_next_box.parse(args);
      const r = await connector.skipNextBox(customerRef, a.month);
      const month = typeof r.detail.skippedMonth === "string" ? r.detail.skippedMonth : (a.month ?? "");
      const date = typeof r.detail.nextBoxDate === "string" ? dayName(a.language, r.detail.nextBoxDate) : "";
      return {
        ...r,
        message: t(a.language, r.changed ? "done.skip" : "done.skip_noop", {
          month: monthName(a.language, month),
          date,
        }),
      };
    }
    case "pause_subscription": {
      const a = ArgSchemas.pause_subscription.parse(args);
      const r = await connector.pauseUntil(customerRef, a.until);
      return { ...r, message: t(a.language, "done.pause", { date: dayName(a.language, a.until) }) };
    }
    case "change_frequency": {
      const a = ArgSchemas.change_frequency.parse(args);
      const r = await connector.changeFrequency(customerRef, a.frequency);
      return {
        ...r,
        message: r.changed
          ? t(a.language, "done.frequency", { freq: frequencyWord(a.language, a.frequency) })
          : t(a.language, "done.noop"),
      };
    }
    case "change_address": {
      const a = ArgSchemas.change_address.parse(args);
      const address = {
        line1: a.line1,
        ...(a.line2 ? { line2: a.line2 } : {}),
        city: a.city,
        ...(a.region ? { region: a.region } : {}),
        postalCode: a.postalCode,
        country: a.country,
      };
      const r = await connector.changeAddress(customerRef, address);
      return {
        ...r,
        message: r.changed
          ? t(a.language, "done.address", { address: formatAddress(address) })
          : t(a.language, "done.noop"),
      };
    }
    case "create_damage_claim": {
      const a = ArgSchemas.create_damage_claim.parse(args);
      const r = await connector.createDamageClaim(customerRef, {
        orderNumber: a.orderId,
        description: a.description,
        photoKeys: photoKeysFromUrls(a.photoUrls ?? []),
      });
      return { ...r, message: t(a.language, "done.claim", { order: a.orderId }) };
    }
    case "cancel_subscription": {
      const a = ArgSchemas.cancel_subscription.parse(args);
      const r = await connector.cancelSubscription(customerRef, a.reason ?? null);
      return { ...r, message: t(a.language, "done.cancel") };
    }
    default:
      throw new CommerceError("unknown_tool", `No executable action ${tool}`);
  }
}

/** Executes a confirmed account action for the room (see module comment). */
export async function executeAction(
  env: Env,
  workspaceId: string,
  customerRef: string | null,
  tool: string,
  args: Record<string, unknown>,
): Promise<Record<string, unknown> & { message: string }> {
  return executeWith(commerceFor(env, workspaceId), customerRef, tool, args);
}
