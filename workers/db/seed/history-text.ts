/**
 * Phrases of the synthetic support history (history.ts), in the five languages the
 * router supports. Written by hand for the demo; no real customer wrote any of them.
 */
import type { CategoryKey, Language } from "../../lib/categories.ts";

export const OPENERS: Record<CategoryKey, Record<Language, string>> = {
  general_question: {
    en: "Hi, what exactly is in this month's box?",
    ru: "Здравствуйте, что будет в коробке в этом месяце?",
    he: "שלום, מה יש בקופסה של החודש?",
    es: "Hola, ¿qué trae la caja de este mes?",
    fr: "Bonjour, que contient la box de ce mois-ci ?",
  },
  shipping_inquiry: {
    en: "Where is my box? The tracking has not moved for days.",
    ru: "Где моя посылка? Трекинг не обновляется уже несколько дней.",
    he: "איפה החבילה שלי? המעקב לא זז כבר כמה ימים.",
    es: "¿Dónde está mi caja? El seguimiento no se mueve desde hace días.",
    fr: "Où est ma box ? Le suivi ne bouge plus depuis des jours.",
  },
  change_address: {
    en: "I moved last week, please send the next box to my new address.",
    ru: "Я переехал, пожалуйста, отправьте следующую коробку на новый адрес.",
    he: "עברתי דירה, בבקשה לשלוח את הקופסה הבאה לכתובת החדשה.",
    es: "Me mudé, envíen la próxima caja a mi nueva dirección, por favor.",
    fr: "J'ai déménagé, envoyez la prochaine box à ma nouvelle adresse s'il vous plaît.",
  },
  change_frequency: {
    en: "Can I get the box every two months instead of monthly?",
    ru: "Можно получать коробку раз в два месяца вместо ежемесячно?",
    he: "אפשר לקבל את הקופסה כל חודשיים במקום כל חודש?",
    es: "¿Puedo recibir la caja cada dos meses en lugar de cada mes?",
    fr: "Puis-je recevoir la box tous les deux mois au lieu de chaque mois ?",
  },
  skip_month: {
    en: "Please skip next month's box, I'll be travelling.",
    ru: "Пропустите, пожалуйста, коробку в следующем месяце, я буду в отъезде.",
    he: "בבקשה לדלג על הקופסה של החודש הבא, אני בחו״ל.",
    es: "Por favor, saltad la caja del mes que viene, estaré de viaje.",
    fr: "Merci de sauter la box du mois prochain, je serai en voyage.",
  },
  damaged_item: {
    en: "The olive oil bottle arrived broken and everything is soaked.",
    ru: "Бутылка оливкового масла пришла разбитой, всё залито.",
    he: "בקבוק שמן הזית הגיע שבור והכול רטוב.",
    es: "La botella de aceite llegó rota y todo está empapado.",
    fr: "La bouteille d'huile est arrivée cassée, tout est trempé.",
  },
  payment_issue: {
    en: "I was charged twice this month, can you check?",
    ru: "С меня списали деньги дважды в этом месяце, проверьте, пожалуйста.",
    he: "חייבו אותי פעמיים החודש, אפשר לבדוק?",
    es: "Me cobraron dos veces este mes, ¿podéis revisarlo?",
    fr: "J'ai été débité deux fois ce mois-ci, pouvez-vous vérifier ?",
  },
  pause_subscription: {
    en: "I'd like to pause my subscription for two months.",
    ru: "Хочу приостановить подписку на два месяца.",
    he: "אני רוצה להקפיא את המנוי לחודשיים.",
    es: "Quiero pausar mi suscripción durante dos meses.",
    fr: "Je voudrais suspendre mon abonnement pendant deux mois.",
  },
  cancel_subscription: {
    en: "Please cancel my subscription.",
    ru: "Отмените, пожалуйста, мою подписку.",
    he: "בבקשה לבטל את המנוי שלי.",
    es: "Por favor, cancelad mi suscripción.",
    fr: "Merci d'annuler mon abonnement.",
  },
  other: {
    en: "Do you have gift cards for a friend's birthday?",
    ru: "У вас есть подарочные сертификаты на день рождения друга?",
    he: "יש לכם כרטיסי מתנה ליום הולדת של חבר?",
    es: "¿Tenéis tarjetas regalo para el cumpleaños de un amigo?",
    fr: "Avez-vous des cartes cadeaux pour l'anniversaire d'un ami ?",
  },
};

export const BOT_REPLY: Record<Language, string> = {
  en: "Thanks for writing to Lev Haolam! I've looked into it — here is what I found.",
  ru: "Спасибо, что написали в Lev Haolam! Я проверил — вот что удалось выяснить.",
  he: "תודה שפניתם ללב העולם! בדקתי — הנה מה שמצאתי.",
  es: "¡Gracias por escribir a Lev Haolam! Lo he revisado; esto es lo que encontré.",
  fr: "Merci d'avoir écrit à Lev Haolam ! J'ai vérifié, voici ce que j'ai trouvé.",
};

export const FOLLOW_UP: Record<Language, string> = {
  en: "Thank you, that helps.",
  ru: "Спасибо, это помогло.",
  he: "תודה, זה עוזר.",
  es: "Gracias, eso ayuda.",
  fr: "Merci, cela m'aide.",
};

export const ASK_HUMAN: Record<Language, string> = {
  en: "That doesn't solve it, can I talk to a person?",
  ru: "Это не решает проблему, можно поговорить с человеком?",
  he: "זה לא פותר, אפשר לדבר עם נציג?",
  es: "Eso no lo resuelve, ¿puedo hablar con una persona?",
  fr: "Ça ne règle pas le problème, puis-je parler à quelqu'un ?",
};

export const OPERATOR_REPLY: Record<Language, string> = {
  en: "Hi, I've taken over your request and sorted it out for you. Anything else?",
  ru: "Здравствуйте, я взял(а) ваш запрос и всё исправил(а). Что-нибудь ещё?",
  he: "שלום, טיפלתי בפנייה שלך והכול מסודר. עוד משהו?",
  es: "Hola, me he encargado de tu solicitud y ya está resuelta. ¿Algo más?",
  fr: "Bonjour, j'ai repris votre demande et tout est réglé. Autre chose ?",
};

export const NOTES = [
  "Checked the carrier portal: parcel stuck at customs in Tel Aviv.",
  "Customer is a long-time subscriber, offered a goodwill discount.",
  "Second contact about the same order this month.",
  "Refund approved by billing.",
];

export const CSAT_COMMENTS: Record<"good" | "bad", Record<Language, string[]>> = {
  good: {
    en: ["Quick and friendly, thank you!", "Solved in minutes.", "Great service as always."],
    ru: ["Быстро и вежливо, спасибо!", "Решили за пару минут.", "Отличный сервис."],
    he: ["מהיר ונעים, תודה!", "נפתר תוך דקות."],
    es: ["¡Rápido y amable, gracias!", "Resuelto en minutos."],
    fr: ["Rapide et sympathique, merci !", "Réglé en quelques minutes."],
  },
  bad: {
    en: ["Took far too long.", "Still no box, very disappointed.", "The bot did not understand me."],
    ru: ["Слишком долго.", "Коробки всё ещё нет, очень разочарован.", "Бот меня не понял."],
    he: ["לקח יותר מדי זמן.", "עדיין אין חבילה."],
    es: ["Tardaron demasiado.", "Sigo sin caja, muy decepcionado."],
    fr: ["Beaucoup trop long.", "Toujours pas de box, très déçu."],
  },
};

export const FIRST_NAMES: Record<Language, string[]> = {
  en: ["John", "Sarah", "Michael", "Emily", "David", "Laura", "James", "Anna", "Robert", "Grace"],
  ru: ["Иван", "Мария", "Алексей", "Ольга", "Дмитрий", "Елена", "Сергей", "Наталья"],
  he: ["Yossi", "Noa", "Avi", "Tamar", "Eitan", "Shira", "Moshe", "Yael"],
  es: ["Carlos", "Lucía", "Javier", "Marta", "Diego", "Sofía", "Pablo", "Elena"],
  fr: ["Pierre", "Camille", "Louis", "Chloé", "Julien", "Manon", "Antoine", "Léa"],
};

export const LAST_NAMES: Record<Language, string[]> = {
  en: ["Miller", "Brown", "Taylor", "Wilson", "Moore", "Clark", "Walker", "Hall"],
  ru: ["Иванов", "Петрова", "Смирнов", "Кузнецова", "Попов", "Соколова"],
  he: ["Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman"],
  es: ["García", "Martínez", "López", "Sánchez", "Romero", "Torres"],
  fr: ["Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Girard"],
};
