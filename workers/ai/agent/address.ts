/**
 * A postal address out of a customer's sentence, in the five languages, for the
 * change-address proposal (issue 18, safety 3). The words that lead into the address
 * ("change my address to", "мой новый адрес:", "cambiar mi dirección a", "ma nouvelle
 * adresse est", "לשנות את הכתובת שלי ל-") are removed before the fields are read, and a
 * result is returned only when every required field parsed cleanly: a street line with
 * a house number and no leftover sentence words, a city, a postal code and a country.
 * Anything else returns null and the agent asks for the address again — a proposal the
 * customer confirms must say exactly what will be stored.
 *
 * Hand-written because address parsers on npm (libpostal bindings, parse-address) are
 * native or US-only; the shop ships to a handful of countries and needs five languages.
 */
import type { PostalAddress } from "../../db/schema.ts";

const COUNTRIES: Record<string, string> = {
  us: "US",
  usa: "US",
  "u.s.": "US",
  "u.s.a.": "US",
  "united states": "US",
  "united states of america": "US",
  america: "US",
  "estados unidos": "US",
  "états-unis": "US",
  "etats-unis": "US",
  сша: "US",
  "ארצות הברית": "US",
  'ארה"ב': "US",
  uk: "GB",
  gb: "GB",
  "united kingdom": "GB",
  "great britain": "GB",
  england: "GB",
  "reino unido": "GB",
  "royaume-uni": "GB",
  великобритания: "GB",
  англия: "GB",
  בריטניה: "GB",
  israel: "IL",
  israël: "IL",
  il: "IL",
  израиль: "IL",
  ישראל: "IL",
  canada: "CA",
  canadá: "CA",
  ca: "CA",
  канада: "CA",
  קנדה: "CA",
  france: "FR",
  francia: "FR",
  fr: "FR",
  франция: "FR",
  צרפת: "FR",
  germany: "DE",
  deutschland: "DE",
  alemania: "DE",
  allemagne: "DE",
  de: "DE",
  германия: "DE",
  גרמניה: "DE",
  spain: "ES",
  españa: "ES",
  espana: "ES",
  espagne: "ES",
  es: "ES",
  испания: "ES",
  ספרד: "ES",
  australia: "AU",
  australie: "AU",
  au: "AU",
  австралия: "AU",
  אוסטרליה: "AU",
  russia: "RU",
  россия: "RU",
  rusia: "RU",
  russie: "RU",
  רוסיה: "RU",
  netherlands: "NL",
  nederland: "NL",
  italy: "IT",
  italia: "IT",
  italie: "IT",
};

// Everything up to the last mention of "address" is the request around it.
const KEYWORD =
  /(?:address|adresse|adress|адрес[а-я]*|dirección|direccion|domicilio|כתובת[\u0590-\u05FF]*)(?![\p{L}])/giu;
// Phrases that introduce an address when the word "address" is absent.
const MOVE = [
  /\b(?:i(?:'ve| have)? moved|we(?:'ve| have)? moved|moving|ship(?:ping)?|send(?:ing)?|deliver(?:y|ing)?)\b[^,\n]*?\b(?:to|at)\s+/iu,
  /(?:переех\S*|перееду|переезжаю|отправляйте|доставляйте)\s+(?:на|в|по)\s+/iu,
  /\b(?:me mud[eé]|nos mudamos|me voy a mudar|env[ií]en(?:lo)?|enviad)\s+(?:a|al|en)\s+/iu,
  /\b(?:j'ai d[ée]m[ée]nag[ée]|nous avons d[ée]m[ée]nag[ée]|je d[ée]m[ée]nage|envoyez(?:-la|-le)?)\s+(?:au|à|a|en|vers)\s+/iu,
  /(?:עברתי|עברנו|שלחו)\s+(?:דירה\s+)?(?:ל-?|אל\s+)/u,
];
// Lead-in words between the keyword and the street, in any order and number.
const LEAD_WORDS = new Set([
  "is",
  "to",
  "into",
  "at",
  "as",
  "now",
  "be",
  "will",
  "should",
  "becomes",
  "my",
  "new",
  "the",
  "please",
  "это",
  "на",
  "теперь",
  "будет",
  "мой",
  "новый",
  "новая",
  "пожалуйста",
  "es",
  "a",
  "al",
  "será",
  "mi",
  "nueva",
  "nuevo",
  "la",
  "por",
  "favor",
  "est",
  "à",
  "au",
  "en",
  "pour",
  "sera",
  "ma",
  "mon",
  "nouvelle",
  "désormais",
  "שלי",
  "היא",
  "החדשה",
  "ל",
  "אל",
  "בבקשה",
]);
// Russian "ул. Ленина, д. 5": the house number in its own comma part.
const HOUSE = /^(?:д\.?|дом|house|no\.?|n[º°o]\.?|núm\.?|número)\s*\d/iu;
const SENTENCE_WORDS =
  /(?<![\p{L}])(?:change|update|please|want|would|need|could|can|my|address|поменя\S*|измени\S*|хочу|пожалуйста|cambi\S*|quiero|quisiera|favor|chang\S*|modifi\S*|voudrais|veux|לשנות|רוצה|תשנו|עדכנו)(?![\p{L}])/iu;

function stripLeadIn(s: string): string {
  let rest = s.trim().replace(/^[:=—–\-\s]+/u, "");
  for (;;) {
    // Hebrew "ל-" / "ל" glued to the street keyword or a number.
    const he = /^ל-?(?=(?:רחוב|רח['׳]|שדרות|שד['׳]|\d))/u.exec(rest);
    if (he) {
      rest = rest.slice(he[0].length);
      continue;
    }
    const m = /^([\p{L}'’-]+)[\s:]+/u.exec(rest);
    if (!m?.[1] || !LEAD_WORDS.has(m[1].toLowerCase())) break;
    rest = rest.slice(m[0].length).replace(/^[:=—–\-\s]+/u, "");
  }
  return rest;
}

/** The part of the message that is the address itself, lead-ins removed. */
export function addressBody(text: string): string {
  const flat = text.replace(/\r/g, "");
  let start = -1;
  for (const m of flat.matchAll(KEYWORD)) start = m.index + m[0].length;
  if (start < 0) {
    for (const re of MOVE) {
      const m = re.exec(flat);
      if (m) {
        start = m.index + m[0].length;
        break;
      }
    }
  }
  return stripLeadIn(start >= 0 ? flat.slice(start) : flat);
}

function countryOf(raw: string): string | null {
  const s = raw
    .trim()
    .replace(/[.!?;]+$/u, "")
    .toLowerCase();
  return COUNTRIES[s] ?? (/^[a-z]{2}$/.test(s) ? s.toUpperCase() : null);
}

/**
 * "change my address to 12 Elm Street, Apt 4, Boston, MA 02110, US" → the fields, or null
 * when any required field is missing or the street line still carries sentence words.
 */
export function parseAddress(text: string): PostalAddress | null {
  const body = addressBody(text);
  let parts = body
    .split(/[,\n]/)
    .map((p) => p.trim().replace(/[.;]+$/u, ""))
    .filter(Boolean);
  if (parts.length < 3) return null;
  // The country is the last part, possibly followed by a closing sentence ("US. Thanks!").
  const lastRaw = parts.at(-1) ?? "";
  const country = countryOf(lastRaw) ?? countryOf(lastRaw.split(/[!?]|\.\s/u)[0] ?? "");
  if (!country) return null;
  parts = parts.slice(0, -1);
  // Street and house number split by a comma (Russian style) belong together.
  if (parts.length >= 2 && !/\d/.test(parts[0] ?? "") && HOUSE.test(parts[1] ?? "")) {
    parts = [`${parts[0]}, ${parts[1]}`, ...parts.slice(2)];
  }
  let postalCode: string | null = null;
  let region: string | undefined;
  let city: string | null = null;
  for (let i = parts.length - 1; i >= 1 && !postalCode; i--) {
    const p = parts[i] ?? "";
    // "MA 02110" (a US/CA-style region with its code), a code alone, or a code with the city.
    const zip = /^([A-Za-z]{2})\s+(\d{5}(?:-\d{4})?)$/.exec(p);
    const alone = /^([A-Z0-9]{1,4}[ -]?[A-Z0-9]{2,5}|\d{4,7})$/i.exec(p);
    const withCity = /^(\d{4,7})\s+(\D.*)$/u.exec(p) ?? /^(\D.*?)\s+(\d{4,7})$/u.exec(p);
    if (zip) {
      postalCode = zip[2] ?? null;
      region = (zip[1] ?? "").toUpperCase();
    } else if (alone && /\d/.test(alone[1] ?? "")) {
      postalCode = alone[1] ?? null;
    } else if (withCity) {
      const [a, b] = [withCity[1] ?? "", withCity[2] ?? ""];
      postalCode = /^\d/.test(a) ? a : b;
      city = /^\d/.test(a) ? b : a;
    } else continue;
    parts = parts.slice(0, i).concat(parts.slice(i + 1));
  }
  if (!postalCode || !/\d/.test(postalCode)) return null;
  if (!city) city = parts.pop() ?? null;
  const line1 = parts[0];
  const line2 = parts.slice(1).join(", ");
  if (!city || !line1) return null;
  if (!/\d/.test(line1) || !/\p{L}/u.test(line1) || line1.split(/\s+/).length > 8) return null;
  if (SENTENCE_WORDS.test(line1) || LEAD_WORDS.has((line1.split(/\s+/)[0] ?? "").toLowerCase())) return null;
  if (!/\p{L}/u.test(city) || /\d/.test(city) || city.split(/\s+/).length > 4) return null;
  if (line2 && (SENTENCE_WORDS.test(line2) || line2.length > 80)) return null;
  return {
    line1,
    ...(line2 ? { line2 } : {}),
    city,
    ...(region ? { region } : {}),
    postalCode: postalCode.toUpperCase(),
    country,
  };
}
