import { describe, expect, it } from "vitest";
import { minutes, newClientId, timeAgo } from "../../../../dashboard/src/lib/format.ts";
import { ClientId } from "../../../../workers/protocol/frames.ts";

const NOW = 1_800_000_000_000;

describe("dashboard format", () => {
  it("timeAgo picks the largest unit and rounds, never going negative", () => {
    expect(timeAgo(null, NOW)).toBe("");
    expect(timeAgo(NOW - 59_000, NOW)).toBe("59s");
    expect(timeAgo(NOW - 90_000, NOW)).toBe("2m");
    expect(timeAgo(NOW - 2 * 3600_000, NOW)).toBe("2h");
    expect(timeAgo(NOW - 3 * 86400_000, NOW)).toBe("3d");
    // A clock slightly ahead on the server must not show "-5s".
    expect(timeAgo(NOW + 5_000, NOW)).toBe("0s");
  });

  it("minutes shows minutes below an hour, hours above, and a dash for nothing", () => {
    expect(minutes(null)).toBe("—");
    expect(minutes(Number.NaN)).toBe("—");
    expect(minutes(90_000)).toBe("1.5 min");
    expect(minutes(90 * 60_000)).toBe("1.5 h");
  });

  it("newClientId is a valid protocol ClientId and unique", () => {
    const ids = Array.from({ length: 50 }, () => newClientId());
    for (const id of ids) expect(ClientId.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
