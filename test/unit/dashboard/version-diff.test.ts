import { describe, expect, it } from "vitest";
import { changedKeys } from "../../../dashboard/src/ui/admin/VersionDiff.tsx";

describe("changedKeys", () => {
  it("lists only the fields that differ, ignoring version bookkeeping", () => {
    const a = { name: "Refunds", instructions: "Be kind.", allowedTools: ["refund"], version: 3, createdAt: 1 };
    const b = { name: "Refunds", instructions: "Be kind and brief.", allowedTools: ["refund", "cancel"], version: 4 };
    expect(changedKeys(a, b)).toEqual(["allowedTools", "instructions"]);
    expect(changedKeys(a, { ...a, version: 9 })).toEqual([]);
  });
});
