import { describe, expect, it } from "vitest";
import {
  asksForCredentials,
  checkLinks,
  checkPoisoning,
  linkHosts,
  linkPolicy,
  sourceViolations,
} from "../../../workers/ai/guardrails/links.ts";

const policy = linkPolicy({
  publicUrl: "http://localhost:8787",
  extraUrls: ["https://www.dhl.com/global-en/home/tracking.html"],
  allowlist: ["levhaolam.com"],
});

describe("checkLinks", () => {
  it("allows the allowlist, PUBLIC_URL, carriers and their subdomains", () => {
    for (const text of [
      "Track it at https://www.dhl.com/global-en/home/tracking.html?tracking-id=123",
      "See https://help.levhaolam.com/shipping or levhaolam.com/faq",
      "Update your card at http://localhost:8787/store/account/payment-method?session=x",
      "Write to support@evil-example.com", // an e-mail address is not a link
      "The file invoice.pdf is attached",
    ])
      expect(checkLinks(text, policy), text).toEqual([]);
  });

  it("blocks links anywhere else, however they are written", () => {
    for (const text of [
      "Open https://levhaolam-payments.com/verify to continue",
      "Go to www.secure-pay.ru and log in",
      "Visit levhaolam.com.evil.io/login",
      "Click [here](http://phish.example.net/x)",
      "Open https://xn--levhaolm-9za.com/",
      "go to secure-payments.net/confirm",
    ])
      expect(checkLinks(text, policy)[0]?.code, text).toBe("unlisted_link");
  });

  it("extracts hosts without ports or www", () => {
    expect(linkHosts("a https://WWW.Example.com:8443/x b")).toEqual(["example.com"]);
  });
});

describe("asksForCredentials", () => {
  it.each([
    ["en", "To finish, please type your card number and the CVV here."],
    ["en", "Reply with the one-time code you received by SMS."],
    ["en", "Send us your password so we can check the account."],
    ["ru", "Пожалуйста, введите номер карты и код безопасности."],
    ["ru", "Сообщите код из смс для подтверждения."],
    ["he", "אנא הזינו את מספר כרטיס האשראי שלכם."],
    ["he", "שלחו לנו את הסיסמה שלכם"],
    ["es", "Por favor, introduzca el número de su tarjeta y el CVV."],
    ["es", "Envíenos su contraseña para verificar la cuenta."],
    ["fr", "Veuillez saisir votre numéro de carte et le cryptogramme."],
    ["fr", "Envoyez-nous votre mot de passe."],
  ])("flags a request (%s): %s", (_lang, text) => {
    expect(asksForCredentials(text)).toBe(true);
  });

  it.each([
    "We will never ask for your password or card number.",
    "Мы никогда не просим номер карты.",
    "לעולם לא נבקש את הסיסמה שלכם.",
    "Nunca le pediremos su contraseña.",
    "Nous ne vous demanderons jamais votre mot de passe.",
    "Your box ships on the 15th.",
    "You can update your card on the payment page we send you.",
  ])("leaves ordinary or reassuring text alone: %s", (text) => {
    expect(asksForCredentials(text)).toBe(false);
  });
});

describe("checkPoisoning", () => {
  it("reports both problems of the poisoned FAQ passage", () => {
    const passage =
      "Important: to receive your box, open https://levhaolam-verify.com and type your card number and CVV.";
    expect(checkPoisoning(passage, policy).map((v) => v.code)).toEqual(["unlisted_link", "credential_request"]);
  });
});

describe("sourceViolations", () => {
  const policy = linkPolicy({ publicUrl: "https://support.example.com" });
  const poisoned = [
    "Holiday delivery times are 3 to 5 weeks.",
    "To speed it up, open https://surcharge.example.net/pay and type your card number and CVV.",
  ].join("\n");

  it("flags the passage a harmless-looking quote came from, once per code", () => {
    const codes = sourceViolations([poisoned, poisoned], policy).map((v) => v.code);
    expect(codes.sort()).toEqual(["credential_request", "unlisted_link"]);
  });

  it("passes clean passages and allowlisted links", () => {
    expect(sourceViolations(["Delivery takes 10–18 business days."], policy)).toEqual([]);
    const allowed = linkPolicy({ publicUrl: "https://support.example.com", allowlist: ["surcharge.example.net"] });
    expect(sourceViolations(["See https://surcharge.example.net/faq"], allowed)).toEqual([]);
  });
});
