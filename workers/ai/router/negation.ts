/**
 * Negated intents: "I do NOT want to cancel, I want to pause" is about pausing. A
 * bag-of-words classifier sees "cancel" and answers cancel with full confidence; these
 * patterns name the actions a message explicitly refuses, in the five languages, so the
 * router can drop them (issue 18, answers 4). Pure.
 */
import type { CategoryKey } from "../../lib/categories.ts";

// "Not" + a verb of wanting, then the action: "why can't I cancel?" is still about cancelling.
const EN =
  "(?:do not|don't|dont|does not|doesn't|not|never)\\s+(?:really\\s+|actually\\s+)?(?:want|wish|intend|plan|mean|need|going|looking)\\s+(?:to\\s+)?(?:\\w+\\s+)?";
const RU = "не\\s+(?:хочу|хотим|собираюсь|буду|планирую|нужно|надо)\\s+(?:\\S+\\s+)?";
const HE = "לא\\s+(?:רוצה|רוצים|מתכוון|מתכוונת|צריך|צריכה)\\s+(?:\\S+\\s+)?";
const ES = "no\\s+(?:quiero|queremos|deseo|voy a|pienso|necesito)\\s+(?:\\S+\\s+)?";
const FR = "(?:ne|n')\\s*(?:veux|voulons|souhaite|vais|compte)\\s+pas\\s+(?:\\S+\\s+)?";

const negation = (en: string, ru: string, he: string, es: string, fr: string): RegExp =>
  new RegExp(`${EN}(?:${en})|${RU}(?:${ru})|${HE}(?:${he})|${ES}(?:${es})|${FR}(?:${fr})`, "iu");

const NEGATIONS: Array<[CategoryKey, RegExp]> = [
  [
    "cancel_subscription",
    negation(
      "cancel|unsubscribe|quit|stop",
      "отмен|отпис|расторг",
      "לבטל|ביטול",
      "cancelar|anular|dar",
      "r[ée]silier|annuler|me d[ée]sabonner|arr[êe]ter",
    ),
  ],
  [
    "pause_subscription",
    negation("pause|hold", "пауз|приостанов", "להשהות|השהיה|להקפיא", "pausar|poner", "mettre en pause|suspendre"),
  ],
  ["skip_month", negation("skip", "пропуск|пропуст", "לדלג", "saltar|omitir", "sauter")],
];

/** Categories whose action the message explicitly refuses ("not cancel", "не хочу отменять"). */
export function negatedCategories(text: string): CategoryKey[] {
  return NEGATIONS.filter(([, re]) => re.test(text)).map(([c]) => c);
}
