/** Address parsing for the change-address proposal (issue 18, safety 3): fields without lead-ins, five languages. */
import { describe, expect, it } from "vitest";
import { parseAddress } from "../../../workers/ai/agent/address.ts";
import { composeIntent, type IntentContext } from "../../../workers/ai/agent/local-agent.ts";
import type { AccountSnapshot } from "../../../workers/commerce/types.ts";

describe("parseAddress: lead-ins never reach a field", () => {
  it.each([
    [
      "en",
      "Please change my address to 12 Elm Street, Apt 4, Boston, MA 02110, US",
      { line1: "12 Elm Street", line2: "Apt 4", city: "Boston", region: "MA", postalCode: "02110", country: "US" },
    ],
    [
      "en moved",
      "I moved to 55 King Street West, Toronto, M5H 1J9, Canada. Thanks!",
      { line1: "55 King Street West", city: "Toronto", postalCode: "M5H 1J9", country: "CA" },
    ],
    [
      "en colon",
      "New address: 221B Baker Street, London, NW1 6XE, UK",
      { line1: "221B Baker Street", city: "London", postalCode: "NW1 6XE", country: "GB" },
    ],
    [
      "ru",
      "Поменяйте, пожалуйста, мой адрес на ул. Ленина, д. 5, кв. 12, Москва, 101000, Россия",
      { line1: "ул. Ленина, д. 5", line2: "кв. 12", city: "Москва", postalCode: "101000", country: "RU" },
    ],
    [
      "he",
      "אני רוצה לשנות את הכתובת שלי לרחוב הרצל 5, דירה 3, תל אביב, 6100000, ישראל",
      { line1: "רחוב הרצל 5", line2: "דירה 3", city: "תל אביב", postalCode: "6100000", country: "IL" },
    ],
    [
      "es",
      "Quiero cambiar mi dirección a Calle Mayor 10, piso 2, Madrid, 28013, España",
      { line1: "Calle Mayor 10", line2: "piso 2", city: "Madrid", postalCode: "28013", country: "ES" },
    ],
    [
      "fr",
      "Ma nouvelle adresse est 12 rue de Rivoli, appartement 5, 75001 Paris, France",
      { line1: "12 rue de Rivoli", line2: "appartement 5", city: "Paris", postalCode: "75001", country: "FR" },
    ],
    [
      "fr à",
      "Pouvez-vous changer mon adresse à 8 avenue Foch, Lyon, 69006, France",
      { line1: "8 avenue Foch", city: "Lyon", postalCode: "69006", country: "FR" },
    ],
  ])("%s", (_label, text, expected) => {
    expect(parseAddress(text)).toEqual(expected);
  });

  it.each([
    ["no house number", "change my address to Elm Street, Boston, 02110, US"],
    ["no country", "change my address to 12 Elm Street, Boston, MA 02110"],
    ["no postal code", "change my address to 12 Elm Street, Boston, US"],
    ["a sentence, not an address", "can you change my address, I moved, it is 12 now, US"],
    ["just words", "somewhere nice"],
  ])("refuses %s", (_label, text) => {
    expect(parseAddress(text)).toBeNull();
  });
});

describe("the change-address proposal", () => {
  const account: AccountSnapshot = {
    customerRef: "c1",
    name: "John Smith",
    email: "john@example.com",
    address: { line1: "1 Old Rd", city: "Boston", postalCode: "02110", country: "US" },
    subscription: null,
    orders: [],
    latestShipment: null,
    latestPayment: null,
  };
  const ctx = (text: string, lang: string): IntentContext => ({
    intent: "change_address",
    secondary: false,
    text,
    lang,
    account,
    passages: [],
    retentionOffered: false,
    retentionOffer: null,
    attachmentKeys: [],
    publicUrl: "https://shop.test",
    now: new Date("2026-11-10T00:00:00Z"),
  });

  it("echoes every parsed field on its own labelled line and stores them without lead-ins", () => {
    const out = composeIntent(ctx("change my address to 12 Elm Street, Apt 4, Boston, MA 02110, US", "en"), {});
    expect(out.proposal?.args).toEqual({
      line1: "12 Elm Street",
      line2: "Apt 4",
      city: "Boston",
      region: "MA",
      postalCode: "02110",
      country: "US",
    });
    const text = out.proposal?.text ?? "";
    expect(text).toContain("• Street: 12 Elm Street");
    expect(text).toContain("• Apartment / unit: Apt 4");
    expect(text).toContain("• City: Boston");
    expect(text).toContain("• Postal code: 02110");
    expect(text).toMatch(/• Country: United States \(US\)/);
    expect(text).not.toMatch(/\bto 12\b/);
  });

  it("labels the fields in the customer's language", () => {
    const out = composeIntent(ctx("Поменяйте мой адрес на ул. Ленина, д. 5, кв. 12, Москва, 101000, Россия", "ru"), {});
    expect(out.proposal?.text).toContain("• Город: Москва");
    expect(out.proposal?.text).toContain("• Индекс: 101000");
  });

  it("asks again instead of proposing an address that did not parse", () => {
    const out = composeIntent(ctx("change my address to Elm Street, Boston", "en"), {});
    expect(out.proposal).toBeNull();
    expect(out.ask).toBe("address");
  });
});
