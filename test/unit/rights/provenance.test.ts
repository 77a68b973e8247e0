import { describe, expect, it } from "vitest";
import {
  isForgetRequest,
  isKeepAnswer,
  isProvenanceQuestion,
  provenanceReply,
  relevantMemories,
} from "../../../workers/rights/memory/provenance.ts";

describe("provenance questions (five languages)", () => {
  it.each([
    "How do you know that?",
    "where did you get that from??",
    "Откуда вы знаете?",
    "откуда у вас эта информация",
    "¿Cómo lo sabe?",
    "¿De dónde sacaron eso?",
    "Comment vous savez ça ?",
    "D'où tenez-vous cette information ?",
    "מאיפה אתם יודעים את זה?",
  ])("recognises %s", (t) => expect(isProvenanceQuestion(t)).toBe(true));

  it.each(["Where is my box?", "I know my order number", "Откуда приходит посылка? Из какой страны?", "¿Cómo estás?"])(
    "ignores %s",
    (t) => expect(isProvenanceQuestion(t)).toBe(false),
  );

  it("forget and keep answers", () => {
    for (const t of ["Forget it", "yes, please forget", "Забудьте", "Olvídelo", "Oubliez-le", "תשכחו"])
      expect(isForgetRequest(t)).toBe(true);
    for (const t of ["Keep it", "Оставьте", "no", "Gardez-le"]) expect(isKeepAnswer(t)).toBe(true);
    expect(isForgetRequest("I forgot my password")).toBe(false);
  });
});

describe("provenanceReply", () => {
  it("names the date and channel (or the team), offers to forget, in the customer's language", () => {
    const r = provenanceReply("fr", [
      { fact: "allergique aux noix", date: "2026-12-01", channel: "whatsapp", origin: "rules" },
      { fact: "livraison après le 15", date: "2026-11-20", channel: null, origin: "operator" },
    ]);
    expect(r.text).toBe(
      "“allergique aux noix” — vous nous l'avez dit le 2026-12-01 (WhatsApp).\n" +
        "“livraison après le 15” — notre équipe l'a noté le 2026-11-20.\n" +
        "Voulez-vous que nous l'oubliions ?",
    );
    expect(r.buttons.map((b) => b.title)).toEqual(["Oubliez-le", "Gardez-le"]);
  });

  it("cites the memories the last reply used, else all (at most three)", () => {
    const ms = [{ fact: "allergic to peanuts" }, { fact: "deliveries after the 15th" }];
    expect(relevantMemories(ms, "No problem, we will keep peanuts out of your box.")).toEqual([ms[0]]);
    expect(relevantMemories(ms, "Hello!")).toEqual(ms);
  });
});
