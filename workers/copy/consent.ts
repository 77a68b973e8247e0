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
