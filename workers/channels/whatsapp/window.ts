/**
 * WhatsApp's customer-service window: free-form messages are allowed only within 24 hours
 * of the customer's last inbound message; outside it only approved templates may be sent.
 */

/** Length of the customer-service window. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * True when a free-form (non-template) message may be sent now. `lastInboundAt` is the
 * epoch ms of the customer's latest message; none → false. A timestamp in the future
 * (clock skew between provider and us) is treated as "just now".
 */
export function isWithinCustomerServiceWindow(lastInboundAt: number | null | undefined, now: number): boolean {
  if (lastInboundAt === null || lastInboundAt === undefined || !Number.isFinite(lastInboundAt)) return false;
  return now - lastInboundAt < CUSTOMER_SERVICE_WINDOW_MS;
}
