/**
 * Guardrails against poisoned knowledge (issue 21, item 8): a crawled page or uploaded
 * document told customers to open a link and type their card number, and the draft quoted
 * it verbatim. Two checks run on every reply draft, quoted passages included:
 *
 * - `checkLinks`: every link (scheme URLs, www. hosts, bare domains) must point to an
 *   allowlisted host or a subdomain of one. The allowlist is the workspace setting
 *   `linkAllowlist` plus this deployment's PUBLIC_URL, the shop's API host and the
 *   carriers' tracking sites (built by the engine, see `linkPolicy`).
 * - `checkCredentialRequests`: no request for card numbers, CVV/CVC, passwords, PINs or
 *   one-time codes in en/ru/he/es/fr (a clause with a request verb and a sensitive noun,
 *   unless the clause is negated: "we will never ask for your password" is fine).
 *
 * Pure; imports only ./text.ts and ./types.ts.
 */
import { clauses, fold } from "./text.ts";
import type { Violation } from "./types.ts";

export interface LinkPolicy {
  /** Hosts (lower case, no port) whose pages and subdomains may be linked. */
  allowedHosts: string[];
}

/** The policy from its sources; invalid entries are dropped. */
export function linkPolicy(sources: { publicUrl: string; extraUrls?: string[]; allowlist?: string[] }): LinkPolicy {
  const hosts = new Set<string>();
  for (const u of [sources.publicUrl, ...(sources.extraUrls ?? [])]) {
    const host = hostOf(u);
    if (host) hosts.add(host);
  }
  for (const h of sources.allowlist ?? []) {
    const host = hostOf(h.includes("://") ? h : `https://${h}`);
    if (host) hosts.add(host);
  }
  return { allowedHosts: [...hosts] };
}

function hostOf(url: string): string | null {
  try {
    const h = new URL(url).hostname.toLowerCase().replace(/\.+$/, "");
    return h.replace(/^www\./, "") || null;
  } catch {
    return null;
  }
}

const COMMON_TLDS =
  "com|net|org|info|biz|io|co|me|app|site|online|xyz|top|shop|store|link|click|ru|su|il|es|fr|de|uk|us|eu|ua|by|kz|pl|it|nl|pro|live|support|help|pay|bank";
const SCHEME_URL = /\bhttps?:\/\/[^\s<>"'()[\]{}]+/gi;
const WWW_URL = /\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s<>"'()[\]{}]*/gi;
const BARE_DOMAIN = new RegExp(
  `(?<![@\\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${COMMON_TLDS})(?![\\w-])(?:/[^\\s<>"'()\\[\\]{}]*)?`,
  "gi",
);

/** Hosts of every link in `text` (scheme URLs, www. hosts, bare domains; e-mail addresses excluded). */
export function linkHosts(text: string): string[] {
  const hosts = new Set<string>();
  const normalised = text.normalize("NFKC");
  for (const m of normalised.matchAll(SCHEME_URL)) {
    const h = hostOf(m[0]);
    if (h) hosts.add(h);
  }
  for (const re of [WWW_URL, BARE_DOMAIN]) {
    for (const m of normalised.matchAll(re)) {
      const h = hostOf(`https://${m[0]}`);
      if (h) hosts.add(h);
    }
  }
  return [...hosts];
}

function allowed(host: string, policy: LinkPolicy): boolean {
  return policy.allowedHosts.some((a) => host === a || host.endsWith(`.${a}`));
}

/** A link to a host outside the allowlist never reaches a customer unreviewed. */
export function checkLinks(text: string, policy: LinkPolicy): Violation[] {
  const foreign = linkHosts(text).filter((h) => !allowed(h, policy));
  if (foreign.length === 0) return [];
  return [
    {
      code: "unlisted_link",
      message: `draft links to a site outside the workspace's allowlist (${foreign.slice(0, 3).join(", ")})`,
      severity: "block",
    },
  ];
}

// Patterns run on fold()ed text: lower case, accents and niqqud removed. JavaScript's \b
// only knows ASCII words, so Cyrillic and Hebrew words are delimited with (^|\s)…(\s|$).
const SENSITIVE = [
  // en
  /\b(card|credit card|debit card|bank card) ?(number|details|info|data)\b|\b(cvv2?|cvc2?|cvn|security code)\b|\bexpir(y|ation) date\b|\bpass(word|code|phrase)\b|\bpin( code)?\b|\b(one[- ]time|otp|sms|text|verification|2fa|two[- ]factor|authentication|login|bank) (code|password|pin)\b|\botp\b/,
  // ru
  /номер\S* (банковской )?карт|данн\S* (банковской )?карт|реквизит\S* карт|\bcvv|\bcvc|код\S* безопасности|срок\S* действия карт|парол|пин[- ]?код|(^|\s)пин(\s|$)|одноразов\S* (код|парол)|код\S* из (смс|sms)|смс[- ]?код|код\S* подтверждения/,
  // he
  /מספר (ה)?כרטיס|פרטי (ה)?(כרטיס|אשראי)|כרטיס (ה)?אשראי|קוד (ה)?אבטחה|סיסמ(ה|א)|קוד (ה)?חד[- ]פעמי|קוד (ה)?אימות|קוד (ב|מה)[- ]?(sms|הודעה)|תוקף (ה)?כרטיס/,
  // es
  /numero de (la |su |tu )?tarjeta|datos de (la |su |tu )?tarjeta|codigo de seguridad|contrasena|\bclave\b|codigo (de un solo uso|sms|de verificacion|pin)|fecha de (caducidad|vencimiento)/,
  // fr
  /numero de (la |votre |ta )?carte|coordonnees bancaires|donnees (de )?(la |votre )?carte|cryptogramme|code de securite|mot de passe|code (pin|a usage unique|sms|de verification|de confirmation)|date d'expiration/,
];

const REQUEST = [
  /\b(enter|type|send|share|provide|give|tell|reply|write|confirm|input|submit|fill|paste|verify|update|what is|what's|need|require|ask)\w*/,
  /(введ|ввест|вбе|отправ|пришл|напиш|сообщ|укаж|назов|продикт|скин|подел|вышл|подтверд|нужн|требуе)/,
  /(הזן|הזינו|הקלד|הקלידו|שלח|שלחו|כתוב|כתבו|מסור|מסרו|ספק|תן |תנו|שתף|שתפו|אשר|אשרו|עדכן|עדכנו|צריך|נדרש)/,
  /(introdu[cz]|ingres|escrib|envi[ae]|comparte|compart|proporcion|facilit|indica|dinos|teclea|confirm|actualiz|necesit)/,
  /(entrez|entrer|saisi|tapez|envoy|communiqu|indiquez|donnez|transmet|partag|ecrivez|fourniss|confirm|mettez a jour|besoin)/,
];

const NEGATION = [
  /\b(never|not|don't|dont|do not|won't|will not|no need|no one|nobody)\b/,
  /(никогда|(^|\s)не(\s|$)|ни в коем)/,
  /(לעולם לא|(^|\s)אל\s|אין צורך|(^|\s)לא(\s|$))/,
  /\b(nunca|no|jamas)\b/,
  /\b(jamais|ne|n'|pas|personne)\b/,
];

/** Whether a draft asks the customer for a card number, CVV, password, PIN or one-time code. */
export function asksForCredentials(text: string): boolean {
  return clauses(fold(text)).some(({ text: clause }) => {
    const noun = SENSITIVE.map((re) => re.exec(clause)).find((m) => m !== null);
    if (!noun) return false;
    if (!REQUEST.some((re) => re.test(clause))) return false;
    const before = clause.slice(0, noun.index);
    return !NEGATION.some((re) => re.test(before));
  });
}

export function checkCredentialRequests(text: string): Violation[] {
  if (!asksForCredentials(text)) return [];
  return [
    {
      code: "credential_request",
      message: "draft asks the customer for a card number, security code, password or one-time code",
      severity: "block",
    },
  ];
}

/** Both checks; the engine runs this on every reply it did not template itself. */
export function checkPoisoning(text: string, policy: LinkPolicy): Violation[] {
  return [...checkLinks(text, policy), ...checkCredentialRequests(text)];
}

/**
 * Poisoning checks on the whole passages a reply quoted from, one violation per code: an
 * extract picks the line that answers, so the attacker's line beside it would otherwise
 * never be looked at while their page still speaks to the customer.
 */
export function sourceViolations(sources: readonly string[], policy: LinkPolicy): Violation[] {
  const found = new Map<string, Violation>();
  for (const v of [...new Set(sources)].flatMap((s) => checkPoisoning(s, policy)))
    if (!found.has(v.code)) found.set(v.code, v);
  return [...found.values()];
}
