/**
 * WhatsApp Cloud API webhook authentication: Meta's shared scheme (signature over the raw
 * body with the app secret, plus the GET challenge handshake).
 */
export { verifyMetaChallenge, verifyMetaSignature, type MetaChallengeResult } from "../shared/meta.ts";
