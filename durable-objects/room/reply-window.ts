/**
 * When a human can be expected to answer this conversation, from the workspace's
 * business hours (after-hours mode on; an operator online outside them counts as open,
 * `deskOpen`) and SLA first-response target for its priority.
 * Pure: the room passes the settings it read and the clock.
 */
import type { ReplyWindow } from "../../workers/copy/customer.ts";
import { toBusinessHours } from "../../workers/lib/hours.ts";
import { DEFAULT_AFTER_HOURS_MESSAGE, type WorkspaceSettings } from "../../workers/protocol/settings.ts";
import { deskOpen, describeHours, isOpen, nextOpening } from "../lib/business-hours.ts";
import type { Priority } from "../lib/priority.ts";

/** Whether business hours apply and the desk is outside them (then the room asks Presence who is online). */
export function outsideHours(settings: WorkspaceSettings, now: Date): boolean {
  return Boolean(
    settings.businessHours && settings.afterHours.enabled && !isOpen(toBusinessHours(settings.businessHours), now),
  );
}

export function replyWindow(
  settings: WorkspaceSettings,
  priority: Priority,
  language: string | null,
  now: Date,
  operatorsOnline = 0,
): ReplyWindow {
  if (settings.businessHours && settings.afterHours.enabled) {
    const hours = toBusinessHours(settings.businessHours);
    // Same rule as the widget's offline banner: closed only when nobody is online either.
    if (!deskOpen(isOpen(hours, now), operatorsOnline))
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
