/**
 * "About my account" questions (issue 18, answers 3): next box date, plan, price, paused
 * until, last payment, status — answered from the store, not the FAQ, with wording that
 * knows the subscription's state (paused: until when and what comes next; cancelled:
 * how to come back, never a retention offer). The categories are fixed, so this is a
 * question type the local agent recognises inside whatever category the router chose.
 */
import type { AccountSnapshot } from "../../commerce/types.ts";
import { dayName, frequencyWord, money, t } from "./templates.ts";

export type AccountField = "nextBox" | "plan" | "price" | "pausedUntil" | "lastPayment" | "status";

// Question forms only: "pause until March" is a request, "until when am I paused?" a question.
const FIELDS: Array<[AccountField, RegExp]> = [
  [
    "pausedUntil",
    /when (?:does|will) my pause end|(?:until|till) when (?:is|am|are)[^.?!]*paus|paused until when|how long (?:is|am) (?:my subscription|i) paused|when does my pause|(?:до какого числа|до когда|когда закончится|когда кончится)[^.?!]*пауз|пауз\S* до какого|עד מתי[^.?!]*(?:מושה|בהשהי|מוקפא)|hasta cu[aá]ndo[^.?!]*pausad|pausad[ao] hasta cu[aá]ndo|cu[aá]ndo termina (?:mi )?pausa|jusqu'(?:à|a) quand[^.?!]*(?:en pause|suspendu)|quand (?:se termine|finit) (?:ma )?pause/iu,
  ],
  [
    "nextBox",
    /when[^.?!]*next (?:box|delivery|shipment|parcel|package|one)|next (?:box|delivery) (?:date|ship|arriv|com)|what date[^.?!]*next|когда[^.?!]*следующ|מתי[^.?!]*(?:הבא|הבאה)|cu[aá]ndo[^.?!]*pr[oó]xim|quand[^.?!]*prochaine?/iu,
  ],
  [
    "price",
    /how much (?:do|will|am) i (?:pay|be charged|being charged)|what (?:do|will) i pay|сколько (?:я )?(?:плачу|заплачу)|כמה אני משלם|cu[aá]nto (?:pago|me cobran|cuesta mi)|combien (?:je paie|je paye|est-ce que je paie|me co[uû]te)/iu,
  ],
  [
    "lastPayment",
    /how much was my last|what was my last (?:payment|charge)|when was my last (?:payment|charge)|сколько[^.?!]*(?:последн\S* (?:плат|списан)|списали)|כמה[^.?!]*(?:חייבו|התשלום האחרון)|cu[aá]nto me cobraron|cu[aá]nto fue (?:mi|el) [uú]ltimo|combien[^.?!]*(?:dernier paiement|d[ée]bit[ée]|pr[ée]lev[ée])/iu,
  ],
  [
    "plan",
    /(?:what|which)[^.?!]*plan[^.?!]*(?:am i|i'm|do i|i am)|what(?:'s| is) my (?:current )?plan|какой (?:у меня )?(?:тариф|план)|(?:באיזו|איזו|מה ה)(?:תוכנית|מסלול)|qu[eé] plan tengo|cu[aá]l es mi plan|quelle (?:est )?(?:ma )?formule|quel est mon (?:plan|abonnement)/iu,
  ],
  [
    "status",
    /(?:status|state) of my (?:subscription|account)|my (?:subscription|account) status|is my subscription (?:active|paused|cancelled)|статус (?:моей |мой )?(?:подписк|аккаунт)|הסטטוס של המנוי|estado de mi suscripci|statut de mon abonnement/iu,
  ],
];

/** Account fields the message asks about, in a stable order; empty when it asks none. */
export function accountFields(text: string): AccountField[] {
  return FIELDS.filter(([, re]) => re.test(text)).map(([f]) => f);
}

/** The reply to an account question, from the store, aware of the subscription's state. */
export function answerAccountQuestion(fields: AccountField[], account: AccountSnapshot, lang: string): string {
  const sub = account.subscription;
  if (!sub) return t(lang, "acct.noSubscription");
  const parts: string[] = [];
  const price = money(lang, sub.priceCents, sub.currency);
  const freq = frequencyWord(lang, sub.frequency);
  const want = new Set(fields.length ? fields : (["status"] as AccountField[]));
  if (want.has("plan") || want.has("price") || want.has("status"))
    parts.push(t(lang, "acct.plan", { plan: sub.plan, price, freq }));
  if (sub.status === "cancelled") {
    parts.push(t(lang, "acct.cancelled"));
  } else if (sub.status === "paused") {
    const until = sub.pausedUntil ? dayName(lang, sub.pausedUntil) : "-";
    const next = sub.nextBoxDate ? dayName(lang, sub.nextBoxDate) : "-";
    parts.push(t(lang, "acct.paused", { until, next }));
  } else if (want.has("nextBox") || want.has("status") || want.has("pausedUntil")) {
    if (want.has("pausedUntil")) parts.push(t(lang, "acct.notPaused"));
    if (sub.nextBoxDate) parts.push(t(lang, "acct.nextBox", { date: dayName(lang, sub.nextBoxDate) }));
  }
  if (want.has("lastPayment")) {
    const p = account.latestPayment;
    parts.push(
      p
        ? t(lang, p.status === "failed" ? "acct.lastPaymentFailed" : "acct.lastPayment", {
            amount: money(lang, p.amountCents, p.currency),
            date: dayName(lang, p.at),
          })
        : t(lang, "acct.noPayment"),
    );
  }
  return parts.join(" ");
}
