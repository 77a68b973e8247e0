/**
 * Stubs of the platform's Durable Objects, from one module: one object per conversation
 * (ConversationRoom), per workspace (Presence) and per inbox (InboxIntake), addressed by
 * name. Imports only the classes' types, so any module may use it without a cycle.
 *
 * Every per-workspace object may be placed by the workspace's data location (issue 20,
 * `./placement.ts`): `placedStub` applies the jurisdiction or location hint. A jurisdiction
 * is part of the object's id, so every caller of one object must pass the same location.
 */
import type { ConversationRoom } from "./conversation.ts";
import type { InboxIntake } from "./intake/object.ts";
import type { Presence } from "./presence.ts";
import type { LocalRateLimiter } from "./rate-limiter.ts";
import { placeNamespace, placementFor, type DataLocation } from "./placement.ts";

/** The object `name` of `ns`, in the jurisdiction (or with the hint) of `location`. */
export function placedStub<T extends Rpc.DurableObjectBranded | undefined>(
  ns: DurableObjectNamespace<T>,
  name: string,
  location?: DataLocation | null,
): DurableObjectStub<T> {
  const placed = placeNamespace(ns, placementFor(location));
  return placed.ns.get(placed.ns.idFromName(name), placed.options);
}

export function roomStub(
  env: Env,
  conversationId: string,
  location?: DataLocation | null,
): DurableObjectStub<ConversationRoom> {
  return placedStub(env.CONVERSATION_ROOM as DurableObjectNamespace<ConversationRoom>, conversationId, location);
}

export function presenceStub(
  env: Env,
  workspaceId: string,
  location?: DataLocation | null,
): DurableObjectStub<Presence> {
  return placedStub(env.PRESENCE as DurableObjectNamespace<Presence>, workspaceId, location);
}

export function intakeStub(env: Env, inboxId: string, location?: DataLocation | null): DurableObjectStub<InboxIntake> {
  return placedStub(env.INBOX_INTAKE as DurableObjectNamespace<InboxIntake>, inboxId, location);
}

/** The local rate limiter for one key (production uses the Workers Rate Limiting binding). */
export function rateLimiterStub(env: Env, key: string): DurableObjectStub<LocalRateLimiter> {
  const ns = env.RATE_LIMITER as DurableObjectNamespace<LocalRateLimiter>;
  return ns.get(ns.idFromName(key));
}
