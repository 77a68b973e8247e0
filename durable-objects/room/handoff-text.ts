/**
 * What the customer is told when the assistant hands over to a human: during business
 * hours that a colleague will reply here; after hours (seed 003 "after-hours mode") that
 * the team is away, when it opens, and that a callback can be requested.
 */
export interface HoursNow {
  open: boolean;
  /** e.g. "Sun–Thu 09:00–18:00 (Asia/Jerusalem)" */
  description: string;
}

const DURING: Record<string, string> = {
  en: "I'm handing this over to a colleague from our team; they'll reply here shortly.",
  ru: "Передаю ваш вопрос коллеге — он ответит здесь же, как только освободится.",
  he: "אני מעביר את השיחה לנציג אנושי שיענה לך כאן בהקדם.",
  es: "Paso tu consulta a un compañero del equipo; te responderá aquí mismo en breve.",
  fr: "Je transmets votre demande à un collègue ; il vous répondra ici très bientôt.",
};

const AFTER: Record<string, (hours: string) => string> = {
  en: (h) =>
    `Our team is away right now (opening hours: ${h}). I've passed your message on and a colleague will reply here when we open. If you prefer, leave your phone number in the callback form and we'll call you.`,
  ru: (h) =>
    `Сейчас команда не на связи (часы работы: ${h}). Я передал ваше сообщение — коллега ответит здесь, как только мы откроемся. Можно также оставить номер телефона в форме обратного звонка.`,
  he: (h) =>
    `הצוות שלנו אינו זמין כרגע (שעות פעילות: ${h}). העברתי את ההודעה ונציג יענה כאן כשנפתח. אפשר גם להשאיר מספר טלפון בטופס החזרה.`,
  es: (h) =>
    `Nuestro equipo no está disponible ahora (horario: ${h}). He pasado tu mensaje y un compañero te responderá aquí cuando abramos. Si prefieres, deja tu teléfono en el formulario de devolución de llamada.`,
  fr: (h) =>
    `Notre équipe est absente pour le moment (horaires : ${h}). J'ai transmis votre message ; un collègue vous répondra ici à l'ouverture. Vous pouvez aussi laisser votre numéro dans le formulaire de rappel.`,
};

export function handoffText(language: string | null, hours: HoursNow | null): string {
  const lang = language && language in DURING ? language : "en";
  if (hours && !hours.open && hours.description) return (AFTER[lang] ?? AFTER.en!)(hours.description);
  return DURING[lang] ?? DURING.en!;
}
