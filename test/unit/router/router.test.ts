// Behaviour of routeMessage: categories per language, multi-intent (seed 000 example),
// escalation, urgency, language detection and extraction. Example sentences are written
// for this test and are not in train.csv.
import { describe, expect, it } from "vitest";
import { needsLlmRouter, routeMessage, splitClauses } from "../../../workers/ai/router/index.ts";
import type { CategoryKey, Language } from "../../../workers/lib/categories.ts";

const EXAMPLES: [Language, CategoryKey, string][] = [
  ["en", "general_question", "Are the products in your box kosher certified?"],
  ["en", "shipping_inquiry", "Where is my package? Tracking hasn't updated in ten days."],
  ["en", "change_address", "Please change my shipping address to 10 Main Street, Austin."],
  ["en", "change_frequency", "Can I get my box every two months instead of monthly?"],
  ["en", "skip_month", "Please skip next month's box for me."],
  ["en", "damaged_item", "The olive oil bottle arrived broken and leaked everywhere."],
  ["en", "payment_issue", "You charged my card twice for the same box."],
  ["en", "pause_subscription", "I want to pause my subscription for two months."],
  ["en", "cancel_subscription", "Please cancel my subscription, I don't want more boxes."],
  ["en", "other", "Are you hiring in your Tel Aviv office?"],
  ["ru", "general_question", "Все продукты в коробке кошерные?"],
  ["ru", "shipping_inquiry", "Где моя посылка? Трек-номер не обновляется."],
  ["ru", "change_address", "Поменяйте адрес доставки, я переехала."],
  ["ru", "change_frequency", "Хочу получать коробку раз в два месяца."],
  ["ru", "skip_month", "Пропустите коробку в следующем месяце."],
  ["ru", "damaged_item", "Бутылка масла пришла разбитой."],
  ["ru", "payment_issue", "С карты списали деньги два раза."],
  ["ru", "pause_subscription", "Поставьте подписку на паузу на два месяца."],
  ["ru", "cancel_subscription", "Отмените мою подписку, пожалуйста."],
  ["ru", "other", "Какая погода сегодня в Тель-Авиве?"],
  ["he", "general_question", "כמה עולה מנוי לשנה?"],
  ["he", "shipping_inquiry", "איפה החבילה שלי? עוד לא הגיעה"],
  ["he", "change_address", "תשנו בבקשה את כתובת המשלוח שלי"],
  ["he", "change_frequency", "אני רוצה לקבל קופסה כל חודשיים"],
  ["he", "skip_month", "תדלגו על הקופסה של החודש הבא"],
  ["he", "damaged_item", "בקבוק השמן הגיע שבור"],
  ["he", "payment_issue", "חייבו את הכרטיס שלי פעמיים"],
  ["he", "pause_subscription", "אני רוצה להקפיא את המנוי לחודשיים"],
  ["he", "cancel_subscription", "אני רוצה לבטל את המנוי שלי"],
  ["he", "other", "מה מזג האוויר היום בחיפה?"],
  ["es", "general_question", "¿Cuánto cuesta la caja premium?"],
  ["es", "shipping_inquiry", "¿Dónde está mi paquete? No ha llegado todavía."],
  ["es", "change_address", "Cambien mi dirección de envío, me mudé."],
  ["es", "change_frequency", "Quiero recibir la caja cada dos meses."],
  ["es", "skip_month", "Por favor, salten la caja del próximo mes."],
  ["es", "damaged_item", "La botella de aceite llegó rota."],
  ["es", "payment_issue", "Me cobraron dos veces en la tarjeta."],
  ["es", "pause_subscription", "Quiero pausar mi suscripción dos meses."],
  ["es", "cancel_subscription", "Quiero cancelar mi suscripción."],
  ["es", "other", "¿Qué tiempo hace hoy en Haifa?"],
  ["fr", "general_question", "Combien coûte la box premium ?"],
  ["fr", "shipping_inquiry", "Où est mon colis ? Il n'est toujours pas arrivé."],
  ["fr", "change_address", "Changez mon adresse de livraison, j'ai déménagé."],
  ["fr", "change_frequency", "Je veux recevoir la box tous les deux mois."],
  ["fr", "skip_month", "Sautez la box du mois prochain, s'il vous plaît."],
  ["fr", "damaged_item", "La bouteille d'huile est arrivée cassée."],
  ["fr", "payment_issue", "Vous avez débité ma carte deux fois."],
  ["fr", "pause_subscription", "Je veux mettre mon abonnement en pause deux mois."],
  ["fr", "cancel_subscription", "Je veux résilier mon abonnement."],
  ["fr", "other", "Quel temps fait-il aujourd'hui à Haïfa ?"],
];

describe("routeMessage categories", () => {
  it.each(EXAMPLES)("[%s] %s: %s", (lang, category, text) => {
    const r = routeMessage(text);
    expect(r.primary).toBe(category);
    expect(r.language).toBe(lang);
    expect(r.source).toBe("local");
    expect(r.secondary).not.toContain(r.primary);
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
  });
});

describe("multi-intent", () => {
  it("finds damaged_item + skip_month in the seed 000 example", () => {
    const r = routeMessage("Hi, I received a damaged item in my last box and also want to skip next month");
    expect(r.primary).toBe("damaged_item");
    expect(r.secondary).toContain("skip_month");
    expect(r.urgency).toBe("medium");
    expect(r.email).toBeNull();
    expect(r.escalate).toBe(false);
  });

  it.each([
    ["Отмените подписку, и ещё смените адрес доставки на новый.", "cancel_subscription", "change_address"],
    ["אני רוצה להקפיא את המנוי וגם לשנות את כתובת המשלוח", "pause_subscription", "change_address"],
    ["Mi caja llegó rota y también quiero saltar el mes que viene.", "damaged_item", "skip_month"],
    ["On m'a débité deux fois et aussi je veux résilier mon abonnement.", "payment_issue", "cancel_subscription"],
  ])("%s", (text, primary, secondary) => {
    const r = routeMessage(text);
    expect(r.primary).toBe(primary);
    expect(r.secondary).toContain(secondary);
  });

  it("splits clauses on connectors of every language", () => {
    expect(splitClauses("my box is broken and also skip next month")).toEqual(["my box is broken", "skip next month"]);
    expect(splitClauses("хочу пропустить месяц и ещё поменять адрес доставки")).toHaveLength(2);
    expect(splitClauses("הקופסה הגיעה שבורה לגמרי וגם תדלגו על החודש הבא")).toHaveLength(2);
  });

  it("never repeats primary in secondary for single-intent messages", () => {
    for (const [, , text] of EXAMPLES) {
      const r = routeMessage(text);
      expect(new Set(r.secondary).size).toBe(r.secondary.length);
      expect(r.secondary).not.toContain(r.primary);
    }
  });
});

describe("escalation", () => {
  it.each([
    ["en", "If you don't refund me I will contact my lawyer.", "legal_threat"],
    ["en", "I'm going to sue you in small claims court.", "legal_threat"],
    ["en", "I will file a chargeback with my card.", "chargeback"],
    ["en", "I'm going to dispute this payment with my bank.", "bank_dispute"],
    ["en", "I know where you live, you'll regret this.", "threat"],
    ["ru", "Я обращусь к адвокату, если не вернёте деньги.", "legal_threat"],
    ["ru", "Подам на вас в суд!", "legal_threat"],
    ["ru", "Сделаю чарджбэк через банк.", "chargeback"],
    ["ru", "Оспорю этот платёж через банк.", "bank_dispute"],
    ["ru", "Вы пожалеете об этом.", "threat"],
    ["he", "אני פונה לעורך דין", "legal_threat"],
    ["he", "אני אתבע אתכם בבית משפט", "legal_threat"],
    ["he", "אני אעשה צ'ארג'בק", "chargeback"],
    ["he", "אני אפנה לחברת האשראי לבטל את החיוב", "bank_dispute"],
    ["he", "אתם עוד תצטערו על זה", "threat"],
    ["es", "Voy a hablar con mi abogado.", "legal_threat"],
    ["es", "Los voy a demandar.", "legal_threat"],
    ["es", "Pediré un contracargo.", "chargeback"],
    ["es", "Voy a reclamar el cargo con mi banco.", "bank_dispute"],
    ["es", "Se van a arrepentir de esto.", "threat"],
    ["fr", "Je vais contacter mon avocat.", "legal_threat"],
    ["fr", "Je vais vous poursuivre en justice.", "legal_threat"],
    ["fr", "Je vais demander une rétrofacturation.", "chargeback"],
    ["fr", "Je vais contester le prélèvement auprès de ma banque.", "bank_dispute"],
    ["fr", "Vous allez le regretter.", "threat"],
  ])("[%s] %s → %s", (_lang, text, reason) => {
    const r = routeMessage(text);
    expect(r.escalate).toBe(true);
    expect(r.escalateReasons).toContain(reason);
    expect(r.urgency).toBe("critical");
  });

  it.each([
    "I'd like to dispute this charge on my last invoice.",
    "My bank says the payment went through.",
    "Где моя посылка? Судя по трекингу, она застряла.",
    "Я ищу подарок для мамы.",
    "הבנק אומר שהתשלום עבר",
    "Mi banco rechazó la tarjeta.",
    "Ma banque a refusé le paiement.",
    "I want to cancel my subscription.",
  ])("does not escalate: %s", (text) => {
    const r = routeMessage(text);
    expect(r.escalate).toBe(false);
    expect(r.escalateReasons).toEqual([]);
  });
});

describe("urgency", () => {
  it.each([
    ["URGENT: my payment failed, please fix asap", "high"],
    ["Срочно! Посылка не пришла", "high"],
    ["דחוף, לא קיבלתי את החבילה", "high"],
    ["The chocolate arrived melted and the box is ruined", "high"],
    ["This is the third time my box arrived broken", "high"],
    ["Urgent! My card was charged again, this is the third time", "critical"],
    ["Can I get the box every two months?", "low"],
  ])("%s → %s", (text, urgency) => {
    expect(routeMessage(text).urgency).toBe(urgency);
  });
});

describe("extraction", () => {
  it("extracts e-mail, phone and order number", () => {
    const r = routeMessage("Order #12345 never arrived. Reach me at dana.cohen+lh@gmail.com or 050-123-4567.");
    expect(r.email).toBe("dana.cohen+lh@gmail.com");
    expect(r.phone).toBe("+972501234567");
    expect(r.orderNumber).toBe("12345");
  });

  it.each([
    ["where is order 98765?", "98765"],
    ["my order number: 55512 is late", "55512"],
    ["commande LH-12345 pas reçue", "LH-12345"],
    ["lh 4567 arrived broken", "LH-4567"],
    ["Где заказ №778899?", "778899"],
    ["איפה הזמנה 445566?", "445566"],
    ["¿Dónde está mi pedido 334455?", "334455"],
    ["no order here, just hello", null],
  ])("order number in %s", (text, expected) => {
    expect(routeMessage(text).orderNumber).toBe(expected);
  });

  it("normalises international phones and ignores order numbers and tracking codes", () => {
    expect(routeMessage("call me on +1 (555) 123-4567").phone).toBe("+15551234567");
    expect(routeMessage("order 0501234567 is missing").phone).toBeNull();
    expect(routeMessage("tracking RR123456789IL shows nothing").phone).toBeNull();
    expect(routeMessage("התקשרו אליי 052-765-4321").phone).toBe("+972527654321");
    expect(routeMessage("(555) 123-4567", { defaultCountry: "US" }).phone).toBe("+15551234567");
  });
});

describe("needsLlmRouter", () => {
  it("flags low-confidence local results only", () => {
    const r = routeMessage("Please cancel my subscription.");
    expect(needsLlmRouter({ ...r, confidence: 0.3 })).toBe(true);
    expect(needsLlmRouter({ ...r, confidence: 0.9 })).toBe(false);
    expect(needsLlmRouter({ ...r, confidence: 0.6 }, 0.7)).toBe(true);
    expect(needsLlmRouter({ ...r, confidence: 0.3, source: "openai" })).toBe(false);
  });
});
