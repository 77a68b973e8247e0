/**
 * Carriers' public tracking pages: one URL rule for the shop tools (demo store) and the
 * linkifier the widget and the dashboard use, so a tracking number opens the same page
 * wherever it appears. Pure, so the browser bundles may use it through workers/protocol.
 */

/** Sites of the carriers' public tracking pages; the draft guardrails allow links to them. */
export const TRACKING_SITES = {
  dhl: "https://www.dhl.com",
  ups: "https://www.ups.com",
  israelPost: "https://israelpost.co.il",
  fallback: "https://parcelsapp.com",
} as const;

/** Public tracking page of a carrier (the demo store's three carriers and a generic fallback). */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const n = encodeURIComponent(trackingNumber);
  const c = carrier.toLowerCase();
  if (c.includes("dhl")) return `${TRACKING_SITES.dhl}/global-en/home/tracking.html?tracking-id=${n}`;
  if (c.includes("ups")) return `${TRACKING_SITES.ups}/track?tracknum=${n}`;
  if (c.includes("israel post")) return `${TRACKING_SITES.israelPost}/en/itemtrace?itemcode=${n}`;
  return `${TRACKING_SITES.fallback}/en/tracking/${n}`;
}
