/**
 * The demo workspace's test set: SYNTHETIC Lev Haolam support tickets, generated
 * deterministically from a seed (same seed → byte-identical CSV), in the five languages,
 * with reference replies, categories, outcomes and expected actions. No real customer
 * wrote any of them; customers are the demo store's (john.smith@example.com and the
 * generated ones), so expected actions replay on the demo store.
 */
import { seededRandom } from "./stats.ts";
import { csvLine } from "./csv.ts";
import { generateStore } from "../db/seed/store.ts";
import type { CategoryKey, Language } from "../lib/categories.ts";

type Phrases = Record<Language, string[]>;

interface Template {
  category: CategoryKey;
  outcome: "resolved" | "escalated" | "action";
  messages: Phrases;
  reference: Record<Language, string>;
  action?: (rnd: () => number) => { tool: string; args: Record<string, unknown>; say: Record<Language, string> };
  needsCustomer?: boolean;
}

const FREQS = [
  {
    f: "quarterly",
    en: "every three months",
    ru: "раз в три месяца",
    he: "כל שלושה חודשים",
    es: "cada tres meses",
    fr: "tous les trois mois",
  },
  {
    f: "bimonthly",
    en: "every two months",
    ru: "раз в два месяца",
    he: "כל חודשיים",
    es: "cada dos meses",
    fr: "tous les deux mois",
  },
  { f: "monthly", en: "every month", ru: "каждый месяц", he: "כל חודש", es: "cada mes", fr: "chaque mois" },
] as const;

const TEMPLATES: Template[] = [
  {
    category: "shipping_inquiry",
    outcome: "resolved",
    needsCustomer: true,
    messages: {
      en: [
        "Where is my box? It has not arrived yet.",
        "Can you tell me when my package will be delivered?",
        "My order still hasn't come, can you track it?",
      ],
      ru: ["Где моя посылка? Она ещё не пришла.", "Когда доставят мою коробку?", "Можете отследить мой заказ?"],
      he: ["איפה החבילה שלי? היא עדיין לא הגיעה.", "מתי המשלוח שלי יגיע?"],
      es: ["¿Dónde está mi caja? Todavía no ha llegado.", "¿Cuándo llegará mi paquete?"],
      fr: ["Où est mon colis ? Il n'est toujours pas arrivé.", "Quand ma box sera-t-elle livrée ?"],
    },
    reference: {
      en: "Your box is on its way with the carrier; here is the tracking link with the latest scan.",
      ru: "Ваша коробка в пути у перевозчика; вот ссылка для отслеживания с последним статусом.",
      he: "החבילה שלך בדרך אצל חברת השילוח; הנה קישור המעקב עם הסטטוס האחרון.",
      es: "Su caja está en camino con el transportista; aquí tiene el enlace de seguimiento.",
      fr: "Votre box est en route chez le transporteur ; voici le lien de suivi avec le dernier statut.",
    },
  },
  {
    category: "skip_month",
    outcome: "action",
    needsCustomer: true,
    messages: {
      en: ["Please skip my next box.", "I'd like to skip next month's delivery."],
      ru: ["Пожалуйста, пропустите мою следующую коробку.", "Хочу пропустить доставку в следующем месяце."],
      he: ["אפשר לדלג על החבילה הבאה שלי?"],
      es: ["Por favor, salte mi próxima caja."],
      fr: ["Merci de sauter ma prochaine box."],
    },
    reference: {
      en: "I can skip your next box. Please confirm and I'll take care of it.",
      ru: "Я могу пропустить вашу следующую коробку. Подтвердите, пожалуйста.",
      he: "אפשר לדלג על החבילה הבאה. אנא אשרו ואטפל בזה.",
      es: "Puedo saltar su próxima caja. Confírmelo, por favor.",
      fr: "Je peux sauter votre prochaine box. Merci de confirmer.",
    },
    action: () => ({ tool: "skip_next_box", args: {}, say: { en: "", ru: "", he: "", es: "", fr: "" } }),
  },
  {
    category: "change_frequency",
    outcome: "action",
    needsCustomer: true,
    messages: {
      en: ["Can you change my deliveries to {freq}?"],
      ru: ["Можно получать коробки {freq}?"],
      he: ["אפשר לשנות את המשלוחים ל{freq}?"],
      es: ["¿Pueden cambiar mis entregas a {freq}?"],
      fr: ["Pouvez-vous passer mes livraisons à {freq} ?"],
    },
    reference: {
      en: "I can change your delivery frequency. Please confirm the change.",
      ru: "Я могу изменить частоту доставки. Подтвердите изменение, пожалуйста.",
      he: "אפשר לשנות את תדירות המשלוחים. אנא אשרו את השינוי.",
      es: "Puedo cambiar la frecuencia de entrega. Confirme el cambio, por favor.",
      fr: "Je peux modifier la fréquence de livraison. Merci de confirmer.",
    },
    action: (rnd) => {
      const f = FREQS[Math.floor(rnd() * 2)] ?? FREQS[0];
      return {
        tool: "change_frequency",
        args: { frequency: f.f },
        say: { en: f.en, ru: f.ru, he: f.he, es: f.es, fr: f.fr },
      };
    },
  },
  {
    category: "general_question",
    outcome: "resolved",
    messages: {
      en: ["What is in the box this month?", "Do you ship to Canada?", "How much does the Deluxe box cost?"],
      ru: ["Что будет в коробке в этом месяце?", "Вы доставляете в Канаду?"],
      he: ["מה יש בקופסה החודש?", "האם אתם שולחים לקנדה?"],
      es: ["¿Qué trae la caja este mes?", "¿Envían a Canadá?"],
      fr: ["Qu'y a-t-il dans la box ce mois-ci ?", "Livrez-vous au Canada ?"],
    },
    reference: {
      en: "Each box has handmade Judaica, Israeli snacks and art from small makers; we ship worldwide.",
      ru: "В каждой коробке — иудаика ручной работы, израильские сладости и искусство; доставляем по всему миру.",
      he: "בכל קופסה יש יודאיקה בעבודת יד, חטיפים ישראליים ואמנות; אנחנו שולחים לכל העולם.",
      es: "Cada caja trae judaica artesanal, snacks israelíes y arte; enviamos a todo el mundo.",
      fr: "Chaque box contient de la judaïca artisanale, des snacks israéliens et de l'art ; nous livrons partout.",
    },
  },
  {
    category: "damaged_item",
    outcome: "escalated",
    needsCustomer: true,
    messages: {
      en: [
        "The candle holder in my box arrived broken and I want my money back now or I'll dispute the charge with my bank.",
      ],
      ru: ["Подсвечник пришёл разбитым, верните деньги, иначе оспорю платёж в банке."],
      he: ["הפמוט הגיע שבור, אני רוצה החזר עכשיו או שאבטל את החיוב בבנק."],
      es: ["El candelabro llegó roto, quiero mi dinero o disputaré el cargo con el banco."],
      fr: ["Le bougeoir est arrivé cassé, remboursez-moi ou je conteste le paiement auprès de ma banque."],
    },
    reference: {
      en: "I'm sorry about the broken item. I'm passing this to a colleague who will sort it out with you right away.",
      ru: "Сожалею о повреждении. Передаю коллеге, он сразу займётся этим.",
      he: "מצטערים על הפריט השבור. אני מעביר את הפנייה לנציג שיטפל בזה מיד.",
      es: "Lamento el artículo roto. Paso su caso a un compañero que lo resolverá enseguida.",
      fr: "Désolé pour l'article cassé. Je transmets à un collègue qui s'en occupe tout de suite.",
    },
  },
  {
    category: "payment_issue",
    outcome: "resolved",
    needsCustomer: true,
    messages: {
      en: ["My card was declined, how do I update my payment method?"],
      ru: ["Карта отклонена, как обновить способ оплаты?"],
      he: ["הכרטיס שלי נדחה, איך מעדכנים אמצעי תשלום?"],
      es: ["Mi tarjeta fue rechazada, ¿cómo actualizo el método de pago?"],
      fr: ["Ma carte a été refusée, comment mettre à jour mon moyen de paiement ?"],
    },
    reference: {
      en: "You can update your card on this secure page; the next charge will use the new card.",
      ru: "Обновите карту на этой защищённой странице; следующее списание пройдёт с новой карты.",
      he: "אפשר לעדכן את הכרטיס בעמוד המאובטח הזה; החיוב הבא יהיה בכרטיס החדש.",
      es: "Puede actualizar su tarjeta en esta página segura; el próximo cargo usará la nueva.",
      fr: "Vous pouvez mettre à jour votre carte sur cette page sécurisée.",
    },
  },
];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => {
  const x = xs[Math.floor(rnd() * xs.length)];
  if (x === undefined) throw new Error("empty list");
  return x;
};

const LANGS: Language[] = ["en", "en", "en", "ru", "he", "es", "fr"];

/** The demo test set as CSV text (header + `rows` tickets). */
export function demoCasesCsv(rows: number, seed = 14): string {
  const rnd = seededRandom(seed);
  const customers = generateStore(new Date("2026-11-01T00:00:00Z")).customers.map((c) => c.email);
  let out = csvLine([
    "id",
    "message",
    "reference_reply",
    "category",
    "outcome",
    "expected_actions",
    "customer_email",
    "language",
    "tags",
  ]);
  for (let i = 0; i < rows; i++) {
    const t = pick(rnd, TEMPLATES);
    const lang = pick(rnd, LANGS);
    const action = t.action?.(rnd);
    const message = pick(rnd, t.messages[lang]).replace("{freq}", action?.say[lang] ?? "");
    const email = t.needsCustomer ? (i % 3 === 0 ? "john.smith@example.com" : pick(rnd, customers)) : "";
    out += csvLine([
      `LH-${String(100000 + i)}`,
      message,
      t.reference[lang],
      t.category,
      t.outcome,
      action ? JSON.stringify([{ tool: action.tool, args: action.args }]) : "",
      email,
      lang,
      `synthetic;${t.category}`,
    ]);
  }
  return out;
}
