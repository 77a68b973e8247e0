/**
 * Language detection for the five supported languages. Hebrew and Russian are decided by
 * script (letters counted per Unicode block); Latin-script text is scored by stopwords
 * and language-specific letters, defaulting to English when nothing is conclusive.
 */
import type { Language } from "../../lib/categories.ts";

const STOPWORDS: Record<"en" | "es" | "fr", ReadonlySet<string>> = {
  en: new Set(
    "the and to my i you is it in of for me was have not this please can do we be at on with your want would like box order what how".split(
      " ",
    ),
  ),
  es: new Set(
    "el la los las de que y en un una mi mis por para con no es se me lo del al quiero puedo caja pedido cómo como qué gracias hola pero ya está cuánto cuándo dónde cuál pago envío suscripción próxima tarda su usted".split(
      " ",
    ),
  ),
  fr: new Set(
    "le la les de des du et en un une mon ma mes pour avec pas est je vous ne que qui sur au aux ce cette merci bonjour commande colis veux puis combien quand où quel quelle pourquoi comment paie livraison abonnement prochaine box est-ce".split(
      " ",
    ),
  ),
};

/** Guess the language of a customer message. */
export function detectLanguage(text: string): Language {
  const hebrew = text.match(/[\u0590-\u05ff]/g)?.length ?? 0;
  const cyrillic = text.match(/[\u0400-\u04ff]/g)?.length ?? 0;
  const latin = text.match(/[a-zA-Z\u00c0-\u024f]/g)?.length ?? 0;
  if (hebrew > 0 && hebrew >= cyrillic && hebrew >= latin * 0.5) return "he";
  if (cyrillic > 0 && cyrillic >= latin * 0.5) return "ru";
  const words = text.toLowerCase().match(/[\p{L}']+/gu) ?? [];
  const score = { en: 0, es: 0, fr: 0 };
  for (const raw of words) {
    for (const w of raw.split("'")) {
      if (STOPWORDS.en.has(w)) score.en += 1;
      if (STOPWORDS.es.has(w)) score.es += 1;
      if (STOPWORDS.fr.has(w)) score.fr += 1;
    }
  }
  // Letters and marks that only one of the three uses.
  score.es += (text.match(/[ñ¿¡]/gi)?.length ?? 0) * 2 + (text.match(/[áíóú]/gi)?.length ?? 0) * 0.5;
  score.fr += (text.match(/[çèêëàâîôûœ]/gi)?.length ?? 0) * 1.5 + (text.match(/\b[ldjcnsqu]'/gi)?.length ?? 0);
  if (score.es > score.en && score.es >= score.fr) return "es";
  if (score.fr > score.en && score.fr > score.es) return "fr";
  if (hebrew > 0) return "he";
  if (cyrillic > 0) return "ru";
  return "en";
}
