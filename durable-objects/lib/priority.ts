/**
 * Conversation priority shared by the queue, SLA and escalation rules.
 *
 * The router speaks in urgency (low/medium/high/critical, see workers/lib/categories.ts);
 * the support desk speaks in priority, the words operators already know from Chatwoot
 * and Zendesk. This module is the one place that maps one onto the other.
 */
import type { Urgency } from "../../workers/lib/categories.ts";

import { PRIORITIES } from "../../workers/protocol/vocabulary.ts";

export { PRIORITIES };
export type Priority = (typeof PRIORITIES)[number];

/** Higher rank = served first. */
export function priorityRank(priority: Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** The priority a conversation gets from the router's urgency estimate. */
export function priorityFromUrgency(urgency: Urgency): Priority {
  switch (urgency) {
    case "low":
      return "low";
    case "medium":
      return "normal";
    case "high":
      return "high";
    case "critical":
      return "urgent";
  }
}

/** One step up, saturating at "urgent"; used when an SLA breach escalates a conversation. */
export function bumpPriority(priority: Priority): Priority {
  return PRIORITIES[Math.min(priorityRank(priority) + 1, PRIORITIES.length - 1)] ?? "urgent";
}
