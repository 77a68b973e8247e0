/**
 * The link policy of a workspace's drafts (workers/ai/guardrails/links.ts): this
 * deployment's PUBLIC_URL, the shop's API host, the carriers' tracking sites, and the
 * workspace's `linkAllowlist` setting. Kept out of guardrails/ because it reads the env.
 */
import { envString } from "../commerce/connector.ts";
import { TRACKING_SITES } from "../lib/tracking.ts";
import { linkPolicy, type LinkPolicy } from "./guardrails/links.ts";

export function draftLinkPolicy(env: Env, allowlist: readonly string[]): LinkPolicy {
  const shop = envString(env, "COMMERCE_API_URL");
  return linkPolicy({
    publicUrl: env.PUBLIC_URL,
    extraUrls: [...(shop ? [shop] : []), ...Object.values(TRACKING_SITES)],
    allowlist: [...allowlist],
  });
}
