/**
 * Fixed phrases of the local (embedded) agent in the five supported languages. The
 * local provider answers from real account data and knowledge passages; only the
 * connective wording lives here. `{name}` placeholders are filled by `t()`; a missing
 * value leaves the placeholder out rather than printing "undefined".
 *
 * Over 400 lines: data (the same phrase table in five languages), not logic.
 */
import type { Language } from "../../lib/categories.ts";

const en = {
  retentionAccepted:
    "Wonderful! I'm passing this to a colleague who will apply the offer to your account and confirm here.",
  askEmail: "Could you share the email address on your account so I can look it up?",
  emailInvalid: "That doesn't look like an email address. Could you type it again?",
  codeSent:
    "Thank you! If {email} matches an account, a 6-digit code is on its way to that inbox. Please type the code here to confirm it's you.",
  codeWrong: "That code doesn't match. Please check the email and try again ({left} attempts left).",
  codeExpired: "That code is no longer valid. Type your email address again and I'll send a new one.",
  codeAsk: "Please type the 6-digit code from the email we sent you.",
  verified: "Thank you, {name}, you're verified.",
  generalOnly:
    "I can answer general questions right away; to look at or change your account I first need to verify it's you.",
  damageSorry: "I'm so sorry your box arrived damaged.",
  damagePropose:
    "Shall I open a damage claim for your {month} box ({order})? A replacement item would ship with your next box. If you can, attach a photo of the damage here.",
  noDeliveredBox:
    "I can't find a delivered box on your account yet, so I'm passing this to a colleague who will check it with you.",
  skipPropose:
    "Shall I skip your {month} box? Your next box would then ship on {date}, and you won't be charged for the skipped one.",
  skipAlso: "I also see you'd like to skip a month.",
  shipping:
    'Your {month} box ({order}) is with {carrier}. Status: {status}. Last scan: "{event}" in {location} on {date}. Tracking number {tracking}: {url}',
  eta: "Estimated delivery: {eta}.",
  shippingStuck:
    "I'm sorry, your parcel {tracking} needs a closer look ({status}). I'm passing this to a colleague who will open an investigation with the carrier.",
  noShipment:
    "I can't find a shipment on your account yet. Boxes leave Israel between the 10th and the 18th of the month.",
  faq: "{passage}",
  source: "Source: {citation}",
  noAnswer:
    "I don't want to guess on this one, so I'm passing your question to a colleague who will get back to you here.",
  paymentFailed:
    "Your last payment of {amount} on {date} didn't go through: {reason}. You can update your card securely here (the link is valid for 24 hours): {url}",
  paymentOk:
    "Your last payment of {amount} on {date} went through. If you'd like to change your payment method, use this secure link: {url}",
  retention: "I'm sorry to hear you'd like to cancel. Before you decide: {offer} Would that help?",
  cancelLink:
    "I understand. You can cancel on this secure self-service page: {url}. Your subscription stays active until you confirm there.",
  pauseAsk:
    "Until when would you like to pause? You can pause for 1 to 3 months. Skipping just one month is also possible.",
  pausePropose: "Shall I pause your subscription until {date}? No boxes ship and you won't be charged until then.",
  freqAsk: "Which frequency would you like: monthly, every two months, or quarterly?",
  freqPropose: "Shall I switch your deliveries to {freq}? Your next box stays on {date}.",
  addressAsk: "Please send the full new address: street, city, postal code and country.",
  addressPropose:
    "Shall I change your delivery address to this one?\n{fields}\nBoxes that have already shipped can't be redirected.",
  "field.line1": "Street",
  "field.line2": "Apartment / unit",
  "field.city": "City",
  "field.region": "State / region",
  "field.postalCode": "Postal code",
  "field.country": "Country",
  subscription: "Your plan: {plan}, {freq}, {status}. Next box: {date}.",
  "acct.noSubscription": "I can't find a subscription on your account.",
  "acct.plan": "You're on the {plan} plan: {price} per box, {freq}.",
  "acct.cancelled":
    "Your subscription is cancelled, so nothing ships and nothing is charged. You can come back any time with Reactivate in your account.",
  "acct.paused":
    "Your subscription is paused until {until}; nothing is charged until then, and your next box ships on {next}.",
  "acct.notPaused": "Your subscription isn't paused; it's active.",
  "acct.nextBox": "Your next box ships on {date}.",
  "acct.lastPayment": "Your last payment: {amount} on {date}.",
  "acct.lastPaymentFailed": "Your last payment of {amount} on {date} didn't go through.",
  "acct.noPayment": "I don't see any payment on your account yet.",
  cancelAlready:
    "Your subscription is already cancelled: nothing more ships and nothing more is charged. If you'd like to come back, choose Reactivate in your account.",
  noAccount:
    "I couldn't find an account for {email}. Please check the address for typos, or send the email you signed up with. If you prefer, a colleague can help you here.",
  noAccountEmail:
    "I couldn't find an account for the address you wrote from. If you signed up with another email, please send it; otherwise a colleague will reply here.",
  welcome: "You're welcome! Anything else I can help with?",
  confirmHint: "Tap Confirm to go ahead.",
  "reason.card_declined": "the card was declined by your bank",
  "reason.insufficient_funds": "the bank reported insufficient funds",
  "reason.expired_card": "the card on file has expired",
  "reason.unknown": "the bank did not give a reason",
  "status.active": "active",
  "status.paused": "paused",
  "status.cancelled": "cancelled",
  "ship.label_created": "label created",
  "ship.in_transit": "in transit",
  "ship.out_for_delivery": "out for delivery",
  "ship.delivered": "delivered",
  "ship.exception": "delivery exception",
};

export type PhraseKey = keyof typeof en;

const ru: Record<PhraseKey, string> = {
  retentionAccepted: "Отлично! Передаю коллеге, который применит предложение к вашему аккаунту и подтвердит здесь.",
  askEmail: "Подскажите, пожалуйста, email вашего аккаунта, чтобы я нашёл ваши данные.",
  emailInvalid: "Это не похоже на email. Напишите его ещё раз, пожалуйста.",
  codeSent:
    "Спасибо! Если {email} привязан к аккаунту, на него уже идёт письмо с 6-значным кодом. Введите код здесь, чтобы подтвердить, что это вы.",
  codeWrong: "Код не подходит. Проверьте письмо и попробуйте ещё раз (осталось попыток: {left}).",
  codeExpired: "Этот код больше не действует. Напишите email ещё раз, и я отправлю новый.",
  codeAsk: "Введите, пожалуйста, 6-значный код из письма.",
  verified: "Спасибо, {name}, личность подтверждена.",
  generalOnly:
    "На общие вопросы отвечу сразу; чтобы посмотреть или изменить ваш аккаунт, сначала нужно подтвердить, что это вы.",
  damageSorry: "Мне очень жаль, что коробка пришла повреждённой.",
  damagePropose:
    "Оформить претензию о повреждении для коробки за {month} ({order})? Замена приедет вместе со следующей коробкой. Если можете, приложите фото повреждения.",
  noDeliveredBox:
    "Я не вижу доставленных коробок в вашем аккаунте, поэтому подключаю коллегу, который разберётся вместе с вами.",
  skipPropose:
    "Пропустить коробку за {month}? Тогда следующая коробка отправится {date}, а за пропущенную оплата не спишется.",
  skipAlso: "Вижу, что вы также хотите пропустить месяц.",
  shipping:
    "Ваша коробка за {month} ({order}) у перевозчика {carrier}. Статус: {status}. Последнее сканирование: «{event}», {location}, {date}. Трек-номер {tracking}: {url}",
  eta: "Ожидаемая доставка: {eta}.",
  shippingStuck:
    "Извините, посылке {tracking} нужна проверка ({status}). Передаю вопрос коллеге, который откроет расследование у перевозчика.",
  noShipment: "Я пока не вижу отправлений в вашем аккаунте. Коробки уезжают из Израиля с 10 по 18 число месяца.",
  faq: "{passage}",
  source: "Источник: {citation}",
  noAnswer: "Не хочу гадать, поэтому передаю ваш вопрос коллеге — он ответит здесь.",
  paymentFailed:
    "Последний платёж на {amount} от {date} не прошёл: {reason}. Обновить карту можно по защищённой ссылке (действует 24 часа): {url}",
  paymentOk:
    "Последний платёж на {amount} от {date} прошёл успешно. Сменить способ оплаты можно по защищённой ссылке: {url}",
  retention: "Жаль, что вы хотите отменить подписку. Прежде чем решать: {offer} Вам это подойдёт?",
  cancelLink:
    "Понимаю. Отменить подписку можно на защищённой странице: {url}. Подписка остаётся активной, пока вы не подтвердите отмену там.",
  pauseAsk: "До какой даты поставить паузу? Можно от 1 до 3 месяцев. Также можно пропустить всего один месяц.",
  pausePropose: "Поставить подписку на паузу до {date}? До этой даты коробки не отправляются и оплата не списывается.",
  freqAsk: "Какую частоту выбрать: раз в месяц, раз в два месяца или раз в квартал?",
  freqPropose: "Перевести доставку на режим «{freq}»? Следующая коробка остаётся на {date}.",
  addressAsk: "Пришлите, пожалуйста, полный новый адрес: улица, город, индекс и страна.",
  addressPropose: "Изменить адрес доставки на этот?\n{fields}\nУже отправленные коробки перенаправить нельзя.",
  "field.line1": "Улица и дом",
  "field.line2": "Квартира / офис",
  "field.city": "Город",
  "field.region": "Регион",
  "field.postalCode": "Индекс",
  "field.country": "Страна",
  subscription: "Ваш план: {plan}, {freq}, {status}. Следующая коробка: {date}.",
  "acct.noSubscription": "Я не вижу подписки в вашем аккаунте.",
  "acct.plan": "Ваш тариф — {plan}: {price} за коробку, {freq}.",
  "acct.cancelled":
    "Ваша подписка отменена: коробки не отправляются, оплата не списывается. Вернуться можно в любой момент кнопкой «Reactivate» в аккаунте.",
  "acct.paused":
    "Ваша подписка на паузе до {until}; до этой даты оплата не списывается, следующая коробка отправится {next}.",
  "acct.notPaused": "Ваша подписка не на паузе, она активна.",
  "acct.nextBox": "Следующая коробка отправится {date}.",
  "acct.lastPayment": "Последний платёж: {amount}, {date}.",
  "acct.lastPaymentFailed": "Последний платёж на {amount} от {date} не прошёл.",
  "acct.noPayment": "Я пока не вижу платежей в вашем аккаунте.",
  cancelAlready:
    "Ваша подписка уже отменена: больше ничего не отправляется и не списывается. Если захотите вернуться, нажмите «Reactivate» в аккаунте.",
  noAccount:
    "Я не нашёл аккаунт с адресом {email}. Проверьте, нет ли опечатки, или пришлите email, с которым вы регистрировались. Если удобнее, вам поможет коллега.",
  noAccountEmail:
    "Я не нашёл аккаунт для адреса, с которого вы пишете. Если вы регистрировались с другим email, пришлите его; иначе вам ответит коллега.",
  welcome: "Пожалуйста! Могу ещё чем-то помочь?",
  confirmHint: "Нажмите «Подтвердить», чтобы продолжить.",
  "reason.card_declined": "банк отклонил карту",
  "reason.insufficient_funds": "банк сообщил о недостатке средств",
  "reason.expired_card": "срок действия карты истёк",
  "reason.unknown": "банк не указал причину",
  "status.active": "активна",
  "status.paused": "на паузе",
  "status.cancelled": "отменена",
  "ship.label_created": "этикетка создана",
  "ship.in_transit": "в пути",
  "ship.out_for_delivery": "передана курьеру",
  "ship.delivered": "доставлена",
  "ship.exception": "проблема с доставкой",
};

const he: Record<PhraseKey, string> = {
  retentionAccepted: "מצוין! אני מעביר לנציג שיחיל את ההצעה על החשבון ויאשר כאן.",
  askEmail: "תוכלו לשתף את כתובת האימייל של החשבון כדי שאמצא אותו?",
  emailInvalid: "זו לא נראית כמו כתובת אימייל. אפשר להקליד שוב?",
  codeSent: "תודה! אם {email} שייך לחשבון, קוד בן 6 ספרות בדרך לתיבה. הקלידו את הקוד כאן כדי לאמת שזה אתם.",
  codeWrong: "הקוד אינו תואם. בדקו את האימייל ונסו שוב (נותרו {left} ניסיונות).",
  codeExpired: "הקוד כבר אינו בתוקף. הקלידו שוב את כתובת האימייל ואשלח קוד חדש.",
  codeAsk: "הקלידו בבקשה את הקוד בן 6 הספרות מהאימייל.",
  verified: "תודה, {name}, האימות הצליח.",
  generalOnly: "על שאלות כלליות אענה מיד; כדי לצפות בחשבון או לשנות אותו צריך קודם לאמת שזה אתם.",
  damageSorry: "אני מצטער מאוד שהקופסה הגיעה פגומה.",
  damagePropose:
    "לפתוח תביעת נזק עבור קופסת {month} ({order})? פריט חלופי יישלח עם הקופסה הבאה. אם אפשר, צרפו תמונה של הנזק.",
  noDeliveredBox: "אני לא מוצא קופסה שנמסרה בחשבון, לכן אני מעביר לנציג שיבדוק איתכם.",
  skipPropose: "לדלג על קופסת {month}? הקופסה הבאה תישלח ב-{date} ולא תחויבו על הקופסה שדילגתם עליה.",
  skipAlso: "אני רואה שתרצו גם לדלג על חודש.",
  shipping:
    'קופסת {month} ({order}) נמצאת אצל {carrier}. סטטוס: {status}. סריקה אחרונה: "{event}" ב-{location} בתאריך {date}. מספר מעקב {tracking}: {url}',
  eta: "מסירה משוערת: {eta}.",
  shippingStuck: "מצטער, החבילה {tracking} דורשת בדיקה ({status}). אני מעביר לנציג שיפתח בירור מול חברת השילוח.",
  noShipment: "עדיין לא מופיע משלוח בחשבון. הקופסאות יוצאות מישראל בין ה-10 ל-18 בחודש.",
  faq: "{passage}",
  source: "מקור: {citation}",
  noAnswer: "אני לא רוצה לנחש, לכן אני מעביר את השאלה לנציג שיחזור אליכם כאן.",
  paymentFailed:
    "התשלום האחרון על סך {amount} מתאריך {date} לא עבר: {reason}. אפשר לעדכן כרטיס בקישור המאובטח (בתוקף 24 שעות): {url}",
  paymentOk: "התשלום האחרון על סך {amount} מתאריך {date} עבר בהצלחה. לשינוי אמצעי התשלום: {url}",
  retention: "חבל לשמוע שתרצו לבטל. לפני שמחליטים: {offer} זה יעזור?",
  cancelLink: "מבין. אפשר לבטל בעמוד השירות העצמי המאובטח: {url}. המנוי נשאר פעיל עד שתאשרו שם.",
  pauseAsk: "עד מתי להשהות? אפשר 1 עד 3 חודשים. אפשר גם לדלג על חודש אחד בלבד.",
  pausePropose: "להשהות את המנוי עד {date}? עד אז לא יישלחו קופסאות ולא תחויבו.",
  freqAsk: "איזו תדירות תרצו: חודשית, כל חודשיים או רבעונית?",
  freqPropose: "לעבור לתדירות {freq}? הקופסה הבאה נשארת ב-{date}.",
  addressAsk: "שלחו בבקשה את הכתובת החדשה המלאה: רחוב, עיר, מיקוד ומדינה.",
  addressPropose: "לשנות את כתובת המשלוח לכתובת הזו?\n{fields}\nקופסאות שכבר נשלחו אי אפשר להפנות מחדש.",
  "field.line1": "רחוב ומספר",
  "field.line2": "דירה / כניסה",
  "field.city": "עיר",
  "field.region": "מחוז / מדינה",
  "field.postalCode": "מיקוד",
  "field.country": "ארץ",
  subscription: "התוכנית שלכם: {plan}, {freq}, {status}. הקופסה הבאה: {date}.",
  "acct.noSubscription": "לא מצאתי מנוי בחשבון שלכם.",
  "acct.plan": "אתם במסלול {plan}: {price} לקופסה, {freq}.",
  "acct.cancelled": "המנוי שלכם מבוטל, כך שלא נשלחות קופסאות ואין חיובים. אפשר לחזור בכל עת דרך Reactivate בחשבון.",
  "acct.paused": "המנוי שלכם מושהה עד {until}; עד אז אין חיובים, והקופסה הבאה תישלח ב-{next}.",
  "acct.notPaused": "המנוי שלכם לא מושהה, הוא פעיל.",
  "acct.nextBox": "הקופסה הבאה שלכם תישלח ב-{date}.",
  "acct.lastPayment": "התשלום האחרון: {amount} בתאריך {date}.",
  "acct.lastPaymentFailed": "התשלום האחרון על סך {amount} מתאריך {date} לא עבר.",
  "acct.noPayment": "עדיין לא מופיע תשלום בחשבון שלכם.",
  cancelAlready: "המנוי שלכם כבר מבוטל: לא יישלח ולא יחויב דבר נוסף. אם תרצו לחזור, בחרו Reactivate בחשבון.",
  noAccount:
    "לא מצאתי חשבון עבור {email}. בדקו שאין שגיאת הקלדה, או שלחו את האימייל שאיתו נרשמתם. אם תעדיפו, נציג יעזור לכם כאן.",
  noAccountEmail: "לא מצאתי חשבון עבור הכתובת שממנה כתבתם. אם נרשמתם עם אימייל אחר, שלחו אותו; אחרת נציג יענה כאן.",
  welcome: "בשמחה! אפשר לעזור במשהו נוסף?",
  confirmHint: "הקישו אישור כדי להמשיך.",
  "reason.card_declined": "הבנק דחה את הכרטיס",
  "reason.insufficient_funds": "הבנק דיווח על יתרה לא מספיקה",
  "reason.expired_card": "תוקף הכרטיס פג",
  "reason.unknown": "הבנק לא מסר סיבה",
  "status.active": "פעיל",
  "status.paused": "מושהה",
  "status.cancelled": "מבוטל",
  "ship.label_created": "תווית נוצרה",
  "ship.in_transit": "בדרך",
  "ship.out_for_delivery": "יצא למסירה",
  "ship.delivered": "נמסר",
  "ship.exception": "תקלה במשלוח",
};

const es: Record<PhraseKey, string> = {
  retentionAccepted:
    "¡Estupendo! Paso el caso a un compañero del equipo que aplicará la oferta a su cuenta y se lo confirmará aquí.",
  askEmail: "¿Podría indicarme el correo electrónico de su cuenta para buscarla?",
  emailInvalid: "Eso no parece un correo electrónico. ¿Puede escribirlo de nuevo?",
  codeSent:
    "¡Gracias! Si {email} corresponde a una cuenta, le llegará un código de 6 dígitos. Escríbalo aquí para confirmar que es usted.",
  codeWrong: "El código no coincide. Revise el correo e inténtelo de nuevo (quedan {left} intentos).",
  codeExpired: "Ese código ya no es válido. Escriba de nuevo su correo y le envío otro.",
  codeAsk: "Escriba, por favor, el código de 6 dígitos del correo.",
  verified: "Gracias, {name}, su identidad está verificada.",
  generalOnly:
    "Puedo responder preguntas generales ahora mismo; para ver o cambiar su cuenta primero necesito verificar que es usted.",
  damageSorry: "Lamento mucho que su caja llegara dañada.",
  damagePropose:
    "¿Abro un reclamo por daños para su caja de {month} ({order})? Un artículo de reemplazo llegaría con su próxima caja. Si puede, adjunte una foto del daño.",
  noDeliveredBox:
    "No encuentro ninguna caja entregada en su cuenta, así que paso el caso a un compañero que lo revisará con usted.",
  skipPropose: "¿Omito su caja de {month}? Su próxima caja saldría el {date} y no se le cobrará la omitida.",
  skipAlso: "También veo que quiere saltarse un mes.",
  shipping:
    "Su caja de {month} ({order}) está con {carrier}. Estado: {status}. Último escaneo: «{event}» en {location} el {date}. Número de seguimiento {tracking}: {url}",
  eta: "Entrega estimada: {eta}.",
  shippingStuck:
    "Lo siento, su paquete {tracking} necesita revisión ({status}). Paso el caso a un compañero del equipo que abrirá una investigación con el transportista.",
  noShipment: "Todavía no veo envíos en su cuenta. Las cajas salen de Israel entre el 10 y el 18 de cada mes.",
  faq: "{passage}",
  source: "Fuente: {citation}",
  noAnswer: "No quiero adivinar, así que paso su pregunta a un compañero del equipo que le responderá aquí.",
  paymentFailed:
    "Su último pago de {amount} del {date} no se completó: {reason}. Puede actualizar su tarjeta de forma segura aquí (válido 24 horas): {url}",
  paymentOk:
    "Su último pago de {amount} del {date} se completó. Para cambiar el método de pago use este enlace seguro: {url}",
  retention: "Siento que quiera cancelar. Antes de decidir: {offer} ¿Le ayudaría?",
  cancelLink:
    "Entiendo. Puede cancelar en esta página segura de autoservicio: {url}. La suscripción sigue activa hasta que lo confirme allí.",
  pauseAsk: "¿Hasta cuándo quiere pausar? Puede pausar de 1 a 3 meses. También puede saltarse solo un mes.",
  pausePropose: "¿Pauso su suscripción hasta el {date}? No se envían cajas ni se cobra hasta entonces.",
  freqAsk: "¿Qué frecuencia prefiere: mensual, cada dos meses o trimestral?",
  freqPropose: "¿Cambio sus entregas a {freq}? Su próxima caja sigue el {date}.",
  addressAsk: "Envíe la nueva dirección completa: calle, ciudad, código postal y país.",
  addressPropose: "¿Cambio su dirección de entrega por esta?\n{fields}\nLas cajas ya enviadas no se pueden redirigir.",
  "field.line1": "Calle y número",
  "field.line2": "Piso / departamento",
  "field.city": "Ciudad",
  "field.region": "Estado / provincia",
  "field.postalCode": "Código postal",
  "field.country": "País",
  subscription: "Su plan: {plan}, {freq}, {status}. Próxima caja: {date}.",
  "acct.noSubscription": "No encuentro ninguna suscripción en su cuenta.",
  "acct.plan": "Su plan es {plan}: {price} por caja, {freq}.",
  "acct.cancelled":
    "Su suscripción está cancelada, así que no se envía ni se cobra nada. Puede volver cuando quiera con Reactivate en su cuenta.",
  "acct.paused":
    "Su suscripción está en pausa hasta el {until}; hasta entonces no se cobra nada y su próxima caja sale el {next}.",
  "acct.notPaused": "Su suscripción no está en pausa; está activa.",
  "acct.nextBox": "Su próxima caja sale el {date}.",
  "acct.lastPayment": "Su último pago: {amount} el {date}.",
  "acct.lastPaymentFailed": "Su último pago de {amount} del {date} no se completó.",
  "acct.noPayment": "Todavía no veo pagos en su cuenta.",
  cancelAlready:
    "Su suscripción ya está cancelada: no se enviará ni se cobrará nada más. Si quiere volver, elija Reactivate en su cuenta.",
  noAccount:
    "No encontré ninguna cuenta con {email}. Revise si hay un error de escritura o envíe el correo con el que se registró. Si lo prefiere, un compañero del equipo le ayudará aquí.",
  noAccountEmail:
    "No encontré ninguna cuenta para la dirección desde la que escribe. Si se registró con otro correo, envíenoslo; si no, un compañero le responderá aquí.",
  welcome: "¡De nada! ¿Puedo ayudarle en algo más?",
  confirmHint: "Pulse Confirmar para continuar.",
  "reason.card_declined": "su banco rechazó la tarjeta",
  "reason.insufficient_funds": "el banco informó fondos insuficientes",
  "reason.expired_card": "la tarjeta registrada ha caducado",
  "reason.unknown": "el banco no indicó el motivo",
  "status.active": "activa",
  "status.paused": "en pausa",
  "status.cancelled": "cancelada",
  "ship.label_created": "etiqueta creada",
  "ship.in_transit": "en tránsito",
  "ship.out_for_delivery": "en reparto",
  "ship.delivered": "entregado",
  "ship.exception": "incidencia de entrega",
};

const fr: Record<PhraseKey, string> = {
  retentionAccepted:
    "Parfait ! Je transmets à un collègue qui appliquera l'offre à votre compte et vous le confirmera ici.",
  askEmail: "Pourriez-vous m'indiquer l'adresse e-mail de votre compte pour que je le retrouve ?",
  emailInvalid: "Cela ne ressemble pas à une adresse e-mail. Pouvez-vous la retaper ?",
  codeSent:
    "Merci ! Si {email} correspond à un compte, un code à 6 chiffres arrive dans cette boîte. Tapez le code ici pour confirmer que c'est bien vous.",
  codeWrong: "Le code ne correspond pas. Vérifiez l'e-mail et réessayez ({left} essais restants).",
  codeExpired: "Ce code n'est plus valable. Retapez votre adresse e-mail et je vous en envoie un nouveau.",
  codeAsk: "Tapez le code à 6 chiffres reçu par e-mail, s'il vous plaît.",
  verified: "Merci, {name}, votre identité est vérifiée.",
  generalOnly:
    "Je réponds tout de suite aux questions générales ; pour consulter ou modifier votre compte, je dois d'abord vérifier que c'est bien vous.",
  damageSorry: "Je suis vraiment désolé que votre box soit arrivée abîmée.",
  damagePropose:
    "Voulez-vous que j'ouvre une réclamation pour votre box de {month} ({order}) ? Un article de remplacement partirait avec votre prochaine box. Si possible, joignez une photo du dommage.",
  noDeliveredBox:
    "Je ne trouve pas de box livrée sur votre compte, je transmets donc à un collègue qui vérifiera avec vous.",
  skipPropose:
    "Voulez-vous sauter votre box de {month} ? Votre prochaine box partirait le {date} et la box sautée ne serait pas facturée.",
  skipAlso: "Je vois aussi que vous souhaitez sauter un mois.",
  shipping:
    "Votre box de {month} ({order}) est chez {carrier}. Statut : {status}. Dernier scan : « {event} » à {location} le {date}. Numéro de suivi {tracking} : {url}",
  eta: "Livraison estimée : {eta}.",
  shippingStuck:
    "Désolé, votre colis {tracking} doit être vérifié ({status}). Je transmets à un collègue qui ouvrira une enquête auprès du transporteur.",
  noShipment: "Je ne vois pas encore d'envoi sur votre compte. Les box quittent Israël entre le 10 et le 18 du mois.",
  faq: "{passage}",
  source: "Source : {citation}",
  noAnswer: "Je ne veux pas deviner, je transmets donc votre question à un collègue qui vous répondra ici.",
  paymentFailed:
    "Votre dernier paiement de {amount} du {date} n'est pas passé : {reason}. Vous pouvez mettre à jour votre carte ici en toute sécurité (lien valable 24 heures) : {url}",
  paymentOk:
    "Votre dernier paiement de {amount} du {date} est bien passé. Pour changer de moyen de paiement, utilisez ce lien sécurisé : {url}",
  retention: "Je suis désolé que vous souhaitiez résilier. Avant de décider : {offer} Cela vous aiderait-il ?",
  cancelLink:
    "Je comprends. Vous pouvez résilier sur cette page sécurisée en libre-service : {url}. L'abonnement reste actif tant que vous n'avez pas confirmé là-bas.",
  pauseAsk: "Jusqu'à quand souhaitez-vous faire une pause ? De 1 à 3 mois. Vous pouvez aussi sauter un seul mois.",
  pausePropose:
    "Voulez-vous que je mette votre abonnement en pause jusqu'au {date} ? Aucune box ni facturation d'ici là.",
  freqAsk: "Quelle fréquence souhaitez-vous : mensuelle, tous les deux mois ou trimestrielle ?",
  freqPropose: "Voulez-vous passer vos livraisons en {freq} ? Votre prochaine box reste prévue le {date}.",
  addressAsk: "Envoyez la nouvelle adresse complète : rue, ville, code postal et pays.",
  addressPropose:
    "Voulez-vous que je remplace votre adresse de livraison par celle-ci ?\n{fields}\nLes box déjà expédiées ne peuvent pas être redirigées.",
  "field.line1": "Rue et numéro",
  "field.line2": "Appartement / bâtiment",
  "field.city": "Ville",
  "field.region": "Région / État",
  "field.postalCode": "Code postal",
  "field.country": "Pays",
  subscription: "Votre formule : {plan}, {freq}, {status}. Prochaine box : {date}.",
  "acct.noSubscription": "Je ne trouve pas d'abonnement sur votre compte.",
  "acct.plan": "Votre formule est {plan} : {price} par box, {freq}.",
  "acct.cancelled":
    "Votre abonnement est résilié : rien n'est expédié ni débité. Vous pouvez revenir à tout moment avec Reactivate dans votre compte.",
  "acct.paused":
    "Votre abonnement est en pause jusqu'au {until} ; rien n'est débité d'ici là, et votre prochaine box part le {next}.",
  "acct.notPaused": "Votre abonnement n'est pas en pause ; il est actif.",
  "acct.nextBox": "Votre prochaine box part le {date}.",
  "acct.lastPayment": "Votre dernier paiement : {amount} le {date}.",
  "acct.lastPaymentFailed": "Votre dernier paiement de {amount} du {date} n'est pas passé.",
  "acct.noPayment": "Je ne vois pas encore de paiement sur votre compte.",
  cancelAlready:
    "Votre abonnement est déjà résilié : plus rien n'est expédié ni débité. Pour revenir, choisissez Reactivate dans votre compte.",
  noAccount:
    "Je n'ai trouvé aucun compte pour {email}. Vérifiez l'adresse ou envoyez l'e-mail utilisé à l'inscription. Si vous préférez, un collègue peut vous aider ici.",
  noAccountEmail:
    "Je n'ai trouvé aucun compte pour l'adresse depuis laquelle vous écrivez. Si vous vous êtes inscrit avec un autre e-mail, envoyez-le ; sinon un collègue vous répondra ici.",
  welcome: "Avec plaisir ! Puis-je vous aider pour autre chose ?",
  confirmHint: "Appuyez sur Confirmer pour continuer.",
  "reason.card_declined": "la carte a été refusée par votre banque",
  "reason.insufficient_funds": "la banque a signalé un solde insuffisant",
  "reason.expired_card": "la carte enregistrée a expiré",
  "reason.unknown": "la banque n'a pas donné de motif",
  "status.active": "actif",
  "status.paused": "en pause",
  "status.cancelled": "résilié",
  "ship.label_created": "étiquette créée",
  "ship.in_transit": "en transit",
  "ship.out_for_delivery": "en cours de livraison",
  "ship.delivered": "livré",
  "ship.exception": "incident de livraison",
};

const TABLE: Record<Language, Record<PhraseKey, string>> = { en, ru, he, es, fr };

/** Normalises any language code to one of the five template languages (English otherwise). */
export function templateLanguage(lang: string | null | undefined): Language {
  const l = (lang ?? "en").slice(0, 2).toLowerCase();
  return l === "ru" || l === "he" || l === "es" || l === "fr" ? l : "en";
}

/** The phrase `key` in `lang` with `{placeholders}` filled; unknown placeholders are dropped. */
export function t(lang: string | null | undefined, key: PhraseKey, vars: Record<string, string | number> = {}): string {
  const phrase = TABLE[templateLanguage(lang)][key];
  return phrase
    .replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] !== undefined ? String(vars[k]) : ""))
    .replace(/[^\S\n]{2,}/g, " ")
    .trim();
}

// Dates and frequencies are worded by the customer-copy module; re-exported for the agent's templates.
export { dayName, frequencyWord, monthName } from "../../copy/customer.ts";

/** Money in the customer's language ("$79.00"). */
export function money(lang: string | null | undefined, cents: number, currency: string): string {
  return new Intl.NumberFormat(templateLanguage(lang), { style: "currency", currency }).format(cents / 100);
}

/** A country code as its name in the customer's language ("US" → "United States"). */
export function countryName(lang: string | null | undefined, code: string): string {
  try {
    return new Intl.DisplayNames([templateLanguage(lang)], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** An address echoed field by field, one labelled line each, so the customer confirms exactly what is stored. */
export function addressLines(
  lang: string | null | undefined,
  a: {
    line1: string;
    line2?: string | undefined;
    city: string;
    region?: string | undefined;
    postalCode: string;
    country: string;
  },
): string {
  const rows: Array<[PhraseKey, string | undefined]> = [
    ["field.line1", a.line1],
    ["field.line2", a.line2],
    ["field.city", a.city],
    ["field.region", a.region],
    ["field.postalCode", a.postalCode],
    ["field.country", `${countryName(lang, a.country)} (${a.country})`],
  ];
  return rows
    .filter((r): r is [PhraseKey, string] => Boolean(r[1]))
    .map(([k, v]) => `• ${t(lang, k)}: ${v}`)
    .join("\n");
}

/** Every fixed phrase of a language, as grounding evidence: numbers in our own wording ("6-digit code") are not claims. */
export function allPhrases(lang: string | null | undefined): string {
  return Object.values(TABLE[templateLanguage(lang)]).join("\n");
}
