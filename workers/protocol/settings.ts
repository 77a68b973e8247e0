/**
 * Workspace settings: the shape stored in workspaces.settings and edited by admins.
 * Shared by the API, the Durable Objects and the dashboard.
 */
import { z } from "zod";
import { CATEGORY_KEYS } from "../lib/categories.ts";
import { LANGUAGE } from "./frames.ts";
import { WidgetAppearanceSchema } from "./widget.ts";

/**
 * Zones the runtime accepted, remembered: constructing an Intl.DateTimeFormat is the
 * costliest part of parsing settings, and settings are parsed on every message (a profile
 * of the webhook benchmark put it at ~3 % of the runtime thread). The zone list of a
 * running isolate does not change, so a positive answer is kept for good.
 */
const acceptedZones = new Set<string>();
function knownTimeZone(tz: string): boolean {
  if (acceptedZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
  } catch {
    return false;
  }
  if (acceptedZones.size < 1000) acceptedZones.add(tz);
  return true;
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM");
const interval = z.object({ open: hhmm, close: hhmm });

export const BusinessHoursSchema = z.object({
  timeZone: z.string().min(1).max(64).refine(knownTimeZone, "Unknown time zone"),
  weekly: z.partialRecord(z.enum(["0", "1", "2", "3", "4", "5", "6"]), z.array(interval).max(4)),
  holidays: z
    .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .max(100)
    .default([]),
});

const perPriority = z.object({
  low: z.number().int().positive(),
  normal: z.number().int().positive(),
  high: z.number().int().positive(),
  urgent: z.number().int().positive(),
});

export const SlaPolicySchema = z.object({
  firstResponseMinutes: perPriority,
  resolutionMinutes: perPriority,
  businessHoursOnly: z.boolean(),
});

// The widget's appearance is part of its session contract (workers/protocol/widget.ts), so
// the widget bundle never loads this module; re-exported here for the admin pages.
export { WidgetAppearanceSchema };

/**
 * The after-hours message until an admin writes one. The room shows the admin's own
 * message above its localised after-hours notice; this default says nothing the notice
 * does not, so it is not shown (it would be English in every chat).
 */
export const DEFAULT_AFTER_HOURS_MESSAGE = "We're away right now.";

/**
 * Consent to processing (issue 20): when `required`, the widget asks before the first
 * message and the server stores nothing (no contact, no conversation) until the visitor
 * agrees to this `version` of the text. Texts per language override the defaults in
 * workers/copy/consent.ts.
 */
export const ConsentSettingsSchema = z.object({
  required: z.boolean().default(false),
  version: z.string().trim().min(1).max(40).default("v1"),
  // http(s) only (a javascript: link would run in the widget); a regex, not z.url(), so the
  // widget's zod stand-in evaluates it too.
  policyUrl: z
    .string()
    .trim()
    .max(500)
    .regex(/^https?:\/\/\S+$/i, "an http(s) link")
    .nullable()
    .default(null),
  texts: z.partialRecord(LANGUAGE, z.string().trim().min(1).max(1000)).default({}),
  /**
   * Messengers and email (no box can be shown before the contact writes): the first message
   * of a contact on a channel without a consent record gets this notice once, and the basis
   * "notice shown" (text version, time, channel) is recorded. `{policy}` in a text is
   * replaced by the policy link.
   */
  notice: z
    .object({
      enabled: z.boolean().default(true),
      texts: z.partialRecord(LANGUAGE, z.string().trim().min(1).max(1000)).default({}),
    })
    .default({ enabled: true, texts: {} }),
});

/**
 * Where the workspace's Durable Objects live (issue 20, residency; mapped in
 * durable-objects/placement.ts): a jurisdiction (`eu`, `fedramp`: a guarantee) or a
 * location hint (a preference). Fixed once the workspace has data: objects cannot move.
 */
export const DATA_LOCATIONS = [
  "default",
  "eu",
  "fedramp",
  "wnam",
  "enam",
  "sam",
  "weur",
  "eeur",
  "apac",
  "oc",
  "afr",
  "me",
] as const;
export const DataLocationSchema = z.enum(DATA_LOCATIONS);
export type DataLocation = z.infer<typeof DataLocationSchema>;

export const WorkspaceSettingsSchema = z.object({
  routingMode: z.enum(["round_robin", "skill_based", "manual", "combined"]).default("combined"),
  aiMode: z.enum(["autopilot", "copilot", "per_category"]).default("per_category"),
  /** Categories that run on autopilot when aiMode is per_category. */
  autopilotCategories: z.array(z.enum(CATEGORY_KEYS)).default([...CATEGORY_KEYS]),
  unassignReturnsTo: z.enum(["queue", "bot"]).default("queue"),
  businessHours: BusinessHoursSchema.nullable().default(null),
  sla: SlaPolicySchema.nullable().default(null),
  widget: WidgetAppearanceSchema.default(WidgetAppearanceSchema.parse({})),
  afterHours: z
    .object({ enabled: z.boolean(), message: z.string().max(500) })
    .default({ enabled: true, message: DEFAULT_AFTER_HOURS_MESSAGE }),
  csat: z.object({ enabled: z.boolean(), askNps: z.boolean() }).default({ enabled: true, askNps: true }),
  consent: ConsentSettingsSchema.default(ConsentSettingsSchema.parse({})),
  /** Admin-only like every setting; changeable only while the workspace has no data (PUT /api/settings says 409). */
  dataLocation: DataLocationSchema.default("default"),
  /** Memory categories (workers/rights/memory/extract.ts) approved without operator review. */
  memory: z
    .object({ autoApprove: z.array(z.enum(["delivery", "allergy", "contact", "language"])).default([]) })
    .default({ autoApprove: [] }),
  /**
   * Sites (host names) bot replies may link to, besides this deployment, the shop's API host
   * and the carriers' tracking pages. A draft linking anywhere else is never sent unreviewed.
   */
  linkAllowlist: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "a host name such as shop.example.com"),
    )
    .max(50)
    .default([]),
});

export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;
export type BusinessHoursSetting = z.infer<typeof BusinessHoursSchema>;

/**
 * The last parses, by stored text: the same workspace's settings are read for every message
 * (room, AI turn, consent notice), and the zod parse was several per cent of the runtime
 * thread under load. Keyed by the exact stored JSON, so any change is a miss; each caller
 * gets its own copy (structuredClone), so a caller that edits the object changes nothing here.
 */
const parsedSettings = new Map<string, WorkspaceSettings>();
const PARSED_SETTINGS_MAX = 64;

/** Settings as stored may predate new fields: parse with defaults, never trust blindly. */
export function readSettings(raw: unknown): WorkspaceSettings {
  const key = JSON.stringify(raw ?? {});
  let parsed = parsedSettings.get(key);
  if (parsed) {
    // Least recently used goes first: re-insert on every hit.
    parsedSettings.delete(key);
  } else {
    const result = WorkspaceSettingsSchema.safeParse(raw ?? {});
    parsed = result.success ? result.data : WorkspaceSettingsSchema.parse({});
    if (parsedSettings.size >= PARSED_SETTINGS_MAX) {
      const oldest = parsedSettings.keys().next().value;
      if (oldest !== undefined) parsedSettings.delete(oldest);
    }
  }
  parsedSettings.set(key, parsed);
  return structuredClone(parsed);
}

/**
 * What one inbox changes of the workspace's settings (issue 19, editable inboxes). Stored
 * in the inbox's settings record beside its channel settings (phone number id, address…);
 * an absent key means "as the workspace".
 */
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

/** An inbox's hours: the workspace's, around the clock, or its own. */
export const InboxHoursSchema = z.union([z.enum(["workspace", "always"]), BusinessHoursSchema]);

export const InboxOverridesSchema = z.object({
  /** The widget's greeting for this inbox. */
  greeting: z.string().max(280).optional(),
  /** "always": staffed around the clock (no after-hours notices); an object: this inbox's own hours. */
  hours: InboxHoursSchema.optional(),
  csatEnabled: z.boolean().optional(),
  /** The team new conversations of this inbox go to. */
  teamId: z.string().max(100).nullable().optional(),
});
export type InboxOverrides = z.infer<typeof InboxOverridesSchema>;

/** The overrides in an inbox's settings record; a malformed key is ignored, not fatal. */
export function readInboxOverrides(raw: unknown): InboxOverrides {
  const rec = z.record(z.string(), z.unknown()).catch({}).parse(raw);
  const out: InboxOverrides = {};
  const shape = InboxOverridesSchema.shape;
  const greeting = shape.greeting.safeParse(rec.greeting);
  if (greeting.success && greeting.data !== undefined) out.greeting = greeting.data;
  const hours = shape.hours.safeParse(rec.hours);
  if (hours.success && hours.data !== undefined) out.hours = hours.data;
  const csat = shape.csatEnabled.safeParse(rec.csatEnabled);
  if (csat.success && csat.data !== undefined) out.csatEnabled = csat.data;
  const team = shape.teamId.safeParse(rec.teamId);
  if (team.success && team.data !== undefined) out.teamId = team.data;
  return out;
}

/** The settings a conversation of this inbox runs with (pure). */
export function effectiveSettings(ws: WorkspaceSettings, o: InboxOverrides): WorkspaceSettings {
  return {
    ...ws,
    businessHours:
      o.hours === "always" ? null : o.hours === undefined || o.hours === "workspace" ? ws.businessHours : o.hours,
    csat: o.csatEnabled === undefined ? ws.csat : { ...ws.csat, enabled: o.csatEnabled },
    widget: o.greeting === undefined ? ws.widget : { ...ws.widget, greeting: o.greeting },
  };
}
