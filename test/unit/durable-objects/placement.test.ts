import { describe, expect, it } from "vitest";
import { placeNamespace, placementFor } from "../../../durable-objects/placement.ts";
import { DataLocationSchema as DataLocation } from "../../../workers/protocol/settings.ts";

describe("placementFor", () => {
  it("maps jurisdictions, hints and the default", () => {
    expect(placementFor("default")).toEqual({});
    expect(placementFor(null)).toEqual({});
    expect(placementFor(undefined)).toEqual({});
    expect(placementFor("eu")).toEqual({ jurisdiction: "eu" });
    expect(placementFor("fedramp")).toEqual({ jurisdiction: "fedramp" });
    expect(placementFor("weur")).toEqual({ locationHint: "weur" });
    expect(placementFor("apac")).toEqual({ locationHint: "apac" });
  });

  it("never gives both a jurisdiction and a hint", () => {
    for (const l of DataLocation.options) {
      const p = placementFor(l);
      expect(Boolean(p.jurisdiction && p.locationHint)).toBe(false);
    }
  });

  it("refuses unknown locations at the boundary", () => {
    expect(DataLocation.safeParse("ru").success).toBe(false);
    expect(DataLocation.safeParse("EU").success).toBe(false);
  });
});

interface FakeNs {
  label: string;
  jurisdiction?: (j: "eu" | "fedramp") => FakeNs;
}

describe("placeNamespace", () => {
  const plain: FakeNs = { label: "plain", jurisdiction: (j) => ({ label: `in-${j}` }) };

  it("uses the jurisdiction's namespace where the runtime has one", () => {
    const r = placeNamespace(plain, { jurisdiction: "eu" });
    expect(r).toEqual({ ns: { label: "in-eu" }, options: {}, applied: true });
  });

  it("falls back to the plain namespace (and says so) where jurisdiction() is missing or throws", () => {
    const missing: FakeNs = { label: "plain" };
    expect(placeNamespace(missing, { jurisdiction: "eu" })).toEqual({ ns: missing, options: {}, applied: false });
    const throws: FakeNs = {
      label: "plain",
      jurisdiction: () => {
        throw new Error("not supported");
      },
    };
    expect(placeNamespace(throws, { jurisdiction: "fedramp" }).applied).toBe(false);
  });

  it("passes a hint as a get() option and nothing for the default", () => {
    expect(placeNamespace(plain, { locationHint: "weur" })).toEqual({
      ns: plain,
      options: { locationHint: "weur" },
      applied: true,
    });
    expect(placeNamespace(plain, {})).toEqual({ ns: plain, options: {}, applied: true });
  });
});
