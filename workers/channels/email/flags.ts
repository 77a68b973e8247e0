/**
 * Auto-reply and bounce detection. Answering either would start a mail loop (our bot
 * replying to an out-of-office that replies back), so such mail is stored but never
 * answered. Signals follow RFC 3834 (Auto-Submitted), RFC 3464 (delivery-status
 * reports) and the de-facto headers of Exchange and common autoresponders.
 */

/** Header lookup by lowercase name (first value). */
export type HeaderGetter = (name: string) => string | undefined;

const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response)|out of (the )?office|autoreply|automatische antwort|réponse automatique|автоответ|автоматический ответ)\b|out of (the )?office/i;

/** True for autoresponder mail (vacation notices, ticket acknowledgements, list traffic). */
export function isAutoReply(get: HeaderGetter, subject: string | undefined): boolean {
  const autoSubmitted = get("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted.split(";")[0]?.trim() !== "no") return true;
  if (get("x-autoreply") !== undefined || get("x-autorespond") !== undefined) return true;
  const precedence = get("precedence")?.trim().toLowerCase();
  if (precedence === "bulk" || precedence === "auto_reply" || precedence === "list" || precedence === "junk")
    return true;
  return subject !== undefined && AUTO_SUBJECT.test(subject.trim());
}

/** True for delivery-failure notifications. */
export function isBounce(get: HeaderGetter, fromAddress: string | undefined): boolean {
  const contentType = get("content-type")?.toLowerCase() ?? "";
  if (contentType.startsWith("multipart/report") && /report-type\s*=\s*"?delivery-status/.test(contentType))
    return true;
  const local = fromAddress?.split("@")[0]?.toLowerCase();
  if (local === "mailer-daemon" || local === "postmaster") return true;
  // RFC 3834 asks autoresponders for a null return path too, so <> alone is a bounce only
  // when the message does not declare itself auto-submitted.
  const autoSubmitted = get("auto-submitted")?.trim().toLowerCase();
  return get("return-path")?.trim() === "<>" && (autoSubmitted === undefined || autoSubmitted === "no");
}
