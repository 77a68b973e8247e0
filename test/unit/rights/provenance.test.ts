import { describe, expect, it } from "vitest";
import { CHANNELS } from "../../../workers/protocol/vocabulary.ts";
import {
  forgetOutcomeReply,
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
    for (const t of ["Keep it", "Оставьте", "no", "Gardez-le", "Нет", "нет, оставьте", "לא", "השאירו", "Consérvelo"])
      expect(isKeepAnswer(t), t).toBe(true);
    for (const t of ["nothing arrived", "нетерпеливо жду", "Forget it"]) expect(isKeepAnswer(t), t).toBe(false);
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
      "“allergique aux noix” — vous nous l'avez dit le 1 décembre 2026 (WhatsApp).\n" +
        "“livraison après le 15” — notre équipe l'a noté le 20 novembre 2026.\n" +
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

describe("provenanceReply is worded entirely in the customer's language", () => {
  const FACT = "allergic"; // the customer's own words are quoted as they were said
  const items = (channel: string | null) => [
    { fact: FACT, date: "2026-12-01", channel, origin: "rules" as const },
    { fact: FACT, date: "2026-11-20", channel: null, origin: "operator" as const },
  ];
  const wordsOf = (s: string) =>
    new Set(
      s
        .toLowerCase()
        .split(/[^\p{L}]+/u)
        .filter((w) => w.length >= 2),
    );
  /** Names of products, the same in every Latin-script language. */
  const BRANDS = new Set(["whatsapp", "telegram", "messenger"]);

  it("a Russian customer asking about a fact from the website chat gets the Russian channel name and date", () => {
    const r = provenanceReply("ru", items("widget"));
    expect(r.text).toBe(
      "“allergic” — вы написали нам 1 декабря 2026 г. (чат на сайте).\n" +
        "“allergic” — наша команда отметила это 20 ноября 2026 г.\n" +
        "Хотите, чтобы мы это забыли?",
    );
    expect(r.buttons.map((b) => b.title)).toEqual(["Забудьте", "Оставьте"]);
  });

  it.each(["ru", "he", "es", "fr"])("%s: no English word of the English answer appears, for every channel", (lang) => {
    for (const channel of [...CHANNELS, null]) {
      const english = provenanceReply("en", items(channel));
      const localised = provenanceReply(lang, items(channel));
      const englishWords = [...wordsOf([english.text, ...english.buttons.map((b) => b.title)].join(" "))].filter(
        (w) => w !== FACT && !BRANDS.has(w),
      );
      const text = [localised.text, ...localised.buttons.map((b) => b.title)].join(" ");
      const found = wordsOf(text);
      expect(
        englishWords.filter((w) => found.has(w)),
        `${lang}/${channel}: ${text}`,
      ).toEqual([]);
      expect(localised.text, `${lang}/${channel}`).not.toMatch(/website|\bchat\b|\bemail\b/iu);
    }
  });

  it("Hebrew has no Latin letters outside the quoted fact (channels transliterated)", () => {
    for (const channel of CHANNELS) {
      const r = provenanceReply("he", items(channel));
      expect(r.text.replaceAll(FACT, ""), channel).not.toMatch(/[A-Za-z]/);
    }
  });

  it("a channel we do not know is left out rather than shown raw", () => {
    const r = provenanceReply("en", items("internal-api"));
    expect(r.text).not.toContain("internal-api");
    expect(r.text.split("\n")[0]).toBe("“allergic” — you told us on December 1, 2026.");
  });

  it("the outcome of an offer to forget is in the customer's language", () => {
    expect(forgetOutcomeReply("he", true)).toBe("בוצע — שכחנו את זה ולא נשתמש בזה שוב.");
    expect(forgetOutcomeReply("es", false)).toBe("De acuerdo, lo conservamos.");
    expect(forgetOutcomeReply(null, true)).toMatch(/^Done/);
  });
});
