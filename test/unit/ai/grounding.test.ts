/** The gate's grounding check (issue 18, answers 7): numbers, codes and links must come from the evidence. */
import { describe, expect, it } from "vitest";
import { checkGrounding } from "../../../workers/ai/grounding.ts";

describe("checkGrounding", () => {
  it("accepts a draft whose numbers, dates, prices, codes and links are all in the evidence", () => {
    const res = checkGrounding(
      "Your box ships on 15 December 2026 for $79.00. Tracking JD734242895: https://track.test/JD734242895",
      [
        '{"nextBoxDate":"2026-12-15","priceCents":7900,"trackingNumber":"JD734242895","trackingUrl":"https://track.test/JD734242895"}',
      ],
    );
    expect(res.ungrounded).toEqual([]);
    expect(res.claims).toBeGreaterThan(3);
  });

  it("flags an invented delivery time, tracking number and link", () => {
    const res = checkGrounding("It arrives in 3 days. Tracking ZZ999999999: https://evil.test/x", [
      "Delivery takes 10–18 business days.",
    ]);
    expect(res.ungrounded).toEqual(expect.arrayContaining(["https://evil.test/x", "ZZ999999999", "3"]));
  });
});
