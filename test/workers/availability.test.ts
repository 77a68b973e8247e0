import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, loginOperator, seedDemo } from "./helpers.ts";
import { isType, openSocket, widgetSession } from "./ws.ts";

beforeAll(seedDemo);

type Session = { businessHours: { open: boolean; description: string } };

async function session(): Promise<Session> {
  const res = await call("/api/widget/session", { method: "POST", json: { widgetKey: "demo-widget-key" } });
  expect(res.status).toBe(200);
  return res.json();
}

describe("widget availability: business hours and presence together", () => {
  it("is closed after hours with nobody online, open while an operator is online, closed again when they leave", async () => {
    const admin = await loginAdmin();
    const cur: { settings: Record<string, unknown> } = await (await call("/api/settings", { token: admin })).json();
    const h = (new Date().getUTCHours() + 12) % 24;
    const slot = { open: `${String(h).padStart(2, "0")}:00`, close: `${String(h).padStart(2, "0")}:30` };
    const weekly = Object.fromEntries(["0", "1", "2", "3", "4", "5", "6"].map((d) => [d, [slot]]));
    const put = await call("/api/settings", {
      method: "PUT",
      token: admin,
      json: { ...cur.settings, businessHours: { timeZone: "UTC", weekly, holidays: [] } },
    });
    expect(put.status).toBe(200);
    expect((await session()).businessHours.open).toBe(false);

    const op = await loginOperator();
    const p = await openSocket(`/parties/presence/ws_demo?token=${op}`);
    await p.next(isType("presence"));
    p.send({ type: "status", status: "online" });
    await p.next(
      (f) =>
        f.type === "presence" &&
        (f.operators as Array<{ id: string; status: string }>).some(
          (o) => o.id === "op_operator" && o.status === "online",
        ),
    );
    const open = await session();
    expect(open.businessHours.open).toBe(true);
    // The opening hours are still described, for the after-hours copy.
    expect(open.businessHours.description).toContain(slot.open);
    await widgetSession();

    p.send({ type: "status", status: "away" });
    await p.next(
      (f) =>
        f.type === "presence" &&
        (f.operators as Array<{ id: string; status: string }>).some(
          (o) => o.id === "op_operator" && o.status === "away",
        ),
    );
    expect((await session()).businessHours.open).toBe(false);
    p.close();
  });
});
