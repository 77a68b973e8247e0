/**
 * "How do you know that?" (issue 20, Memory 2): recognises a customer asking where a
 * remembered fact came from, or asking to forget it, in the five supported languages, and
 * words the answer. Pure: the room decides when to ask (ai-turn.ts) and does the forgetting.
 *
 * The answer names only the date and the channel of the conversation where the customer
 * said it (or that our team noted it) — never an internal id, never anything about another
 * customer — and offers to forget it. Patterns rather than the router: these are short,
 * fixed questions the intent model was never trained on, and a miss only means the normal
 * engine answers. The answer's words (channel names included) live in workers/copy.
 */
import { channelName, customerText, dayName, inEveryLanguage } from "../../copy/customer.ts";

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

/**
 * "“allergic to nuts” — you told us on 1 December 2026 (WhatsApp). Would you like us to forget it?"
 * Every word but the customer's own fact comes from workers/copy in their language: the
 * date spelled out there, the channel by the name customers use for it.
 */
export function provenanceReply(
  language: string | null,
  items: ProvenanceItem[],
): { text: string; buttons: Array<{ title: string; payload: string }> } {
  const lines = items.map((m) => {
    const date = dayName(language, m.date);
    const channel = m.origin === "operator" ? null : channelName(language, m.channel);
    const source =
      m.origin === "operator"
        ? customerText(language, "memory.noted", { date })
        : channel
          ? customerText(language, "memory.said", { date, channel })
          : customerText(language, "memory.saidUnknownChannel", { date });
    // Russian dates end in "г." already: no second full stop.
    return `“${m.fact}” — ${source}${source.endsWith(".") ? "" : "."}`;
  });
  return {
    text: [...lines, customerText(language, "memory.offer")].join("\n"),
    buttons: [
      { title: customerText(language, "memory.forget"), payload: "memory:forget" },
      { title: customerText(language, "memory.keep"), payload: "memory:keep" },
    ],
  };
}

export function forgetOutcomeReply(language: string | null, forgotten: boolean): string {
  return customerText(language, forgotten ? "memory.forgotten" : "memory.kept");
}

/** The "keep it" button's text in any language (the widget sends a button's title). */
export function isKeepAnswer(text: string): boolean {
  const t = text.trim().toLowerCase();
  return (
    inEveryLanguage("memory.keep").some((k) => k.toLowerCase() === t) || /^(?:no|нет|לא|non)(?![\p{L}\p{N}])/iu.test(t)
  );
}
