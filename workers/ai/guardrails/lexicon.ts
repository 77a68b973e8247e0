/**
 * Small sentiment and tone lexicons for en, ru, he, es, fr. Entries are folded stems
 * (no accents, lower case): a stem of four or more letters also matches its inflected
 * forms, which Russian, Hebrew, Spanish and French need. Small on purpose — it drives
 * an operator hint and a tone gate, not a product decision.
 */

/** Positive stems with weights. */
export const POSITIVE: Record<string, number> = {
  // en
  thank: 1, thanks: 1, great: 1, love: 1.5, loved: 1.5, awesome: 1.5, excellent: 1.5, perfect: 1.5,
  happy: 1, glad: 1, good: 0.7, nice: 0.7, amazing: 1.5, appreciate: 1, wonderful: 1.5, delicious: 1,
  helpful: 1, fantastic: 1.5, pleased: 1, enjoy: 1, best: 1,
  // ru
  спасиб: 1, благодар: 1, отличн: 1.5, прекрасн: 1.5, хорош: 0.7, люблю: 1.5, нравит: 1, рад: 1,
  рада: 1, супер: 1.5, замечательн: 1.5, вкусн: 1, довол: 1, класс: 1,
  // he
  תודה: 1, מעולה: 1.5, מצוין: 1.5, אוהב: 1.5, אוהבת: 1.5, נהדר: 1.5, טוב: 0.7, שמח: 1, שמחה: 1,
  מרוצה: 1, טעים: 1, מדהים: 1.5,
  // es
  gracias: 1, excelente: 1.5, genial: 1.5, encanta: 1.5, bueno: 0.7, buena: 0.7, feliz: 1, contento: 1,
  contenta: 1, perfecto: 1.5, maravillos: 1.5, delicios: 1, agradec: 1,
  // fr
  merci: 1, parfait: 1.5, adore: 1.5, bien: 0.5, content: 1, contente: 1, heureux: 1,
  heureuse: 1, delicieux: 1, formidable: 1.5, ravi: 1, ravie: 1,
};

/** Negative stems with weights. */
export const NEGATIVE: Record<string, number> = {
  // en
  bad: 1, terrible: 1.5, awful: 1.5, horrible: 1.5, worst: 2, hate: 1.5, angry: 1.5, upset: 1,
  disappointed: 1.2, disappointing: 1.2, useless: 1.5, broken: 1, damaged: 1, late: 0.7, never: 0.5,
  scam: 2, fraud: 2, ridiculous: 1.5, unacceptable: 1.5, furious: 2, annoyed: 1, frustrated: 1.2,
  disgusting: 1.5, rotten: 1.5, missing: 0.8, wrong: 0.8, problem: 0.6, sucks: 1.5, rude: 1.2,
  // ru
  ужасн: 1.5, плох: 1, отвратительн: 1.5, ненавиж: 1.5, злой: 1.5, зол: 1.5, разочарова: 1.2,
  бесполезн: 1.5, сломан: 1, поврежд: 1, испорч: 1.2, обман: 2, мошенн: 2, безобраз: 1.5,
  недовол: 1.2, кошмар: 1.5, проблем: 0.6, опозда: 0.7, гнил: 1.5, возмутительн: 1.5,
  // he
  גרוע: 1.5, נורא: 1.5, זוועה: 1.5, שונא: 1.5, כועס: 1.5, כועסת: 1.5, מאוכזב: 1.2, שבור: 1,
  פגום: 1, רמאות: 2, הונאה: 2, מקולקל: 1.2, בעיה: 0.6, מאחר: 0.7, מתסכל: 1.2, חוצפה: 1.5,
  // es
  malo: 1, mala: 1, terribl: 1.5, horribl: 1.5, pesimo: 2, odio: 1.5, enojad: 1.5, enfadad: 1.5,
  decepcion: 1.2, inutil: 1.5, roto: 1, rota: 1, danad: 1, estafa: 2, fraude: 2, inaceptabl: 1.5,
  problema: 0.6, tarde: 0.5, podrid: 1.5, frustrad: 1.2, verguenza: 1.5,
  // fr
  mauvais: 1, nul: 1.5, nulle: 1.5, deteste: 1.5, colere: 1.5, furieux: 2,
  decu: 1.2, decue: 1.2, decevant: 1.2, inutile: 1.5, casse: 1, endommag: 1, arnaque: 2, escroquerie: 2,
  inacceptabl: 1.5, probleme: 0.6, retard: 0.7, pourri: 1.5, scandal: 1.5, honte: 1.5,
};

/** Words that flip the polarity of the next few words. */
export const NEGATORS = new Set([
  "not", "no", "never", "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "won't", "cannot",
  "не", "нет", "ни", "никогда", "לא", "אין", "nunca", "jamas", "tampoco", "ne", "pas", "jamais", "sans",
]);

/** Insults an agent reply must never contain (folded stems). */
export const RUDE = [
  "stupid", "idiot", "dumb", "moron", "shut up", "pathetic", "loser", "nonsense",
  "тупо", "тупой", "идиот", "дурак", "дура", "заткни", "бред", "ерунд",
  "טיפש", "אידיוט", "מטומטם", "שתוק", "סתום",
  "estupid", "idiota", "imbecil", "tonto", "tonta", "callate", "tonteria",
  "stupide", "idiot", "imbecile", "debile", "tais-toi", "taisez-vous", "n'importe quoi",
];

/** Wording that puts the blame on the customer (folded). */
export const BLAME = [
  "your fault", "you should have", "you didn't read", "you did not read", "as i already said",
  "as i said before", "you failed to", "that's on you", "you clearly", "obviously you",
  "вы сами виноват", "ваша вина", "надо было", "нужно было читать", "вы не прочитали", "как я уже говорил",
  "זו אשמתך", "באשמתך", "היית צריך", "היית צריכה", "כבר אמרתי",
  "es su culpa", "es tu culpa", "deberia haber", "usted debio", "como ya le dije", "no leyo",
  "c'est de votre faute", "votre faute", "vous auriez du", "comme je l'ai deja dit", "vous n'avez pas lu",
];
