/**
 * Runtime configuration read from bindings. Development ships known secrets so
 * `npm run dev` needs no set-up; production refuses to start a request with them.
 */
const DEV_JWT = "dev-only-jwt-secret-change-me-in-production-0123456789";
const DEV_ENC = "ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=";

export interface AppConfig {
  jwtSecret: string;
  encryptionKey: string;
  publicUrl: string;
  production: boolean;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function getConfig(env: Env): AppConfig {
  const production = env.ENVIRONMENT === "production";
  // Generated Env types narrow vars to their literal dev values; secrets override them at runtime.
  const vars: Record<string, unknown> = { ...env };
  const str = (k: string) => (typeof vars[k] === "string" ? (vars[k] as string) : "");
  const jwtSecret = str("JWT_SECRET") || (production ? "" : DEV_JWT);
  const encryptionKey = str("ENCRYPTION_KEY") || (production ? "" : DEV_ENC);
  if (production && (!jwtSecret || jwtSecret === DEV_JWT || jwtSecret.length < 32)) {
    throw new ConfigError("JWT_SECRET must be set to a random value of at least 32 characters in production");
  }
  if (production && (!encryptionKey || encryptionKey === DEV_ENC)) {
    throw new ConfigError("ENCRYPTION_KEY must be set to 32 random bytes (base64) in production");
  }
  return { jwtSecret, encryptionKey, publicUrl: env.PUBLIC_URL, production };
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
