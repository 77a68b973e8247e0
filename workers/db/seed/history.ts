/**
 * SYNTHETIC support history for the demo workspace: six months of conversations ending at
 * a reference time, so the reports page and the analytics agent have something worth
 * asking about. Nothing here is real customer data.
 *
 * Deterministic: one seeded PRNG (lib/random.ts) and the reference time decide every row.
 * The shapes are chosen to be plausible and readable in a report:
 * - volume grows ~40 % over the period, weekdays busier than weekends, two daily peaks;
 * - a shipping delay 52–42 days before the reference triples shipping questions, adds
 *   damaged-item claims, lowers CSAT and breaches SLAs (tag `shipping-delay`);
 * - AI resolution differs by category (skip month ~80 %, damaged items ~20 %);
 * - human first responses wait for business hours (Sun–Thu 09–18, Fri 09–13, Jerusalem
 *   taken as UTC+2 all year: a seed, not a calendar);
 * - AI traces are priced with the production models each category would use
 *   (registry's OpenAI-compatible aliases, prices from providers/pricing.ts).
 * The generator is pure; `seed-history.ts` writes its rows to D1.
 *
 * Over 400 lines: one deterministic generator of demo data, kept together so the story above
 * reads in one place; it is seed data for the demo workspace, not product logic.
 */
import type { CategoryKey, Language } from "../../lib/categories.ts";
import { seededRandom } from "../../lib/random.ts";
import { slaAtRiskAt } from "../../protocol/sla.ts";
import { costOf } from "../../ai/providers/pricing.ts";
import type * as schema from "../schema.ts";
import {
  ASK_HUMAN,
  BOT_REPLY,
  CSAT_COMMENTS,
  FIRST_NAMES,
  FOLLOW_UP,
  LAST_NAMES,
  NOTES,
  OPENERS,
  OPERATOR_REPLY,
} from "./history-text.ts";

type Row<T extends { $inferInsert: unknown }> = T["$inferInsert"];
type NoWs<T> = Omit<T, "workspaceId">;

export interface History {
  contacts: Array<NoWs<Row<typeof schema.contacts>>>;
  identities: Array<NoWs<Row<typeof schema.contactIdentities>>>;
  conversations: Array<NoWs<Row<typeof schema.conversations>>>;
  messages: Array<NoWs<Row<typeof schema.messages>>>;
  actions: Array<NoWs<Row<typeof schema.actions>>>;
  traces: Array<NoWs<Row<typeof schema.aiTraces>>>;
}

export interface HistoryOptions {
  /** About how many conversations (the daily rounding moves it by a few). */
  conversations?: number;
  days?: number;
  seed?: number;
  /** Inbox id per channel in the target workspace. */
  inboxes: Record<Channel, string>;
}

export const CHANNELS = ["widget", "telegram", "whatsapp", "messenger", "email"] as const;
export type Channel = (typeof CHANNELS)[number];

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Jerusalem as a fixed UTC+2: the seed needs business-hour shapes, not DST accuracy. */
const LOCAL_OFFSET = 2 * HOUR;
export const SPIKE_DAYS_AGO = { from: 52, to: 42 } as const;

interface Operator {
  id: string;
  team: string;
  languages: Language[];
}
const OPERATORS: Operator[] = [
  { id: "op_operator", team: "team_tier1", languages: ["en", "he"] },
  { id: "op_lucia", team: "team_tier1", languages: ["es", "fr", "en"] },
  { id: "op_olga", team: "team_billing", languages: ["ru", "en"] },
  { id: "op_admin", team: "team_billing", languages: ["en", "he"] },
];
const BILLING = new Set<CategoryKey>(["payment_issue", "cancel_subscription", "pause_subscription"]);

const CATEGORY_WEIGHT: Record<CategoryKey, number> = {
  general_question: 16,
  shipping_inquiry: 22,
  change_address: 6,
  change_frequency: 5,
  skip_month: 8,
  damaged_item: 7,
  payment_issue: 10,
  pause_subscription: 7,
  cancel_subscription: 10,
  other: 9,
};
/** Share of resolved conversations the AI closes alone, per category. */
export const AI_RESOLUTION: Record<CategoryKey, number> = {
  general_question: 0.74,
  shipping_inquiry: 0.6,
  change_address: 0.55,
  change_frequency: 0.68,
  skip_month: 0.8,
  damaged_item: 0.2,
  payment_issue: 0.28,
  pause_subscription: 0.58,
  cancel_subscription: 0.22,
  other: 0.35,
};
/** Model alias per category (seed categories.ts) → the production model it maps to. */
const MODEL: Record<CategoryKey, string> = {
  general_question: "gpt-4o-mini",
  shipping_inquiry: "gpt-4o-mini",
  change_address: "gpt-4o-mini",
  change_frequency: "gpt-4o-mini",
  skip_month: "gpt-4o-mini",
  damaged_item: "gpt-4o-mini",
  payment_issue: "gpt-4.1-mini",
  pause_subscription: "gpt-4o-mini",
  cancel_subscription: "gpt-4.1",
  other: "gpt-4.1-mini",
};
/** Categories whose drafts always wait for a human (autoSend "never" in the seed). */
const HUMAN_FIRST = new Set<CategoryKey>(["payment_issue", "cancel_subscription", "other"]);
const TOOL: Partial<Record<CategoryKey, string>> = {
  change_address: "change_address",
  change_frequency: "change_frequency",
  skip_month: "skip_next_box",
  damaged_item: "create_damage_claim",
  payment_issue: "payment_update_link",
  pause_subscription: "pause_subscription",
  cancel_subscription: "cancellation_link",
  shipping_inquiry: "track_shipment",
};
const CHANNEL_WEIGHT: Record<Channel, number> = { widget: 36, email: 20, whatsapp: 21, telegram: 13, messenger: 10 };
const LANGUAGE_WEIGHT: Record<Language, number> = { en: 50, ru: 18, he: 12, es: 12, fr: 8 };
const PRIORITY_WEIGHT = { low: 15, normal: 64, high: 16, urgent: 5 } as const;
const FRT_SLA_MIN = { low: 240, normal: 60, high: 15, urgent: 5 } as const;
const RES_SLA_MIN = { low: 2880, normal: 1440, high: 480, urgent: 120 } as const;
/** Local hour-of-day weights: a morning and an evening peak. */
const HOUR_WEIGHT: Record<string, number> = Object.fromEntries(
  [1, 1, 1, 1, 1, 2, 3, 5, 8, 11, 12, 11, 10, 9, 9, 8, 8, 8, 9, 10, 9, 7, 4, 2].map((w, h) => [String(h), w]),
);
/** Sunday … Saturday. */
const WEEKDAY_WEIGHT = [1.0, 1.15, 1.1, 1.05, 1.0, 0.75, 0.6];

function pick<K extends string>(rnd: () => number, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as Array<[K, number]>;
  let r = rnd() * entries.reduce((s, [, w]) => s + w, 0);
  for (const [k, w] of entries) {
    r -= w;
    if (r <= 0) return k;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error("pick from empty weights");
  return last[0];
}
function pickArr<T>(rnd: () => number, xs: readonly T[]): T {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new Error("pick from empty list");
  return x;
}
/** Log-normal around `median` (minutes), spread `sigma`. */
function lognormal(rnd: () => number, median: number, sigma: number): number {
  const u = Math.max(1e-9, rnd());
  const v = rnd();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(sigma * z);
}

/** Open hours of a local day: [openHour, closeHour] or null (Saturday). */
function hoursOf(localDay: number): [number, number] | null {
  if (localDay === 6) return null;
  return localDay === 5 ? [9, 13] : [9, 18];
}
/** The earliest moment at or after `t` inside business hours. */
export function nextOpen(t: number): number {
  for (let i = 0; i < 10; i++) {
    const local = t + LOCAL_OFFSET;
    const dayStart = local - (local % DAY);
    const hours = hoursOf(new Date(dayStart).getUTCDay());
    if (hours) {
      const open = dayStart + hours[0] * HOUR;
      const close = dayStart + hours[1] * HOUR;
      if (local < open) return open - LOCAL_OFFSET;
      if (local < close) return t;
    }
    t = dayStart + DAY - LOCAL_OFFSET;
  }
  return t;
}

export function generateHistory(reference: Date, opts: HistoryOptions): History {
  const rnd = seededRandom(opts.seed ?? 15_2026);
  const days = opts.days ?? 182;
  const target = opts.conversations ?? 5000;
  const end = reference.getTime();
  const out: History = { contacts: [], identities: [], conversations: [], messages: [], actions: [], traces: [] };

  // Contacts: a pool with repeat customers (a few write often, most once or twice).
  const contactCount = Math.round(target * 0.45);
  const contactLang: Language[] = [];
  for (let i = 0; i < contactCount; i++) {
    const lang = pick(rnd, LANGUAGE_WEIGHT);
    const first = pickArr(rnd, FIRST_NAMES[lang]);
    const last = pickArr(rnd, LAST_NAMES[lang]);
    const id = `hct_${String(i).padStart(5, "0")}`;
    contactLang.push(lang);
    out.contacts.push({
      id,
      name: `${first} ${last}`,
      email: rnd() < 0.8 ? `customer${i}@example.com` : null,
      phone: rnd() < 0.55 ? `+1555${String(1_000_000 + i).slice(1)}` : null,
      language: lang,
      tags: rnd() < 0.08 ? ["vip"] : [],
      createdAt: end - days * DAY - Math.floor(rnd() * 30 * DAY),
      updatedAt: end - days * DAY,
    });
  }
  const identities = new Set<string>();

  // Daily volume: trend × weekday × spike, scaled so the total lands near `target`.
  const dayWeights: number[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = end - d * DAY;
    const weekday = new Date(dayStart + LOCAL_OFFSET).getUTCDay();
    const trend = 0.8 + 0.4 * ((days - d) / days);
    const spike = d <= SPIKE_DAYS_AGO.from && d >= SPIKE_DAYS_AGO.to ? 1.9 : 1;
    dayWeights.push(trend * (WEEKDAY_WEIGHT[weekday] ?? 1) * spike);
  }
  const weightSum = dayWeights.reduce((a, b) => a + b, 0);
  let carry = 0;
  let n = 0;
  const refDayStart = end + LOCAL_OFFSET - ((end + LOCAL_OFFSET) % DAY) - LOCAL_OFFSET;

  dayWeights.forEach((w, idx) => {
    const daysAgo = days - 1 - idx;
    const exact = (target * w) / weightSum + carry;
    const count = Math.floor(exact);
    carry = exact - count;
    const inSpike = daysAgo <= SPIKE_DAYS_AGO.from && daysAgo >= SPIKE_DAYS_AGO.to;
    const dayStart = refDayStart - daysAgo * DAY;
    for (let k = 0; k < count; k++) {
      const hour = Number(pick(rnd, HOUR_WEIGHT));
      const createdAt = dayStart + hour * HOUR + Math.floor(rnd() * HOUR);
      if (createdAt > end - 5 * MIN) continue;
      conversation(n++, createdAt, inSpike);
    }
  });
  return out;

  function conversation(i: number, createdAt: number, inSpike: boolean): void {
    const id = `hc_${String(i).padStart(5, "0")}`;
    const contactIdx = Math.floor(Math.pow(rnd(), 1.6) * contactCount);
    const contactId = `hct_${String(contactIdx).padStart(5, "0")}`;
    const lang = contactLang[contactIdx] ?? "en";
    const channel: Channel = lang === "ru" && rnd() < 0.35 ? "telegram" : pick(rnd, CHANNEL_WEIGHT);
    const category: CategoryKey = inSpike
      ? pick(rnd, { ...CATEGORY_WEIGHT, shipping_inquiry: 75, damaged_item: 14 })
      : pick(rnd, CATEGORY_WEIGHT);
    const identityId = `hid_${contactIdx}_${channel}`;
    const inboxId = opts.inboxes[channel];
    if (!identities.has(identityId)) {
      identities.add(identityId);
      const contact = out.contacts[contactIdx];
      out.identities.push({
        id: identityId,
        contactId,
        originalContactId: contactId,
        channel,
        inboxId,
        externalId: `${channel}-${contactIdx}`,
        email: channel === "email" ? (contact?.email ?? `customer${contactIdx}@example.com`) : null,
        phone: channel === "whatsapp" ? (contact?.phone ?? null) : null,
        verified: rnd() < 0.6,
        createdAt: Math.min(createdAt, contact?.createdAt ?? createdAt),
      });
    }
    let priority = pick(rnd, PRIORITY_WEIGHT);
    if ((category === "damaged_item" || category === "payment_issue") && priority === "normal" && rnd() < 0.4)
      priority = "high";
    const age = (end - createdAt) / DAY;
    const abandoned = rnd() < (channel === "widget" ? 0.07 : 0.02);
    const wantsResolved = age > 3 ? rnd() < 0.97 : age > 1 ? rnd() < 0.7 : rnd() < 0.35;
    const aiResolves = !abandoned && rnd() < AI_RESOLUTION[category] * (inSpike ? 0.8 : 1);
    const humanFirst = (HUMAN_FIRST.has(category) && rnd() < 0.55) || (channel === "email" && rnd() < 0.4);

    const msgs: History["messages"] = [];
    let seq = 0;
    const add = (m: Omit<History["messages"][number], "id" | "seq" | "conversationId" | "inboxId">) => {
      seq++;
      msgs.push({ ...m, id: `${id}_m${seq}`, seq, conversationId: id, inboxId });
    };
    const traces = (turn: number, at: number, tool: string | null) => {
      const turnId = `${id}_t${turn}`;
      const model = MODEL[category];
      const steps: Array<[NonNullable<History["traces"][number]["step"]>, string | null, number, number, number]> = [
        ["route", "gpt-4.1-nano", 380 + Math.floor(rnd() * 240), 24 + Math.floor(rnd() * 16), 180 + rnd() * 400],
        ["retrieve", null, 0, 0, 30 + rnd() * 90],
        ["generate", model, 1400 + Math.floor(rnd() * 2600), 70 + Math.floor(rnd() * 260), 700 + rnd() * 2600],
      ];
      if (tool) steps.push(["tool", null, 0, 0, 120 + rnd() * 500]);
      steps.push(["gate", null, 0, 0, 2 + rnd() * 8]);
      let t = at;
      steps.forEach(([step, m, inTok, outTok, latency], s) => {
        t += Math.round(latency);
        out.traces.push({
          id: `${turnId}_${s}`,
          conversationId: id,
          turnId,
          step,
          provider: m ? "openai-compatible" : null,
          model: m,
          latencyMs: Math.round(latency * 10) / 10,
          inputTokens: inTok,
          outputTokens: outTok,
          costUsd: m ? costOf(m, { inputTokens: inTok, outputTokens: outTok }).costUsd : 0,
          detail: step === "tool" && tool ? { tool } : step === "route" ? { category, language: lang } : {},
          createdAt: t,
        });
      });
      return t;
    };

    add({ type: "incoming", senderType: "contact", senderId: contactId, content: OPENERS[category][lang], createdAt });
    let t = createdAt;
    let firstRespondedAt: number | null = null;
    let resolvedAt: number | null = null;
    let owner: "bot" | "human" | "queue" = "bot";
    let assigneeId: string | null = null;
    let teamId: string | null = null;
    let status: "open" | "pending" | "snoozed" | "resolved" = "open";
    let turns = 0;
    const tool = TOOL[category] ?? null;
    const usesTool = tool !== null && rnd() < 0.6;

    if (abandoned) {
      if (rnd() < 0.4)
        add({ type: "incoming", senderType: "contact", senderId: contactId, content: "?", createdAt: t + 40_000 });
      if (wantsResolved) {
        resolvedAt = createdAt + DAY;
        status = "resolved";
        add({
          type: "activity",
          senderType: "system",
          senderId: null,
          content: "Closed: no reply from the customer",
          createdAt: resolvedAt,
        });
      }
    } else {
      // The AI's turn runs on every message (drafts too), so traces exist either way.
      t = traces(++turns, createdAt, usesTool ? tool : null);
      if (!humanFirst) {
        firstRespondedAt = t + 500;
        add({
          type: "outgoing",
          senderType: "bot",
          senderId: null,
          content: BOT_REPLY[lang],
          createdAt: firstRespondedAt,
        });
        t = firstRespondedAt;
      }
      if (usesTool && tool) action(id, contactId, tool, t, age);
      if (aiResolves && !humanFirst) {
        t += Math.round(lognormal(rnd, 3, 0.8) * MIN);
        add({ type: "incoming", senderType: "contact", senderId: contactId, content: FOLLOW_UP[lang], createdAt: t });
        t = traces(turns + 1, t, null);
        if (wantsResolved) {
          resolvedAt = t + Math.round(lognormal(rnd, 4, 0.7) * MIN);
          status = "resolved";
        } else status = "pending";
      } else {
        if (!humanFirst) {
          t += Math.round(lognormal(rnd, 2, 0.7) * MIN);
          add({ type: "incoming", senderType: "contact", senderId: contactId, content: ASK_HUMAN[lang], createdAt: t });
        }
        const candidates = OPERATORS.filter((o) => o.languages.includes(lang));
        const pool = candidates.length ? candidates : OPERATORS;
        const billing = pool.filter((o) => (o.team === "team_billing") === BILLING.has(category));
        const op = pickArr(rnd, billing.length ? billing : pool);
        owner = "human";
        assigneeId = op.id;
        teamId = op.team;
        add({
          type: "activity",
          senderType: "system",
          senderId: null,
          content: "Handed over to a human",
          createdAt: t + 1000,
        });
        const queueMin = lognormal(rnd, inSpike ? 22 : 7, 0.9) * (priority === "urgent" ? 0.3 : 1);
        const replyAt = nextOpen(t + 2000) + Math.round(queueMin * MIN);
        if (replyAt < end) {
          if (firstRespondedAt === null) firstRespondedAt = replyAt;
          if (rnd() < 0.25)
            add({
              type: "note",
              senderType: "operator",
              senderId: op.id,
              content: pickArr(rnd, NOTES),
              createdAt: replyAt - 30_000,
            });
          add({
            type: "outgoing",
            senderType: "operator",
            senderId: op.id,
            content: OPERATOR_REPLY[lang],
            createdAt: replyAt,
          });
          t = replyAt;
          if (wantsResolved) {
            const handle = lognormal(rnd, BILLING.has(category) || category === "damaged_item" ? 90 : 35, 1.1);
            resolvedAt = Math.min(end - MIN, nextOpen(t + Math.round(handle * MIN)));
            if (resolvedAt <= t) resolvedAt = t + MIN;
            status = "resolved";
          } else status = rnd() < 0.6 ? "open" : rnd() < 0.5 ? "pending" : "snoozed";
        } else {
          owner = "queue";
          assigneeId = rnd() < 0.5 ? assigneeId : null;
        }
      }
    }
    const lastMsg = msgs[msgs.length - 1];
    const frtDue = createdAt + FRT_SLA_MIN[priority] * MIN;
    const tags: string[] = [];
    if (inSpike && (category === "shipping_inquiry" || category === "damaged_item")) tags.push("shipping-delay");
    if (category === "payment_issue" && rnd() < 0.5) tags.push("refund");
    if (category === "cancel_subscription" || category === "pause_subscription") tags.push("retention");
    if (contactIdx < contactCount * 0.1 && rnd() < 0.5) tags.push("repeat-contact");
    if (category === "shipping_inquiry") tags.push(rnd() < 0.55 ? "carrier-dhl" : "carrier-israel-post");

    let csatScore: number | null = null;
    let csatComment: string | null = null;
    let npsScore: number | null = null;
    if (status === "resolved" && firstRespondedAt !== null && resolvedAt !== null) {
      if (rnd() < 0.42) {
        const slow = firstRespondedAt - createdAt > frtDue - createdAt;
        const base = aiResolves ? 4.4 : 4.0;
        const mean = base - (inSpike ? 0.9 : 0) - (slow ? 0.6 : 0) - (category === "damaged_item" ? 0.4 : 0);
        csatScore = Math.max(1, Math.min(5, Math.round(mean + (rnd() - 0.5) * 2.2)));
        if (rnd() < 0.55) csatComment = pickArr(rnd, CSAT_COMMENTS[csatScore >= 4 ? "good" : "bad"][lang]);
      }
      if (rnd() < 0.2) {
        const r = rnd() - (inSpike ? 0.15 : 0);
        npsScore = r < 0.18 ? Math.floor(rnd() * 7) : r < 0.5 ? 7 + Math.floor(rnd() * 2) : 9 + Math.floor(rnd() * 2);
      }
    }
    if (resolvedAt !== null && resolvedAt > end) resolvedAt = end - MIN;
    out.messages.push(...msgs);
    out.conversations.push({
      id,
      inboxId,
      contactId,
      identityId,
      channel,
      threadKey: `hist-${i}`,
      status,
      owner,
      assigneeId,
      teamId,
      priority,
      tags,
      category,
      secondaryCategories: [],
      language: lang,
      subject: channel === "email" ? OPENERS[category][lang].slice(0, 60) : null,
      lastMessageAt: lastMsg?.createdAt ?? createdAt,
      lastMessagePreview: (lastMsg?.content ?? "").slice(0, 120),
      lastSeq: seq,
      firstResponseDueAt: frtDue,
      firstResponseAtRiskAt: slaAtRiskAt(FRT_SLA_MIN[priority], (m) => createdAt + m * MIN),
      resolutionDueAt: createdAt + RES_SLA_MIN[priority] * MIN,
      resolutionAtRiskAt: slaAtRiskAt(RES_SLA_MIN[priority], (m) => createdAt + m * MIN),
      firstRespondedAt,
      resolvedAt: status === "resolved" ? resolvedAt : null,
      csatScore,
      csatComment,
      npsScore,
      aiResolved: status === "resolved" && aiResolves && !humanFirst,
      createdAt,
      updatedAt: Math.max(lastMsg?.createdAt ?? createdAt, resolvedAt ?? 0),
    });
  }

  function action(conversationId: string, contactId: string, tool: string, at: number, age: number): void {
    const recent = age < 1;
    const status = recent
      ? pick(rnd, { pending: 40, confirmed: 10, executed: 40, cancelled: 10 })
      : pick(rnd, { executed: 64, cancelled: 13, expired: 10, failed: 7, confirmed: 6 });
    const decided = status !== "pending" && status !== "expired";
    out.actions.push({
      id: `${conversationId}_a1`,
      conversationId,
      contactId,
      customerRef: null,
      tool,
      args: {},
      summary: tool.replaceAll("_", " "),
      status,
      proposedBy: "bot",
      decidedBy: decided ? contactId : null,
      decidedAt: decided ? at + 60_000 : null,
      executedAt: status === "executed" || status === "failed" ? at + 61_000 : null,
      expiresAt: at + 30 * MIN,
      result: status === "executed" ? { ok: true } : null,
      error: status === "failed" ? "The store did not answer in time" : null,
      createdAt: at,
    });
  }
}
