/**
 * Carriers' public tracking pages: one URL rule for the shop tools (demo store) and the
 * linkifier the widget and the dashboard use, so a tracking number opens the same page
 * wherever it appears. Pure, so the browser bundles may use it through workers/protocol.
 */

/** Public tracking page of a carrier (the demo store's three carriers and a generic fallback). */
export function trackingUrl(carrier: string, trackingNumber: string): string {
  const n = encodeURIComponent(trackingNumber);
  const c = carrier.toLowerCase();
  if (c.includes("dhl")) return `https://www.dhl.com/global-en/home/tracking.html?tracking-id=${n}`;
  if (c.includes("ups")) return `https://www.ups.com/track?tracknum=${n}`;
  if (c.includes("israel post")) return `https://israelpost.co.il/en/itemtrace?itemcode=${n}`;
  return `https://parcelsapp.com/en/tracking/${n}`;
}
