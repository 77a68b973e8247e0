/**
 * Rule layer of the router: escalation (threats, legal claims, bank disputes,
 * chargebacks) and urgency, in the five supported languages. Rules, not the model,
 * decide these because a missed lawyer or chargeback is costly and the words are few and
 * well known. Hebrew patterns allow the attached prefixes ו/ב/ל/ה/ש/מ/כ.
 */
import type { CategoryKey, Urgency } from "../../lib/categories.ts";

/** Why a conversation is handed to a human at once. */
export type EscalateReason = "threat" | "legal_threat" | "chargeback" | "bank_dispute";

/** Unicode-aware word start/end (JS \b only knows ASCII). */
const S = "(?<![\\p{L}\\p{N}])";
const E = "(?![\\p{L}\\p{N}])";
const HE = "(?<![\\p{L}])[ובלהשמכ]{0,2}";

const re = (source: string): RegExp => new RegExp(source, "iu");

const THREAT = [
  re(`${S}(?:i(?:'ll| will| am going to|'m going to| gonna)) (?:kill|hurt|shoot|stab|burn down|find) you`),
  re(`${S}you(?:'ll| will) (?:regret|pay for) (?:this|it)${E}`),
  re(`${S}(?:watch your back|i know where you (?:live|work)|bomb)${E}`),
  re(`${S}(?:убью|убить вас|пожалеете|вам конец|сожгу|взорву)${E}`),
  re(`${HE}(?:אהרוג|ארצח|תצטערו|אשרוף|אפוצץ)${E}`),
  re(
    `${S}(?:(?:te|los|les|os) voy a matar|os mataré|los mataré|se van a arrepentir|te vas a arrepentir|sé dónde vive)`,
  ),
  re(`${S}(?:je vais vous tuer|vous allez le regretter|vous le regretterez|je sais où vous habitez)`),
];

const LEGAL = [
  re(
    `${S}(?:lawyers?|attorneys?|solicitors?|lawsuit|sue|suing|legal action|small claims|court|consumer protection|bbb|ftc)${E}`,
  ),
  re(
    `${S}(?:адвокат\\p{L}*|юрист\\p{L}*|суд|суда|суду|судом|суде|судебн\\p{L}*|иск|иском|исковое|роспотребнадзор\\p{L}*|защиты прав потребителей)${E}`,
  ),
  re(`${HE}(?:עורך דין|עורכת דין|עו"ד|עו״ד|תביעה|תביעות|אתבע|נתבע|לתבוע|בית משפט|בית המשפט|הגנת הצרכן)${E}`),
  re(
    `${S}(?:abogad[oa]s?|demanda|demandar|demandaré|demandaremos|tribunal(?:es)?|juicio|acciones legales|denunciar|denunciaré|consumidores)${E}`,
  ),
  re(
    `${S}(?:avocats?|tribunal|procès|poursuites? judiciaires?|poursuivre en justice|en justice|porter plainte|porterai plainte|mise en demeure|ufc)${E}`,
  ),
];

const CHARGEBACK = [
  re(`${S}(?:charge ?backs?|чарджб[эе]к\\p{L}*|contracargos?|rétrofacturation)${E}`),
  re(`${HE}(?:צ'ארג'בק|צ׳ארג׳בק|צארג'בק|חיוב חוזר)`),
];

const BANK_DISPUTE = [
  re(
    `${S}(?:dispute|contest|reverse|file a claim|open a (?:case|claim|dispute))[^.!?\\n]{0,60}(?:bank|card company|card issuer|paypal|visa|mastercard|amex)`,
  ),
  re(`${S}(?:bank|card company|card issuer|paypal)[^.!?\\n]{0,40}(?:dispute|reverse|claw ?back|refund it)`),
  re(
    `(?:оспор|опротест)\\p{L}*[^.!?\\n]{0,60}(?:банк|paypal)|банк\\p{L}*[^.!?\\n]{0,40}(?:оспор|опротест|отмен\\p{L}* (?:платеж|транзакц|списани))`,
  ),
  re(
    `(?:חברת האשראי|חברת אשראי|הבנק|בנק)[^.!?\\n]{0,40}(?:לערער|ערעור|אערער|מחלוקת|לבטל את החיוב|לבטל את העסקה|ביטול העסקה|ביטול החיוב|אבטל את החיוב)|(?:אערער|לערער|אבטל את החיוב|אבטל את העסקה)[^.!?\\n]{0,40}(?:חברת האשראי|הבנק|בנק)`,
  ),
  re(
    `(?:disputa|disputar|reclamar|reclamaré|reclamación|impugnar|anular el cargo|anularé el cargo)[^.!?\\n]{0,60}(?:banco|paypal|tarjeta de crédito)|${S}banco[^.!?\\n]{0,40}(?:disputa|reclam|anul|devolver)`,
  ),
  re(
    `${S}(?:faire opposition|ferai opposition|fait opposition)|(?:contester|contestation|litige)[^.!?\\n]{0,60}(?:banque|paypal)|${S}banque[^.!?\\n]{0,40}(?:contest|litige|rembours)`,
  ),
];

const URGENT = re(
  `${S}(?:urgent|urgently|asap|as soon as possible|immediately|right now|emergency|срочно|срочн\\p{L}*|немедленно|как можно скорее|сейчас же|urgente|urgencia|inmediatamente|cuanto antes|lo antes posible|urgence|immédiatement|au plus vite|dès que possible)${E}|${HE}(?:דחוף|בדחיפות|מיד|מייד|כמה שיותר מהר)${E}`,
);

const REPEATED = re(
  `${S}(?:again|once more|(?:second|third|fourth|fifth) time|several times|multiple times|many times|keeps? (?:happening|failing)|опять|снова|(?:второй|третий|четвертый|который) раз|несколько раз|otra vez|de nuevo|nuevamente|(?:segunda|tercera|cuarta) vez|varias veces|encore une fois|à nouveau|de nouveau|(?:deuxième|troisième|quatrième) fois|plusieurs fois)${E}|${HE}(?:שוב|פעם שנייה|פעם שלישית|כמה פעמים)${E}`,
);

const PERISHABLE = re(
  `${S}(?:food|chocolate|honey|dates|halva|cheese|wine|juice|cookies|spoil|rotten|mou?ld|melted|expired|еда|шоколад|мед|халв|финик|испорч|плесен|протух|раста|просроч|comida|miel|dátiles|moho|podrid|derreti|caducad|echó a perder|nourriture|chocolat|dattes|moisi|pourri|fondu|périmé|gâté)|${HE}(?:אוכל|שוקולד|דבש|תמרים|חלבה|עובש|מקולקל|נמס|התקלקל|תפוגה)`,
);

/** Escalation reasons found in the message, in a fixed order; empty when none. */
export function detectEscalation(text: string): EscalateReason[] {
  const t = text.replace(/ё/g, "е").replace(/Ё/g, "Е");
  const reasons: EscalateReason[] = [];
  if (THREAT.some((r) => r.test(t))) reasons.push("threat");
  if (LEGAL.some((r) => r.test(t))) reasons.push("legal_threat");
  if (CHARGEBACK.some((r) => r.test(t))) reasons.push("chargeback");
  if (BANK_DISPUTE.some((r) => r.test(t))) reasons.push("bank_dispute");
  return reasons;
}

/** Categories that put a customer's money or goods at stake: at least medium urgency. */
const MEDIUM: ReadonlySet<CategoryKey> = new Set([
  "damaged_item",
  "payment_issue",
  "cancel_subscription",
  "shipping_inquiry",
]);

/**
 * Urgency from rules: critical for escalations or urgent + repeated failure; high for
 * urgent wording, repeated failures, or damaged perishable goods; medium for
 * money/goods categories; low otherwise.
 */
export function detectUrgency(text: string, categories: readonly CategoryKey[], escalate: boolean): Urgency {
  const t = text.replace(/ё/g, "е").replace(/Ё/g, "Е");
  const urgent = URGENT.test(t);
  const repeated = REPEATED.test(t);
  if (escalate || (urgent && repeated)) return "critical";
  const damagedPerishable = categories.includes("damaged_item") && PERISHABLE.test(t);
  if (urgent || repeated || damagedPerishable) return "high";
  if (categories.some((c) => MEDIUM.has(c))) return "medium";
  return "low";
}
