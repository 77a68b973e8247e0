/**
 * Customer-facing copy the platform writes itself, in the five supported languages.
 * The AI engine's answers have their own templates (workers/ai/agent/templates.ts);
 * this module holds what the room, the commerce executor and identification say around
 * them: hand-overs, held drafts, code limits, action results, button titles.
 *
 * Response times are worded from a `ReplyWindow`: open now with an SLA first-response
 * target ("within about 15 minutes"), open without one ("shortly"), or closed with the
 * next opening in the workspace's time zone ("when we open (Sunday 09:00)").
 *
 * Over 400 lines because it is one table of every phrase in five languages: a translator
 * (and a reviewer looking for an English literal in a Hebrew chat) reads one file; the code
 * around the table is a handful of short functions.
 */
import { LANGUAGES, type Language } from "../lib/categories.ts";
import { CHANNELS, type Channel } from "../protocol/vocabulary.ts";

/** When a human can be expected to answer, as the room works it out from settings. */
export type ReplyWindow =
  | { kind: "open"; withinMinutes: number | null }
  | {
      kind: "closed";
      hours: string;
      nextOpening: Date | null;
      timeZone: string;
      /** The workspace's own after-hours message (settings.afterHours.message), shown first. */
      note: string | null;
    };

const en = {
  "freq.monthly": "monthly",
  "freq.bimonthly": "every two months",
  "freq.quarterly": "quarterly",
  "done.skip": "Done: your {month} box is skipped. Your next box ships on {date}.",
  "done.skip_noop": "Your {month} box was already skipped; nothing changed. Your next box ships on {date}.",
  "done.claim":
    "Your damage claim for box {order} is filed. A replacement item ships with your next box; our team reviews the details.",
  "done.pause": "Your subscription is paused until {date}.",
  "done.frequency": "Your deliveries are now {freq}.",
  "done.address": "Your delivery address is now {address}.",
  "done.cancel": "Your subscription is cancelled. You won't be charged again.",
  "done.noop": "That was already the case; nothing changed.",
  connectingTo: "Connecting you to {name}",
  connectingTeam: "Connecting you to the {name} team",
  handoff: "I'm passing this to a colleague from our team; they'll reply here {when}.",
  handoffClosed:
    "Our team is away right now (opening hours: {hours}). I've passed your message on; a colleague will reply here {when}. If you prefer, leave your phone number in the callback form and we'll call you.",
  held: "Thanks! A colleague will check this and reply here {when}. Meanwhile, feel free to ask me anything else.",
  heldClosed:
    "Thanks! Our team is away right now (opening hours: {hours}); a colleague will check this and reply here {when}. Meanwhile, I can still answer other questions.",
  actionWaits:
    "A colleague needs to approve that change first; they'll reply here {when}. I can still answer other questions meanwhile.",
  actionFailed: "I couldn't complete that change. A colleague will look at it and get back to you {when}.",
  actionDone: "Done — the change is made.",
  actionCancelled: "OK, I haven't changed anything.",
  afterHoursThanks: "Thank you! We've received your request; a colleague will get back to you {when}.",
  codeLocked:
    "That code is now locked after too many wrong tries, to protect the account. Type your email address again for a new code, or ask for a colleague.",
  codeLimit:
    "For your security I can't send another code right now. Please try again in an hour, or ask for a colleague and they'll help you here.",
  tooManySessions: "Too many chats were started from your network just now. Please wait a minute and try again.",
  tooManyMessages: "You're sending messages faster than we can read them. Please wait a minute, then send again.",
  codeMailSubject: "Your verification code: {code}",
  codeMailBody:
    "Your {shop} support verification code is {code}.\n\nIt is valid for 10 minutes. If you did not ask for it, ignore this email.",
  confirm: "Confirm",
  cancel: "Cancel",
  whenShortly: "shortly",
  whenWithin: "within about {duration}",
  whenOpen: "when we open ({at})",
  whenOpenUnknown: "as soon as we open",
  "channel.widget": "website chat",
  "channel.telegram": "Telegram",
  "channel.whatsapp": "WhatsApp",
  "channel.messenger": "Messenger",
  "channel.email": "email",
  "memory.said": "you told us on {date} ({channel})",
  "memory.saidUnknownChannel": "you told us on {date}",
  "memory.noted": "our team noted it on {date}",
  "memory.offer": "Would you like us to forget it?",
  "memory.forget": "Forget it",
  "memory.keep": "Keep it",
  "memory.forgotten": "Done — we have forgotten it and will not use it again.",
  "memory.kept": "All right, we will keep it.",
};

type Key = keyof typeof en;

const ru: Record<Key, string> = {
  "freq.monthly": "раз в месяц",
  "freq.bimonthly": "раз в два месяца",
  "freq.quarterly": "раз в квартал",
  "done.skip": "Готово: коробка за {month} пропущена. Следующая отправится {date}.",
  "done.skip_noop": "Коробка за {month} уже была пропущена, ничего не изменилось. Следующая отправится {date}.",
  "done.claim":
    "Претензия по коробке {order} оформлена. Замена приедет со следующей коробкой; команда проверит детали.",
  "done.pause": "Подписка на паузе до {date}.",
  "done.frequency": "Теперь доставка: {freq}.",
  "done.address": "Новый адрес доставки: {address}.",
  "done.cancel": "Подписка отменена. Больше списаний не будет.",
  "done.noop": "Так уже было, ничего не изменилось.",
  connectingTo: "Соединяем вас с {name}",
  connectingTeam: "Передаём ваш вопрос команде «{name}»",
  handoff: "Передаю ваш вопрос коллеге из нашей команды — он ответит здесь {when}.",
  handoffClosed:
    "Сейчас команда не на связи (часы работы: {hours}). Я передал ваше сообщение — коллега ответит здесь {when}. Можно также оставить номер телефона в форме обратного звонка.",
  held: "Спасибо! Коллега проверит ответ и напишет здесь {when}. А пока можете задать мне другие вопросы.",
  heldClosed:
    "Спасибо! Сейчас команда не на связи (часы работы: {hours}); коллега проверит ответ и напишет здесь {when}. А пока я могу ответить на другие вопросы.",
  actionWaits:
    "Это изменение сначала должен одобрить коллега — он ответит здесь {when}. А пока я могу ответить на другие вопросы.",
  actionFailed: "Не получилось внести это изменение. Коллега разберётся и ответит вам {when}.",
  actionDone: "Готово — изменение внесено.",
  actionCancelled: "Хорошо, я ничего не менял.",
  afterHoursThanks: "Спасибо! Мы получили ваш запрос — коллега свяжется с вами {when}.",
  codeLocked:
    "Код заблокирован после слишком многих неверных попыток — это защита аккаунта. Напишите email ещё раз, чтобы получить новый код, или попросите коллегу.",
  codeLimit:
    "В целях безопасности я не могу сейчас отправить ещё один код. Попробуйте через час или попросите коллегу — он поможет здесь.",
  tooManySessions: "С вашей сети только что открыли слишком много чатов. Подождите минуту и попробуйте снова.",
  tooManyMessages: "Вы отправляете сообщения быстрее, чем мы успеваем их читать. Подождите минуту и отправьте снова.",
  codeMailSubject: "Ваш код подтверждения: {code}",
  codeMailBody:
    "Ваш код подтверждения для поддержки {shop}: {code}.\n\nОн действует 10 минут. Если вы его не запрашивали, просто проигнорируйте это письмо.",
  confirm: "Подтвердить",
  cancel: "Отменить",
  whenShortly: "в ближайшее время",
  whenWithin: "примерно в течение {duration}",
  whenOpen: "когда мы откроемся ({at})",
  whenOpenUnknown: "как только мы откроемся",
  "channel.widget": "чат на сайте",
  "channel.telegram": "Telegram",
  "channel.whatsapp": "WhatsApp",
  "channel.messenger": "Messenger",
  "channel.email": "электронная почта",
  "memory.said": "вы написали нам {date} ({channel})",
  "memory.saidUnknownChannel": "вы написали нам {date}",
  "memory.noted": "наша команда отметила это {date}",
  "memory.offer": "Хотите, чтобы мы это забыли?",
  "memory.forget": "Забудьте",
  "memory.keep": "Оставьте",
  "memory.forgotten": "Готово — мы это забыли и больше не будем использовать.",
  "memory.kept": "Хорошо, оставим.",
};

const he: Record<Key, string> = {
  "freq.monthly": "חודשית",
  "freq.bimonthly": "כל חודשיים",
  "freq.quarterly": "רבעונית",
  "done.skip": "בוצע: דילגנו על קופסת {month}. הקופסה הבאה תישלח ב-{date}.",
  "done.skip_noop": "כבר דילגנו על קופסת {month}; לא השתנה דבר. הקופסה הבאה תישלח ב-{date}.",
  "done.claim": "תביעת הנזק עבור {order} נרשמה. פריט חלופי יישלח עם הקופסה הבאה.",
  "done.pause": "המנוי מושהה עד {date}.",
  "done.frequency": "התדירות כעת: {freq}.",
  "done.address": "כתובת המשלוח כעת: {address}.",
  "done.cancel": "המנוי בוטל. לא יהיו חיובים נוספים.",
  "done.noop": "כך זה כבר היה; לא השתנה דבר.",
  connectingTo: "מעבירים אותך אל {name}",
  connectingTeam: "מעבירים אותך לצוות {name}",
  handoff: "אני מעביר את הפנייה לנציג מהצוות שלנו; הוא יענה כאן {when}.",
  handoffClosed:
    "הצוות שלנו אינו זמין כרגע (שעות פעילות: {hours}). העברתי את ההודעה, ונציג יענה כאן {when}. אפשר גם להשאיר מספר טלפון בטופס החזרה ונחזור אליך.",
  held: "תודה! נציג יבדוק את הפנייה ויענה כאן {when}. בינתיים אפשר לשאול אותי כל שאלה אחרת.",
  heldClosed:
    "תודה! הצוות שלנו אינו זמין כרגע (שעות פעילות: {hours}); נציג יבדוק את הפנייה ויענה כאן {when}. בינתיים אני עדיין יכול לענות על שאלות אחרות.",
  actionWaits: "נציג צריך לאשר את השינוי הזה קודם; הוא יענה כאן {when}. בינתיים אני יכול לענות על שאלות אחרות.",
  actionFailed: "לא הצלחתי לבצע את השינוי. נציג יבדוק ויחזור אליך {when}.",
  actionDone: "בוצע — השינוי נשמר.",
  actionCancelled: "בסדר, לא שיניתי דבר.",
  afterHoursThanks: "תודה! קיבלנו את הבקשה; נציג יחזור אליך {when}.",
  codeLocked:
    "הקוד ננעל אחרי יותר מדי ניסיונות שגויים, כדי להגן על החשבון. הקלידו שוב את האימייל לקבלת קוד חדש, או בקשו נציג.",
  codeLimit: "מטעמי אבטחה אי אפשר לשלוח קוד נוסף כרגע. נסו שוב בעוד שעה, או בקשו נציג שיעזור כאן.",
  tooManySessions: "נפתחו יותר מדי שיחות מהרשת שלך ממש עכשיו. המתינו דקה ונסו שוב.",
  tooManyMessages: "אתם שולחים הודעות מהר יותר ממה שאנחנו מספיקים לקרוא. המתינו דקה ושלחו שוב.",
  codeMailSubject: "קוד האימות שלך: {code}",
  codeMailBody:
    "קוד האימות שלך לתמיכה של {shop} הוא {code}.\n\nהקוד תקף ל-10 דקות. אם לא ביקשת אותו, אפשר להתעלם מהודעה זו.",
  confirm: "אישור",
  cancel: "ביטול",
  whenShortly: "בהקדם",
  whenWithin: "תוך כ-{duration}",
  whenOpen: "כשנפתח ({at})",
  whenOpenUnknown: "מיד כשנפתח",
  "channel.widget": "הצ'אט באתר",
  "channel.telegram": "טלגרם",
  "channel.whatsapp": "וואטסאפ",
  "channel.messenger": "מסנג'ר",
  "channel.email": "דואר אלקטרוני",
  "memory.said": "כתבתם לנו ב-{date} ({channel})",
  "memory.saidUnknownChannel": "כתבתם לנו ב-{date}",
  "memory.noted": "הצוות שלנו רשם זאת ב-{date}",
  "memory.offer": "האם תרצו שנשכח את זה?",
  "memory.forget": "תשכחו",
  "memory.keep": "השאירו",
  "memory.forgotten": "בוצע — שכחנו את זה ולא נשתמש בזה שוב.",
  "memory.kept": "בסדר, נשאיר את זה.",
};

const es: Record<Key, string> = {
  "freq.monthly": "mensual",
  "freq.bimonthly": "cada dos meses",
  "freq.quarterly": "trimestral",
  "done.skip": "Hecho: su caja de {month} queda omitida. La próxima sale el {date}.",
  "done.skip_noop": "Su caja de {month} ya estaba omitida; no cambió nada. La próxima sale el {date}.",
  "done.claim": "Su reclamo por la caja {order} está registrado. El reemplazo llegará con su próxima caja.",
  "done.pause": "Su suscripción queda en pausa hasta el {date}.",
  "done.frequency": "Sus entregas ahora son: {freq}.",
  "done.address": "Su dirección de entrega ahora es {address}.",
  "done.cancel": "Su suscripción está cancelada. No se le cobrará más.",
  "done.noop": "Ya era así; no cambió nada.",
  connectingTo: "Te estamos conectando con {name}",
  connectingTeam: "Te estamos conectando con el equipo de {name}",
  handoff: "Paso tu consulta a un compañero del equipo; te responderá aquí {when}.",
  handoffClosed:
    "Nuestro equipo no está disponible ahora (horario: {hours}). He pasado tu mensaje y un compañero te responderá aquí {when}. Si prefieres, deja tu teléfono en el formulario de devolución de llamada.",
  held: "¡Gracias! Un compañero lo revisará y te responderá aquí {when}. Mientras tanto, pregúntame lo que quieras.",
  heldClosed:
    "¡Gracias! Nuestro equipo no está disponible ahora (horario: {hours}); un compañero lo revisará y te responderá aquí {when}. Mientras tanto, puedo responder otras preguntas.",
  actionWaits:
    "Un compañero tiene que aprobar ese cambio primero; te responderá aquí {when}. Mientras tanto, puedo responder otras preguntas.",
  actionFailed: "No pude completar ese cambio. Un compañero lo revisará y te responderá {when}.",
  actionDone: "Hecho: el cambio está aplicado.",
  actionCancelled: "De acuerdo, no he cambiado nada.",
  afterHoursThanks: "¡Gracias! Hemos recibido tu solicitud; un compañero te contactará {when}.",
  codeLocked:
    "Ese código está bloqueado tras demasiados intentos fallidos, para proteger la cuenta. Escribe de nuevo tu correo para recibir otro, o pide hablar con un compañero.",
  codeLimit:
    "Por seguridad no puedo enviar otro código ahora. Inténtalo de nuevo en una hora, o pide un compañero y te ayudará aquí.",
  tooManySessions:
    "Se han abierto demasiados chats desde tu red hace un momento. Espera un minuto y vuelve a intentarlo.",
  tooManyMessages:
    "Estás enviando mensajes más rápido de lo que podemos leerlos. Espera un minuto y vuelve a enviarlos.",
  codeMailSubject: "Tu código de verificación: {code}",
  codeMailBody:
    "Tu código de verificación para el soporte de {shop} es {code}.\n\nEs válido durante 10 minutos. Si no lo has pedido, ignora este correo.",
  confirm: "Confirmar",
  cancel: "Cancelar",
  whenShortly: "en breve",
  whenWithin: "en unos {duration}",
  whenOpen: "cuando abramos ({at})",
  whenOpenUnknown: "en cuanto abramos",
  "channel.widget": "conversación en nuestra web",
  "channel.telegram": "Telegram",
  "channel.whatsapp": "WhatsApp",
  "channel.messenger": "Messenger",
  "channel.email": "correo electrónico",
  "memory.said": "nos lo dijo el {date} ({channel})",
  "memory.saidUnknownChannel": "nos lo dijo el {date}",
  "memory.noted": "nuestro equipo lo anotó el {date}",
  "memory.offer": "¿Quiere que lo olvidemos?",
  "memory.forget": "Olvídelo",
  "memory.keep": "Consérvelo",
  "memory.forgotten": "Hecho: lo hemos olvidado y no lo volveremos a usar.",
  "memory.kept": "De acuerdo, lo conservamos.",
};

const fr: Record<Key, string> = {
  "freq.monthly": "mensuelle",
  "freq.bimonthly": "tous les deux mois",
  "freq.quarterly": "trimestrielle",
  "done.skip": "C'est fait : votre box de {month} est sautée. La prochaine part le {date}.",
  "done.skip_noop": "Votre box de {month} était déjà sautée ; rien n'a changé. La prochaine part le {date}.",
  "done.claim":
    "Votre réclamation pour la box {order} est enregistrée. Le remplacement partira avec votre prochaine box.",
  "done.pause": "Votre abonnement est en pause jusqu'au {date}.",
  "done.frequency": "Vos livraisons sont désormais : {freq}.",
  "done.address": "Votre adresse de livraison est désormais {address}.",
  "done.cancel": "Votre abonnement est résilié. Vous ne serez plus débité.",
  "done.noop": "C'était déjà le cas ; rien n'a changé.",
  connectingTo: "Nous vous mettons en relation avec {name}",
  connectingTeam: "Nous vous mettons en relation avec l'équipe {name}",
  handoff: "Je transmets votre demande à un collègue de l'équipe ; il vous répondra ici {when}.",
  handoffClosed:
    "Notre équipe est absente pour le moment (horaires : {hours}). J'ai transmis votre message ; un collègue vous répondra ici {when}. Vous pouvez aussi laisser votre numéro dans le formulaire de rappel.",
  held: "Merci ! Un collègue va vérifier et vous répondra ici {when}. En attendant, n'hésitez pas à me poser d'autres questions.",
  heldClosed:
    "Merci ! Notre équipe est absente pour le moment (horaires : {hours}) ; un collègue va vérifier et vous répondra ici {when}. En attendant, je peux répondre à d'autres questions.",
  actionWaits:
    "Un collègue doit d'abord approuver ce changement ; il vous répondra ici {when}. En attendant, je peux répondre à d'autres questions.",
  actionFailed: "Je n'ai pas pu effectuer ce changement. Un collègue va regarder et vous répondra {when}.",
  actionDone: "C'est fait : le changement est enregistré.",
  actionCancelled: "D'accord, je n'ai rien modifié.",
  afterHoursThanks: "Merci ! Nous avons bien reçu votre demande ; un collègue vous recontactera {when}.",
  codeLocked:
    "Ce code est bloqué après trop d'essais erronés, pour protéger le compte. Retapez votre adresse e-mail pour en recevoir un nouveau, ou demandez un collègue.",
  codeLimit:
    "Par sécurité, je ne peux pas envoyer d'autre code pour le moment. Réessayez dans une heure, ou demandez un collègue qui vous aidera ici.",
  tooManySessions:
    "Trop de conversations ont été ouvertes depuis votre réseau à l'instant. Patientez une minute puis réessayez.",
  tooManyMessages:
    "Vous envoyez des messages plus vite que nous ne pouvons les lire. Patientez une minute, puis renvoyez-les.",
  codeMailSubject: "Votre code de vérification : {code}",
  codeMailBody:
    "Votre code de vérification pour l'assistance {shop} est {code}.\n\nIl est valable 10 minutes. Si vous ne l'avez pas demandé, ignorez cet e-mail.",
  confirm: "Confirmer",
  cancel: "Annuler",
  whenShortly: "très bientôt",
  whenWithin: "d'ici environ {duration}",
  whenOpen: "à notre ouverture ({at})",
  whenOpenUnknown: "dès notre ouverture",
  "channel.widget": "messagerie du site",
  "channel.telegram": "Telegram",
  "channel.whatsapp": "WhatsApp",
  "channel.messenger": "Messenger",
  "channel.email": "e-mail",
  "memory.said": "vous nous l'avez dit le {date} ({channel})",
  "memory.saidUnknownChannel": "vous nous l'avez dit le {date}",
  "memory.noted": "notre équipe l'a noté le {date}",
  "memory.offer": "Voulez-vous que nous l'oubliions ?",
  "memory.forget": "Oubliez-le",
  "memory.keep": "Gardez-le",
  "memory.forgotten": "C'est fait : nous l'avons oublié et ne l'utiliserons plus.",
  "memory.kept": "D'accord, nous le gardons.",
};

const COPY: Record<Language, Record<Key, string>> = { en, ru, he, es, fr };

export type CopyKey = Key;

/** One of the five languages for any language tag ("he-IL" → "he"); English otherwise. */
export function copyLanguage(language: string | null | undefined): Language {
  const base = (language ?? "").toLowerCase().split(/[-_]/)[0] ?? "";
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : "en";
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template
    .replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] !== undefined ? String(vars[k]) : ""))
    .replace(/[^\S\n]{2,}/g, " ")
    .trim();
}

/** A fixed phrase in the customer's language. */
export function customerText(
  language: string | null | undefined,
  key: CopyKey,
  vars: Record<string, string | number> = {},
): string {
  return fill(COPY[copyLanguage(language)][key], vars);
}

function duration(lang: Language, minutes: number): string {
  const hours = minutes >= 120 && minutes % 60 === 0;
  return new Intl.NumberFormat(lang, {
    style: "unit",
    unit: hours ? "hour" : "minute",
    unitDisplay: "long",
  }).format(hours ? minutes / 60 : Math.max(1, Math.round(minutes)));
}

function openingAt(lang: Language, at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(lang, {
      weekday: "long",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZone,
    }).format(at);
  } catch {
    return at.toISOString().slice(0, 16).replace("T", " ");
  }
}

/** "within about 15 minutes" / "shortly" / "when we open (Sunday 09:00)", in the customer's language. */
export function whenPhrase(language: string | null | undefined, window: ReplyWindow): string {
  const lang = copyLanguage(language);
  if (window.kind === "open")
    return window.withinMinutes && window.withinMinutes > 0
      ? customerText(lang, "whenWithin", { duration: duration(lang, window.withinMinutes) })
      : customerText(lang, "whenShortly");
  return window.nextOpening
    ? customerText(lang, "whenOpen", { at: openingAt(lang, window.nextOpening, window.timeZone) })
    : customerText(lang, "whenOpenUnknown");
}

/** What the customer is told when a human takes over (escalation, failed turn, request for a human). */
export function handoffNotice(language: string | null | undefined, window: ReplyWindow): string {
  const when = whenPhrase(language, window);
  return window.kind === "closed"
    ? withNote(window.note, customerText(language, "handoffClosed", { hours: window.hours, when }))
    : customerText(language, "handoff", { when });
}

function withNote(note: string | null, text: string): string {
  return note ? `${note}\n\n${text}` : text;
}

/** What the customer is told when the bot's answer is held for an operator to check. */
export function heldNotice(language: string | null | undefined, window: ReplyWindow): string {
  const when = whenPhrase(language, window);
  return window.kind === "closed"
    ? withNote(window.note, customerText(language, "heldClosed", { hours: window.hours, when }))
    : customerText(language, "held", { when });
}

/** A sentence with a response time ("actionFailed", "actionWaits", "afterHoursThanks"). */
export function withWhen(
  language: string | null | undefined,
  key: "actionFailed" | "actionWaits" | "afterHoursThanks",
  window: ReplyWindow,
): string {
  return customerText(language, key, { when: whenPhrase(language, window) });
}

/** "March 2027" in the customer's language for a YYYY-MM or YYYY-MM-DD string. */
export function monthName(language: string | null | undefined, ym: string): string {
  const d = new Date(`${ym.slice(0, 7)}-15T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return ym;
  return formatter("month", copyLanguage(language)).format(d);
}

/**
 * Date formatters per style and language, built once: creating an Intl.DateTimeFormat
 * costs far more than formatting with one, and a turn formats several dates.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(style: "month" | "day", language: string): Intl.DateTimeFormat {
  const key = `${style}:${language}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      language,
      style === "month"
        ? { month: "long", year: "numeric", timeZone: "UTC" }
        : { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" },
    );
    formatters.set(key, f);
  }
  return f;
}

/** "15 March 2027" style date in the customer's language. */
export function dayName(language: string | null | undefined, iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter("day", copyLanguage(language)).format(d);
}

/**
 * A delivery frequency in the customer's language ("every two months"): the one
 * definition the AI's templates, the commerce executor and the room all use.
 */
export function frequencyWord(
  language: string | null | undefined,
  frequency: "monthly" | "bimonthly" | "quarterly",
): string {
  return customerText(language, `freq.${frequency}`);
}

/**
 * A channel as the customer calls it ("website chat", "чат на сайте", "וואטסאפ"); null for a
 * value that is not one of our channels, so a raw internal key never reaches a customer.
 */
export function channelName(language: string | null | undefined, channel: string | null): string | null {
  const known = CHANNELS.find((c): c is Channel => c === channel);
  return known ? customerText(language, `channel.${known}`) : null;
}

/** A phrase in all five languages (to recognise a button title the customer sent back). */
export function inEveryLanguage(key: CopyKey): string[] {
  return LANGUAGES.map((l) => COPY[l][key]);
}
