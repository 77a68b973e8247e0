/**
 * Text normalisation shared by the local embedder and the keyword index: lower case,
 * accents folded, words split on Unicode letters/digits, stop words dropped and a light
 * suffix stemmer (English, plus common Russian/Spanish/French endings). Light on
 * purpose: over-eager stemming merges words support customers keep apart.
 */

const STOP_WORDS = new Set(
  (
    "a an the and or but if then so to of in on at by for from with without into onto over under about as is are was were be been being " +
    "am do does did done doing have has had having i me my mine we us our ours you your yours he him his she her it its they them their " +
    "this that these those there here what which who whom whose can could would should will shall may might must not no nor too very " +
    "just also only than such own same other some any each all both few more most again once up down out off can't don't i'm i've it's " +
    "get got let please hi hello thanks thank ok okay yes would like want need know tell one still even really much many " +
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему " +
    "теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот " +
    "el la los las de del y o en un una unos unas que es por para con al lo se su sus mi mis como pero muy " +
    "le les des du et ou au aux ce ces est une pour pas par sur dans qui je mon ma mes vous nous il elle " +
    "את של על עם זה זו הוא היא אני אנחנו אתה את הם לא כן גם או אבל"
  ).split(/\s+/),
);

/** Lower-cases, folds accents (é→e, ё→е) and strips Hebrew points, keeping letters. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** Word tokens of normalised text (letters and digits only, length ≥ 2 unless a digit). */
export function wordTokens(text: string): string[] {
  return (normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? []).filter((t) => t.length > 1 || /\d/.test(t));
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

const RU_ENDINGS = [
  "иями",
  "ями",
  "ами",
  "ого",
  "его",
  "ому",
  "ему",
  "ыми",
  "ими",
  "ться",
  "тся",
  "ешь",
  "ает",
  "яет",
  "ует",
  "ают",
  "ить",
  "ать",
  "ять",
  "еть",
  "ая",
  "яя",
  "ое",
  "ее",
  "ые",
  "ие",
  "ой",
  "ей",
  "ом",
  "ем",
  "ам",
  "ям",
  "ах",
  "ях",
  "ую",
  "юю",
  "ть",
  "ет",
  "ют",
  "ут",
  "ит",
  "ат",
  "ят",
  "ла",
  "ло",
  "ли",
  "а",
  "я",
  "о",
  "е",
  "ы",
  "и",
  "у",
  "ю",
  "ь",
  "й",
];

/** A light stemmer: enough to merge ship/shipped/shipping/shipment, not a full Porter. */
export function stem(token: string): string {
  if (/^[\u0400-\u04ff]+$/.test(token)) return stemRussian(token);
  if (!/^[a-z]+$/.test(token) || token.length <= 3) return token;
  let w = token;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w) && w.length > 3) w = w.slice(0, -1);
  for (const suffix of ["ations", "ation", "ment", "ingly", "ing", "edly", "ed", "ly", "ate", "e", "y"]) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && /[aeiouy]/.test(w.slice(0, -suffix.length))) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // shipp → ship, cancell → cancel
  if (/([bdfgklmnprt])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

function stemRussian(token: string): string {
  for (const ending of RU_ENDINGS) {
    if (token.endsWith(ending) && token.length - ending.length >= 3) return token.slice(0, -ending.length);
  }
  return token;
}
