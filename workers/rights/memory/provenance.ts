/**
 * "How do you know that?" (issue 20, Memory 2): recognises a customer asking where a
 * remembered fact came from, or asking to forget it, in the five supported languages, and
 * words the answer. Pure: the room decides when to ask (ai-turn.ts) and does the forgetting.
 *
 * The answer names only the date and the channel of the conversation where the customer
 * said it (or that our team noted it) — never an internal id, never anything about another
 * customer — and offers to forget it. Patterns rather than the router: these are short,
 * fixed questions the intent model was never trained on, and a miss only means the normal
 * engine answers.
 */
import type { Language } from "../../protocol/vocabulary.ts";

const PROVENANCE: RegExp[] = [
  /\bhow\s+(?:do|did|would|could)\s+you\s+know\b/i,
  /\bwhere\s+did\s+you\s+(?:get|hear|find|learn)\b/i,
  /\bwho\s+told\s+you\b/i,
  /\bwhy\s+do\s+you\s+(?:think|say)\s+(?:that\s+)?i\b/i,
  /откуда\s+(?:вы|ты|у\s+вас)(?!\p{L})/iu,
  /как\s+вы\s+(?:это\s+)?узнали/iu,
  /(?:c[oó]mo|de\s+d[oó]nde)\s+(?:lo\s+|eso\s+)?(?:sab[eé]is|sabe[ns]?|sacaste|sac[oó]|sacaron)(?!\p{L})/iu,
  /\bcomment\s+(?:le\s+)?(?:savez|sais|saviez)\b/iu,
  /\bcomment\s+vous\s+(?:le\s+)?savez\b/iu,
  /\bd['’]o[uù]\s+(?:vous\s+)?(?:tenez|savez|vient)\b/iu,
  /(?:איך|מאיפה|מניין)\s+(?:אתם\s+|את\s+|אתה\s+)?(?:יודעים|יודעת|יודע|ידעתם|ידעת|זה)/u,
];

const FORGET: RegExp[] = [
  /\b(?:please\s+)?(?:forget|delete|remove|erase)\s+(?:it|that|this)\b/i,
  /^\s*(?:yes|yeah|yep)[,.!\s]+(?:please\s+)?forget/i,
  /\bforget\s+it\b/i,
  /забудьте|забудь|удалите\s+(?:это|эту)/iu,
  /\b(?:olv[ií]d(?:alo|elo|enlo)|b[oó]rr(?:alo|elo|enlo))\b/iu,
  /\b(?:oubliez|oublie|supprimez|effacez)[- ](?:le|la|ça|cela)\b|\boubliez\b/iu,
  /(?:תשכחו|תשכח|תמחקו|למחוק)/u,
];

export function isProvenanceQuestion(text: string): boolean {
  const t = text.trim();
  return t.length <= 200 && PROVENANCE.some((p) => p.test(t));
}

export function isForgetRequest(text: string): boolean {
  const t = text.trim();
  return t.length <= 200 && FORGET.some((p) => p.test(t));
}

export interface ProvenanceItem {
  fact: string;
  /** YYYY-MM-DD of the conversation (or of the operator's note). */
  date: string;
  /** The channel of the source conversation; null for an operator's note. */
  channel: string | null;
  origin: "rules" | "llm" | "operator";
}

const words = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((w) => w.length >= 4),
  );

/** The memories the last bot reply drew on (shared words), else all of them; at most three. */
export function relevantMemories<T extends { fact: string }>(memories: T[], lastBotText: string | null): T[] {
  const said = words(lastBotText ?? "");
  const used = memories.filter((m) => [...words(m.fact)].some((w) => said.has(w)));
  return (used.length ? used : memories).slice(0, 3);
}

const CHANNEL: Record<string, string> = {
  widget: "website chat",
  whatsapp: "WhatsApp",
  telegram: "Telegram",
  messenger: "Messenger",
  email: "email",
};

type Lang = Language;
const TEXT: Record<
  Lang,
  {
    said: (date: string, channel: string | null) => string;
    noted: (date: string) => string;
    offer: string;
    forget: string;
    keep: string;
    forgotten: string;
    kept: string;
  }
> = {
  en: {
    said: (d, c) => `you told us on ${d}${c ? ` (${c})` : ""}`,
    noted: (d) => `our team noted it on ${d}`,
    offer: "Would you like us to forget it?",
    forget: "Forget it",
    keep: "Keep it",
    forgotten: "Done — we have forgotten it and will not use it again.",
    kept: "All right, we will keep it.",
  },
  ru: {
    said: (d, c) => `вы написали нам ${d}${c ? ` (${c})` : ""}`,
    noted: (d) => `наша команда отметила это ${d}`,
    offer: "Хотите, чтобы мы это забыли?",
    forget: "Забудьте",
    keep: "Оставьте",
    forgotten: "Готово — мы это забыли и больше не будем использовать.",
    kept: "Хорошо, оставим.",
  },
  he: {
    said: (d, c) => `כתבתם לנו ב-${d}${c ? ` (${c})` : ""}`,
    noted: (d) => `הצוות שלנו רשם זאת ב-${d}`,
    offer: "האם תרצו שנשכח את זה?",
    forget: "תשכחו",
    keep: "השאירו",
    forgotten: "בוצע — שכחנו את זה ולא נשתמש בזה שוב.",
    kept: "בסדר, נשאיר את זה.",
  },
  es: {
    said: (d, c) => `nos lo dijo el ${d}${c ? ` (${c})` : ""}`,
    noted: (d) => `nuestro equipo lo anotó el ${d}`,
    offer: "¿Quiere que lo olvidemos?",
    forget: "Olvídelo",
    keep: "Consérvelo",
    forgotten: "Hecho: lo hemos olvidado y no lo volveremos a usar.",
    kept: "De acuerdo, lo conservamos.",
  },
  fr: {
    said: (d, c) => `vous nous l'avez dit le ${d}${c ? ` (${c})` : ""}`,
    noted: (d) => `notre équipe l'a noté le ${d}`,
    offer: "Voulez-vous que nous l'oubliions ?",
    forget: "Oubliez-le",
    keep: "Gardez-le",
    forgotten: "C'est fait : nous l'avons oublié et ne l'utiliserons plus.",
    kept: "D'accord, nous le gardons.",
  },
};

const lang = (l: string | null): Lang => (l === "ru" || l === "he" || l === "es" || l === "fr" ? l : "en");

/** "“allergic to nuts” — you told us on 2026-12-01 (WhatsApp). Would you like us to forget it?" */
export function provenanceReply(
  language: string | null,
  items: ProvenanceItem[],
): { text: string; buttons: Array<{ title: string; payload: string }> } {
  const t = TEXT[lang(language)];
  const lines = items.map(
    (m) =>
      `“${m.fact}” — ${m.origin === "operator" ? t.noted(m.date) : t.said(m.date, m.channel ? (CHANNEL[m.channel] ?? m.channel) : null)}.`,
  );
  return {
    text: [...lines, t.offer].join("\n"),
    buttons: [
      { title: t.forget, payload: "memory:forget" },
      { title: t.keep, payload: "memory:keep" },
    ],
  };
}

export function forgetOutcomeReply(language: string | null, forgotten: boolean): string {
  const t = TEXT[lang(language)];
  return forgotten ? t.forgotten : t.kept;
}

/** The "keep it" button's text in any language (the widget sends a button's title). */
export function isKeepAnswer(text: string): boolean {
  const t = text.trim().toLowerCase();
  return Object.values(TEXT).some((x) => x.keep.toLowerCase() === t) || /^(?:no|нет|לא|non)\b/iu.test(t);
}
