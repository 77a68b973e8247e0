/**
 * Chooses the commerce connector of a deployment: the HTTP connector when
 * COMMERCE_API_URL and COMMERCE_API_KEY are configured, otherwise the embedded demo
 * store. Secrets are read here and handed to the connector; they are never logged.
 */
import { rawDb, TenantDb } from "../db/client.ts";
import { DemoStoreConnector } from "./demo-store.ts";
import { HttpCommerceConnector } from "./http.ts";
import type { CommerceConnector } from "./types.ts";

/** Reads an optional string variable that generated Env types do not declare. */
export function envString(env: Env, key: string): string {
  const vars: Record<string, unknown> = { ...env };
  const v = vars[key];
  return typeof v === "string" ? v : "";
}

/** The connector for one workspace. */
export function commerceFor(env: Env, workspaceId: string): CommerceConnector {
  const url = envString(env, "COMMERCE_API_URL");
  const key = envString(env, "COMMERCE_API_KEY");
  if (url && key) return new HttpCommerceConnector({ baseUrl: url, apiKey: key });
  return new DemoStoreConnector(new TenantDb(rawDb(env.DB), workspaceId), env.PUBLIC_URL);
}
