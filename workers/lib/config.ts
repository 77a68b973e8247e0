/**
 * Runtime configuration read from bindings, failing closed.
 *
 * - `ENVIRONMENT = "production"`: JWT_SECRET (≥ 32 chars) and ENCRYPTION_KEY (32 bytes,
 *   base64) must be set and must not be the published development values.
 * - `ENVIRONMENT = "development"` (wrangler.toml's local vars): the development secrets
 *   are used when none are set, so `npm run dev` and the tests need no set-up, and every
 *   HTTP request must be addressed to a loopback host (localhost, 127.0.0.0/8, [::1]).
 *   A development build reachable under any other name answers 503 to everything.
 * - Anything else (missing, "staging", "Production"): refused. There is no silent fallback.
 *
 * Background work (queues, cron, email, Durable Objects) has no request: it accepts the
 * same environments and secrets, without the loopback check. It only ever runs on data
 * that came in through a request the check already passed, or on a developer's machine.
 */
const DEV_JWT = "dev-only-jwt-secret-change-me-in-production-0123456789";
const DEV_ENC = "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

export interface AppConfig {
  jwtSecret: string;
  /** The master key every new secret and data key is sealed with. */
  encryptionKey: string;
  /** What opens stored secrets: the current key, then ENCRYPTION_KEY_PREVIOUS during a master key rotation. */
  decryptionKeys: readonly string[];
  /** ENCRYPTION_KEY_PREVIOUS, when a master key rotation is under way. */
  encryptionKeyPrevious: string | null;
  publicUrl: string;
  production: boolean;
  /** Explicitly declared development (and, for requests, addressed to localhost). */
  development: boolean;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Is this URL's host a loopback name or address? */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.+$/, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (h === "[::1]" || h === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function base64Bytes(v: string): number {
  try {
    return atob(v).length;
  } catch {
    return 0;
  }
}

/**
 * The configuration for this environment; `request` is the HTTP request being served
 * (omit only in background work). Throws ConfigError instead of ever guessing.
 */
export function getConfig(env: Env, request?: Request): AppConfig {
  const config = envConfig(env);
  if (config.development && request && !isLoopbackHost(new URL(request.url).hostname))
    throw new ConfigError(
      "This is a development configuration: it answers on localhost only. Deploy with ENVIRONMENT=production and real secrets.",
    );
  return config;
}

/**
 * The environment's part, remembered per `env` object: every request and RPC asks, and
 * copying `env` (every binding) plus decoding the keys each time was ~4 % of a webhook
 * acknowledgement's CPU (issue 17's bench). The five values it is made of are compared on
 * every call, so an `env` changed in place (tests do that) is never answered from the memo.
 */
const remembered = new WeakMap<object, { key: string; config: AppConfig }>();
const KEYS = ["ENVIRONMENT", "JWT_SECRET", "ENCRYPTION_KEY", "ENCRYPTION_KEY_PREVIOUS", "PUBLIC_URL"] as const;

function envConfig(env: Env): AppConfig {
  // Generated Env types narrow vars to their literal dev values; secrets override them at runtime.
  const vars = env as unknown as Record<string, unknown>;
  const str = (k: string) => {
    const v = vars[k];
    return typeof v === "string" ? v : "";
  };
  const key = KEYS.map(str).join("\u0000");
  const hit = remembered.get(env);
  if (hit && hit.key === key) return hit.config;
  const config = Object.freeze(readConfig(str));
  remembered.set(env, { key, config });
  return config;
}

function readConfig(str: (k: string) => string): AppConfig {
  const environment = str("ENVIRONMENT");
  const production = environment === "production";
  const development = environment === "development";
  if (!production && !development)
    throw new ConfigError('ENVIRONMENT must be exactly "production" or "development"; refusing to guess');
  const jwtSecret = str("JWT_SECRET");
  const encryptionKey = str("ENCRYPTION_KEY");
  const previous = str("ENCRYPTION_KEY_PREVIOUS");
  if (previous && (base64Bytes(previous) !== 32 || previous === encryptionKey))
    throw new ConfigError("ENCRYPTION_KEY_PREVIOUS must be the replaced key: 32 bytes (base64), not the current one");
  const keyring = (current: string) => ({
    encryptionKey: current,
    decryptionKeys: Object.freeze(previous ? [current, previous] : [current]),
    encryptionKeyPrevious: previous || null,
  });
  if (production) {
    if (jwtSecret.length < 32 || jwtSecret === DEV_JWT)
      throw new ConfigError("JWT_SECRET must be set to a random value of at least 32 characters in production");
    if (encryptionKey === DEV_ENC || base64Bytes(encryptionKey) !== 32)
      throw new ConfigError("ENCRYPTION_KEY must be set to 32 random bytes (base64) in production");
    return { jwtSecret, ...keyring(encryptionKey), publicUrl: str("PUBLIC_URL"), production, development: false };
  }
  return {
    jwtSecret: jwtSecret || DEV_JWT,
    ...keyring(encryptionKey || DEV_ENC),
    publicUrl: str("PUBLIC_URL"),
    production,
    development,
  };
}

/**
 * The origin customers and providers reach this deployment at: PUBLIC_URL in production;
 * in development the origin of the request itself, so webhook URLs shown in the dashboard
 * carry the port `npm run dev` really listens on (PORT=…), not the configured default.
 */
export function publicOrigin(config: AppConfig, requestUrl: string): string {
  if (config.production && config.publicUrl) return config.publicUrl.replace(/\/+$/, "");
  return new URL(requestUrl).origin;
}
