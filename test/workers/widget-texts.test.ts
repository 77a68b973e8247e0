import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, seedDemo } from "./helpers.ts";

beforeAll(seedDemo);

describe("widget texts per language", () => {
  it("stores a greeting and title per language and hands them to the widget session", async () => {
    const token = await loginAdmin();
    const cur: { settings: { widget: Record<string, unknown> } & Record<string, unknown> } = await (
      await call("/api/settings", { token })
    ).json();
    const widget = { ...cur.settings.widget, texts: { ru: { title: "Поддержка", greeting: "Здравствуйте!" } } };
    const put = await call("/api/settings", { method: "PUT", token, json: { ...cur.settings, widget } });
    expect(put.status).toBe(200);
    const session = await call("/api/widget/session", {
      method: "POST",
      json: { widgetKey: "demo-widget-key", language: "ru" },
    });
    const body: { appearance: { texts: Record<string, { title?: string; greeting?: string }> } } = await session.json();
    expect(body.appearance.texts.ru?.greeting).toBe("Здравствуйте!");
  });

  it("refuses an unknown language or an over-long greeting with a 400", async () => {
    const token = await loginAdmin();
    const cur: { settings: { widget: Record<string, unknown> } & Record<string, unknown> } = await (
      await call("/api/settings", { token })
    ).json();
    for (const texts of [{ de: { title: "Hilfe" } }, { fr: { greeting: "x".repeat(281) } }]) {
      const res = await call("/api/settings", {
        method: "PUT",
        token,
        json: { ...cur.settings, widget: { ...cur.settings.widget, texts } },
      });
      expect(res.status, JSON.stringify(texts).slice(0, 40)).toBe(400);
    }
  });
});
