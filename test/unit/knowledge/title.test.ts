import { describe, expect, it } from "vitest";
import { firstLineTitle } from "../../../workers/knowledge/parse/common.ts";

describe("firstLineTitle", () => {
  it("keeps a short first line as it is", () => {
    expect(firstLineTitle("\n  Shipping times\nParcels take 7–14 days.", "Untitled")).toBe("Shipping times");
  });

  it("takes the first sentence of a paragraph, not the whole block", () => {
    const text =
      "Our boxes ship from Israel every month. Parcels usually take 7–14 business days and are tracked all the way.";
    expect(firstLineTitle(text, "Untitled")).toBe("Our boxes ship from Israel every month");
  });

  it("cuts a long sentence at a word boundary with an ellipsis, in any script", () => {
    const ru =
      "Мы отправляем коробки из Израиля каждый месяц и отслеживаем каждую посылку на всём пути до вашей двери без исключений";
    const title = firstLineTitle(ru, "Untitled");
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title.endsWith("…")).toBe(true);
    expect(ru.startsWith(title.slice(0, -1))).toBe(true);
  });

  it("falls back for empty text", () => {
    expect(firstLineTitle("  \n ", "Untitled")).toBe("Untitled");
  });
});
