/**
 * Stubs of the platform's Durable Objects, from one module: one object per conversation
 * (ConversationRoom), per workspace (Presence) and per inbox (InboxIntake), addressed by
 * name. Imports only the classes' types, so any module may use it without a cycle.
 */
import type { ConversationRoom } from "./conversation.ts";
import type { InboxIntake } from "./intake/object.ts";
import type { Presence } from "./presence.ts";
import type { LocalRateLimiter } from "./rate-limiter.ts";

export function roomStub(env: Env, conversationId: string): DurableObjectStub<ConversationRoom> {
  const ns = env.CONVERSATION_ROOM as DurableObjectNamespace<ConversationRoom>;
  return ns.get(ns.idFromName(conversationId));
}

export function presenceStub(env: Env, workspaceId: string): DurableObjectStub<Presence> {
  const ns = env.PRESENCE as DurableObjectNamespace<Presence>;
  return ns.get(ns.idFromName(workspaceId));
}

export function intakeStub(env: Env, inboxId: string): DurableObjectStub<InboxIntake> {
  const ns = env.INBOX_INTAKE as DurableObjectNamespace<InboxIntake>;
  return ns.get(ns.idFromName(inboxId));
}

/** The local rate limiter for one key (production uses the Workers Rate Limiting binding). */
export function rateLimiterStub(env: Env, key: string): DurableObjectStub<LocalRateLimiter> {
  const ns = env.RATE_LIMITER as DurableObjectNamespace<LocalRateLimiter>;
  return ns.get(ns.idFromName(key));
}
