/**
 * Customer identification as a pure state machine (seed 000, step 2). Account data is
 * read or changed only for a verified customer: unknown email → ask; email given → send
 * a code; code typed → check it. A customer whose host site vouched for them (HMAC)
 * arrives verified and skips all of it. Questions that need no account skip it too.
 */
import { extractOtp } from "./otp.ts";

export interface IdentityState {
  verified: boolean;
  email: string | null;
  awaitingEmail: boolean;
  awaitingCode: boolean;
}

export type IdentifyStep =
  | { kind: "none" }
  | { kind: "ask_email" }
  | { kind: "invalid_email" }
  | { kind: "send_code"; email: string }
  | { kind: "check_code"; code: string }
  | { kind: "remind_code" };

/** What identification needs to do with this message. */
export function identifyStep(
  state: IdentityState,
  text: string,
  emailInText: string | null,
  needsAccount: boolean,
): IdentifyStep {
  if (state.verified) return { kind: "none" };
  if (state.awaitingCode) {
    const code = extractOtp(text);
    if (code && !emailInText) return { kind: "check_code", code };
    if (emailInText) return { kind: "send_code", email: emailInText.toLowerCase() };
    return needsAccount ? { kind: "remind_code" } : { kind: "none" };
  }
  if (emailInText && (needsAccount || state.awaitingEmail))
    return { kind: "send_code", email: emailInText.toLowerCase() };
  if (state.awaitingEmail && text.includes("@")) return { kind: "invalid_email" };
  return needsAccount ? { kind: "ask_email" } : { kind: "none" };
}

/** True when the message only answers identification (an email or a code), not a new request. */
export function isIdentificationReply(state: IdentityState, text: string, emailInText: string | null): boolean {
  const rest = text
    .replace(emailInText ?? "\u0000", "")
    .replace(/(?<!\d)\d{3}[\s-]?\d{3}(?!\d)/, "")
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
  const short = rest.split(" ").filter((w) => w.length > 2).length <= 6;
  if (state.awaitingCode && (extractOtp(text) !== null || emailInText !== null) && short) return true;
  return state.awaitingEmail && emailInText !== null && short;
}
