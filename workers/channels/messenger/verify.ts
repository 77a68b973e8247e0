/**
 * Messenger webhook authentication: same Meta scheme as WhatsApp (app-secret HMAC over the
 * raw body in X-Hub-Signature-256, GET challenge with our verify token).
 */
export {
  verifyMetaChallenge,
  verifyMetaSignature,
  verifyMetaSignatureSha1,
  type MetaChallengeResult,
} from "../shared/meta.ts";
