/**
 * Every error a person sees is a sentence in their language, never a code. Server
 * errors arrive as `{code, message}`: known codes map to translated sentences; for the
 * rest the server's own message is a sentence in English, so English readers get it and
 * everyone else a translated sentence for the HTTP class. Codes stay in the console.
 */
import { translate, type Lang, type MsgKey } from "./i18n.ts";

const BY_CODE: Record<string, MsgKey> = {
  network: "errNetwork",
  not_connected: "errNotConnected",
  unauthorized: "errSession",
  forbidden: "errForbidden",
  not_found: "errNotFound",
  validation_failed: "errInvalid",
  bad_request: "errInvalid",
  invalid_json: "errInvalid",
  conflict: "errConflict",
  rate_limited: "errRateLimited",
  not_available: "errNotAvailable",
  bad_response: "errServer",
  internal: "errServer",
  misconfigured: "errServer",
  unknown_operator: "errUnknownOperator",
  unknown_team: "errUnknownTeam",
  invalid_attachment: "errInvalid",
  totp_invalid: "errTotp",
  invalid_credentials: "errCredentials",
};

const BY_STATUS: Array<[number, MsgKey]> = [
  [500, "errServer"],
  [429, "errRateLimited"],
  [409, "errConflict"],
  [404, "errNotFound"],
  [403, "errForbidden"],
  [401, "errSession"],
  [400, "errInvalid"],
];

/** A sentence for an error with a code (and optionally the HTTP status and the server's English message). */
export function humanError(lang: Lang, code: string, status = 0, serverMessage?: string): string {
  const known = BY_CODE[code];
  // Bad-request and conflict messages say what to fix, as English sentences; other codes have our own sentence.
  const specific = !known || code === "bad_request" || code === "conflict";
  if (lang === "en" && specific && serverMessage && status >= 400 && status < 500 && status !== 401)
    if (/^[A-Z][^:]*[^:]$/.test(serverMessage) && !serverMessage.includes("/api")) return serverMessage;
  if (known) return translate(lang, known);
  for (const [min, key] of BY_STATUS) if (status >= min) return translate(lang, key);
  return translate(lang, "errGeneric");
}
