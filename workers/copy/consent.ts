/**
 * Default consent copy (issue 20, seed 003: consent to the processing of personal data),
 * in the five supported languages. A workspace replaces any of them in
 * settings.consent.texts; the version string says which wording a customer agreed to.
 */
import type { Language } from "../lib/categories.ts";

export const DEFAULT_CONSENT_TEXT: Record<Language, string> = {
  en: "I agree to the processing of my personal data (name, contacts, messages) to answer my request.",
  ru: "Я согласен(на) на обработку моих персональных данных (имя, контакты, сообщения) для ответа на моё обращение.",
  he: "אני מסכים/ה לעיבוד המידע האישי שלי (שם, פרטי קשר, הודעות) לצורך מענה לפנייתי.",
  es: "Acepto el tratamiento de mis datos personales (nombre, contactos, mensajes) para responder a mi solicitud.",
  fr: "J'accepte le traitement de mes données personnelles (nom, coordonnées, messages) pour répondre à ma demande.",
};

export function consentText(texts: Partial<Record<Language, string>>, lang: Language): string {
  return texts[lang] ?? DEFAULT_CONSENT_TEXT[lang];
}

/**
 * The notice a contact gets with the first reply on a messenger or email channel, where no
 * consent box can be shown before they write (issue 20, data rights 1). `{policy}` becomes
 * " Privacy policy: <link>" (in the language) when the workspace has a policy link.
 */
export const DEFAULT_NOTICE_TEXT: Record<Language, string> = {
  en: "Hello! To answer you we process your name, contact details and messages.{policy}",
  ru: "Здравствуйте! Чтобы ответить вам, мы обрабатываем ваше имя, контакты и сообщения.{policy}",
  he: "שלום! כדי לענות לך אנו מעבדים את שמך, פרטי הקשר וההודעות שלך.{policy}",
  es: "¡Hola! Para responderle tratamos su nombre, sus datos de contacto y sus mensajes.{policy}",
  fr: "Bonjour ! Pour vous répondre, nous traitons votre nom, vos coordonnées et vos messages.{policy}",
};

const POLICY_LABEL: Record<Language, string> = {
  en: "Privacy policy",
  ru: "Политика конфиденциальности",
  he: "מדיניות הפרטיות",
  es: "Política de privacidad",
  fr: "Politique de confidentialité",
};

/** The first-message notice in `lang`: the workspace's override or the default, with the policy link. */
export function noticeText(texts: Partial<Record<Language, string>>, lang: Language, policyUrl: string | null): string {
  const template = texts[lang] ?? DEFAULT_NOTICE_TEXT[lang];
  const policy = policyUrl ? ` ${POLICY_LABEL[lang]}: ${policyUrl}` : "";
  // An override without the placeholder still gets the link, at the end.
  return template.includes("{policy}") ? template.replace("{policy}", policy).trim() : `${template}${policy}`.trim();
}
