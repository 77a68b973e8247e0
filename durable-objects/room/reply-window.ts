/**
 * When a human can be expected to answer this conversation, from the workspace's
 * business hours (after-hours mode on) and SLA first-response target for its priority.
 * Pure: the room passes the settings it read and the clock.
 */
import type { ReplyWindow } from "../../workers/copy/customer.ts";
import { toBusinessHours } from "../../workers/lib/hours.ts";
import { DEFAULT_AFTER_HOURS_MESSAGE, type WorkspaceSettings } from "../../workers/protocol/settings.ts";
import { describeHours, isOpen, nextOpening } from "../lib/business-hours.ts";
import type { Priority } from "../lib/priority.ts";

export function replyWindow(
  settings: WorkspaceSettings,
  priority: Priority,
  language: string | null,
  now: Date,
): ReplyWindow {
  if (settings.businessHours && settings.afterHours.enabled) {
    const hours = toBusinessHours(settings.businessHours);
    if (!isOpen(hours, now))
      return {
        kind: "closed",
        hours: describeHours(hours, language ?? "en"),
        nextOpening: nextOpening(hours, now),
        timeZone: hours.timeZone,
        note: note(settings.afterHours.message),
      };
  }
  return { kind: "open", withinMinutes: settings.sla?.firstResponseMinutes[priority] ?? null };
}

function note(message: string): string | null {
  const text = message.trim();
  return text && text !== DEFAULT_AFTER_HOURS_MESSAGE ? text : null;
}
