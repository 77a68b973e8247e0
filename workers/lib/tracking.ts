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
  asendia: "https://tracking.asendia.com",
  royalMail: "https://www.royalmail.com",
  postnl: "https://jouw.postnl.nl",
  fallback: "https://parcelsapp.com",
} as const;

/** Public tracking page of a carrier (the demo store's carriers and a generic fallback). */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const n = encodeURIComponent(trackingNumber);
  const c = carrier.toLowerCase();
  if (c.includes("dhl")) return `${TRACKING_SITES.dhl}/global-en/home/tracking.html?tracking-id=${n}`;
  if (c.includes("asendia")) return `${TRACKING_SITES.asendia}/tracking/${n}`;
  if (c.includes("royal mail")) return `${TRACKING_SITES.royalMail}/track-your-item#/tracking-results/${n}`;
  if (c.includes("postnl")) return `${TRACKING_SITES.postnl}/track-and-trace/${n}`;
  if (/\bups\b/.test(c)) return `${TRACKING_SITES.ups}/track?tracknum=${n}`;
  if (c.includes("israel post")) return `${TRACKING_SITES.israelPost}/en/itemtrace?itemcode=${n}`;
  return `${TRACKING_SITES.fallback}/en/tracking/${n}`;
}
