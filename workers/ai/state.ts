/**
 * The engine's memory between turns. The room stores whatever `runTurn` returns as
 * EngineMemory; the engine keeps a few more fields of its own beside the contract's and
 * reads them back through zod, because stored JSON is data, not a type.
 */
import { z } from "zod";
import { CATEGORY_KEYS, type CategoryKey } from "../lib/categories.ts";
import type { EngineMemory } from "./turn-types.ts";
import { accountFields } from "./agent/account-question.ts";

const Category = z.enum(CATEGORY_KEYS);

const StateSchema = z.object({
  email: z.string().nullish(),
  verified: z.boolean().optional(),
  customerRef: z.string().nullish(),
  pendingIntents: z.array(z.string()).optional(),
  awaitingCode: z.boolean().optional(),
  category: z.string().nullish(),
  retentionOffered: z.boolean().optional(),
  awaitingEmail: z.boolean().optional(),
  pendingText: z.string().nullish(),
  pendingAttachments: z.array(z.string()).optional(),
  pendingConfidence: z.number().optional(),
  ask: z.enum(["pause", "frequency", "address"]).nullish(),
  vouchChecked: z.boolean().optional(),
  unknownEmail: z.string().nullish(),
});

export interface EngineState extends EngineMemory {
  awaitingEmail?: boolean;
  pendingText?: string | null;
  pendingAttachments?: string[];
  pendingConfidence?: number;
  ask?: "pause" | "frequency" | "address" | null;
  vouchChecked?: boolean;
  /** An email-channel sender's address that matches no account. */
  unknownEmail?: string | null;
}

/** Reads stored memory; anything malformed starts fresh rather than failing the turn. */
export function readState(memory: EngineMemory): EngineState {
  const parsed = StateSchema.safeParse(memory);
  const base: EngineState = parsed.success ? { ...parsed.data } : {};
  base.lastRoute = memory.lastRoute ?? null;
  return base;
}

/** Known category keys among stored strings. */
export function categoriesOf(xs: string[] | undefined): CategoryKey[] {
  return (xs ?? []).flatMap((x) => {
    const r = Category.safeParse(x);
    return r.success ? [r.data] : [];
  });
}

/** Categories that need a verified customer (everything but FAQ and "other"). */
export function needsAccount(c: CategoryKey, text = ""): boolean {
  // "When is my next box?" or "What plan am I on?" is answered from the account whatever the category.
  if (text && accountFields(text).length > 0) return true;
  if (c === "general_question" || c === "other") return false;
  // "How long does shipping to Canada take?" or "Which cards do you accept?" are policy
  // questions the knowledge base answers; only questions about the customer's own box,
  // order or charge need the account (and so identification first).
  if ((c === "shipping_inquiry" || c === "payment_issue") && text && !isPersonalRequest(text)) return false;
  return true;
}

const PERSONAL = [
  /\b(my|mine|me|i|i'm|i've|i'd|we|our)\b/i,
  // "us" the pronoun, not "the US" the country.
  /\bus\b/,
  /\b(order|tracking|track|account|subscription)\b/i,
  /#?\b(?:lh-)?\d{4,}\b/i,
  /(^|[^\p{L}])(мой|моя|моё|мои|мою|моей|мне|меня|я|мы|наш|заказ|трек)(?=$|[^\p{L}])/iu,
  /(שלי|שלנו|אני|הזמנה|מעקב|החבילה שלי|קיבלתי|הזמנתי)/u,
  /\b(mi|mis|me|yo|mío|mía|nuestro|pedido|seguimiento)\b/iu,
  /\b(mon|ma|mes|moi|je|j'ai|notre|nos|commande|suivi)\b/iu,
  // Events of one's own account, even without a pronoun ("Почему не прошла оплата?").
  /didn't go through|did not go through|was declined|got declined|charged me|не прошл|отклонил|списали|לא עבר|נדחה|חויבתי|no pas[óo]|rechaza|me cobraron|refus[ée]|n'est pas pass[ée]|d[ée]bit[ée]/iu,
];

/**
 * "Can I pay with Apple Pay?", "Можно оплатить через PayPal?", "¿Puedo pagar con PayPal?":
 * a question about what the shop allows, phrased with "I", is a policy question.
 */
const POLICY_FRAME =
  /^\s*(?:(?:hi|hello|hey)[,!.\s]+)?(?:can|could|may|do|does|is|are)\s+(?:i|you|we|it|one)\b|^\s*(?:а\s+)?(?:можно|могу ли я|принимаете)|^\s*(?:האם\s+)?(?:אפשר|ניתן|אתם מקבלים)|^\s*¿?\s*(?:puedo|se puede|aceptan|es posible)|^\s*(?:puis-je|est-ce que je peux|peut-on|acceptez-vous|est-ce qu'on peut)/iu;
const POSSESSIVE =
  /\b(?:my|mine|our)\b|(^|[^\p{L}])(?:мой|моя|моё|мои|мою|моей|моего|наш)(?=$|[^\p{L}])|(?:שלי|שלנו)|\b(?:mi|mis|nuestro)\b|\b(?:mon|ma|mes|notre|nos)\b/iu;

/** Does the message talk about the writer's own order, box, charge or account? */
export function isPersonalRequest(text: string): boolean {
  if (POLICY_FRAME.test(text) && !POSSESSIVE.test(text) && !/#?\b(?:lh-)?\d{4,}\b/i.test(text)) return false;
  return PERSONAL.some((re) => re.test(text));
}
