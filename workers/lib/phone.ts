/**
 * Phone-number normalisation to E.164 without a metadata library: international input
 * (+CC…, 00CC…) is kept as is after validation; national input is converted with a small
 * table of trunk prefixes for the countries our customers write from. Israeli mobiles
 * (05X-XXX-XXXX) are recognised even without a default country, since Lev Haolam is
 * Israeli and 05 + 8 digits is not a valid national form in NANP. Used by the router and
 * by channels (WhatsApp sends bare digits with country code).
 */

interface CountryRule {
  code: string;
  /** Trunk prefix dialled before national numbers ("0" in IL, "8" in RU, "" in US). */
  trunk: string;
  /** Allowed lengths of the national significant number (after removing the trunk). */
  lengths: number[];
}

const COUNTRIES: Record<string, CountryRule> = {
  IL: { code: "972", trunk: "0", lengths: [8, 9] },
  US: { code: "1", trunk: "1", lengths: [10] },
  CA: { code: "1", trunk: "1", lengths: [10] },
  GB: { code: "44", trunk: "0", lengths: [9, 10] },
  FR: { code: "33", trunk: "0", lengths: [9] },
  ES: { code: "34", trunk: "", lengths: [9] },
  DE: { code: "49", trunk: "0", lengths: [6, 7, 8, 9, 10, 11] },
  RU: { code: "7", trunk: "8", lengths: [10] },
  UA: { code: "380", trunk: "0", lengths: [9] },
  AU: { code: "61", trunk: "0", lengths: [9] },
};

/** E.164 allows at most 15 digits; anything under 8 is not a full number anywhere we ship. */
function isE164Digits(digits: string): boolean {
  return /^[1-9]\d{7,14}$/.test(digits);
}

function fromNational(national: string, rule: CountryRule): string | null {
  let nsn = national;
  if (rule.trunk !== "" && nsn.startsWith(rule.trunk) && rule.lengths.includes(nsn.length - rule.trunk.length)) {
    nsn = nsn.slice(rule.trunk.length);
  }
  if (!rule.lengths.includes(nsn.length) || nsn.startsWith("0")) return null;
  const full = rule.code + nsn;
  return isE164Digits(full) ? `+${full}` : null;
}

/**
 * Normalise a phone number to E.164 (`+972501234567`), or null when it cannot be done
 * unambiguously. `defaultCountry` is an ISO 3166 alpha-2 code used for national numbers.
 *
 * normalizePhone("050-123-4567") → "+972501234567"
 * normalizePhone("+1 (555) 123-4567") → "+15551234567"
 * normalizePhone("(555) 123-4567", "US") → "+15551234567"
 */
export function normalizePhone(raw: string, defaultCountry?: string): string | null {
  const trimmed = raw.trim();
  if (!/^[+\d\s().\-/]+$/.test(trimmed) || !/\d/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, "");
  if (trimmed.startsWith("+")) return isE164Digits(digits) ? `+${digits}` : null;
  if (digits.startsWith("00")) return isE164Digits(digits.slice(2)) ? `+${digits.slice(2)}` : null;
  const country = defaultCountry?.toUpperCase();
  const rule = country ? COUNTRIES[country] : undefined;
  if (rule) {
    const national = fromNational(digits, rule);
    if (national) return national;
    // Already written with the country code but without "+" (e.g. WhatsApp "972501234567").
    if (digits.startsWith(rule.code) && rule.lengths.includes(digits.length - rule.code.length)) {
      return isE164Digits(digits) ? `+${digits}` : null;
    }
    return null;
  }
  if (/^05\d{8}$/.test(digits)) return `+972${digits.slice(1)}`;
  if (/^9725\d{8}$/.test(digits)) return `+${digits}`;
  return null;
}
