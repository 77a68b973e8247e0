/**
 * Pattern tables for reply drafts (en, ru, he, es, fr): claims that an account change is
 * already done, refund promises, hand-over wording, and the words that tell which
 * action a claim is about. Sources are folded by `rx()` like the draft text.
 */
import type { WriteToolName } from "./types.ts";
import { WB, WE, rx } from "./text.ts";

/** Statements that an account change has happened. */
export const DONE_CLAIMS: RegExp[] = [
  rx(
    String.raw`\b(i|we)('ve|'ve| have)?( just| already| successfully| now| gone ahead and| went ahead and)* (cancell?ed|paused|skipped|changed|updated|terminated|stopped|put .{0,25} on hold|filed|submitted|switched|moved|created|opened|suspended)\b`,
  ),
  rx(
    String.raw`\b(subscription|membership|plan|account|order|box|delivery|deliveries|address|frequency|shipment|claim|renewal)s?( has| have| was| were| is| are)( now| already| officially| successfully)*( been)?( now| successfully| officially)* (cancell?ed|paused|skipped|changed|updated|terminated|stopped|on hold|put on hold|switched|filed|created|submitted|suspended)\b`,
  ),
  rx(
    String.raw`\b(cancell?ation|pause|skip|change|update|claim|address change|frequency change)( request)? (is|has been|was) (now )?(complete|completed|confirmed|done|processed|successful|approved|submitted|final)\b`,
  ),
  rx(
    String.raw`(?<!вы )(?<!вы уже )${WB}(уже |успешно |только что )*(отменил|отменила|отменили|приостановил|приостановила|приостановили|поставил|поставила|поставили|пропустил|пропустила|пропустили|изменил|изменила|изменили|поменял|поменяла|поменяли|обновил|обновила|обновили|оформил|оформила|оформили|создал|создала|создали|заморозил|заморозила|заморозили)${WE}`,
  ),
  rx(
    String.raw`(подписк|заказ|адрес|доставк|частот|коробк|бокс|заявк|претензи)\S*\s+(была |был |было |были |успешно |уже |теперь )*(отменен|приостановлен|поставлен\S* на паузу|пропущен|изменен|обновлен|заморожен|создан|оформлен)[аоы]?${WE}`,
  ),
  rx(String.raw`(ביטלתי|ביטלנו|השהיתי|השהינו|הקפאתי|הקפאנו|דילגתי|דילגנו|שיניתי|שינינו|עדכנתי|פתחתי תביעה|הגשתי)`),
  rx(
    String.raw`(המנוי|ההזמנה|הכתובת|המשלוח|התדירות|החבילה|התביעה|המשלוח הבא)( שלך| שלכם)?\s+(כבר |בהצלחה |עכשיו )*(בוטל|בוטלה|הושהה|הושהתה|הוקפא|הוקפאה|שונה|שונתה|עודכן|עודכנה|נפתחה|נוצרה|דולג)|${WB}(בוטל|הושהה|הוקפא|עודכן|עודכנה)\s+בהצלחה`,
  ),
  rx(
    String.raw`\b(ya )?(he|hemos) (cancelado|pausado|suspendido|omitido|saltado|cambiado|actualizado|modificado|creado|registrado|procesado)\b`,
  ),
  rx(
    String.raw`\b(suscripcion|pedido|direccion|frecuencia|envio|caja|entrega|reclamo|reclamacion|plan)( ya)? (ha sido|fue|esta|quedo|ha quedado|queda)( ya)?( correctamente)? (cancelad|pausad|suspendid|omitid|cambiad|actualizad|modificad|cread|registrad)[oa]s?\b`,
  ),
  rx(
    String.raw`\b(j'ai|nous avons|on a)( bien| deja)? (annule|suspendu|mis en pause|mis .{0,25} en pause|saute|modifie|change|mis a jour|cree|enregistre|resilie)`,
  ),
  rx(
    String.raw`\b(abonnement|commande|adresse|frequence|livraison|box|colis|reclamation|dossier)( a)? (a ete|est|est bien|a bien ete|est desormais|est maintenant)( bien)? (annule|suspendu|mis en pause|en pause|saute|modifie|change|mis a jour|cree|enregistre|resilie)e?s?\b`,
  ),
];

/** Words before a claim, in the same clause, that make it future, conditional or negative. */
export const CLAIM_HEDGES = rx(
  String.raw`${WB}(will|would|once|after|when|if|unless|not|never|won't|can't|cannot|as soon as|before|to confirm|будет|будут|после|если|когда|как только|не|нельзя|יהיה|תהיה|אחרי|לאחר|אם|כאשר|ברגע ש|לא|sera|seran|despues|cuando|si|no|una vez|en cuanto|seront|apres|quand|ne|pas|une fois|des que|lorsque)${WE}|n't${WE}`,
);

/** Negations that turn a refund sentence into a refusal. */
export const REFUND_NEGATIONS = rx(
  String.raw`${WB}(not|never|cannot|can't|unable|не|нельзя|לא|אין|no|nunca|ne|pas|jamais)${WE}|n't${WE}`,
);

/** Refund promises or statements that a refund happened. */
export const REFUND_PROMISES: RegExp[] = [
  rx(
    String.raw`\b(we|i)('ll| will|'re going to| are going to|'m going to| am going to| shall|'ve| have)( already| just| now| gladly| happily| certainly| definitely)* (refund|refunded|reimburse|reimbursed|credit back|credited back)\b`,
  ),
  rx(
    String.raw`\b(we|i)('ll| will|'re going to| are going to|'m going to| am going to|'ve| have)( already| just| now)* (issue|issued|process|processed|send|sent|arrange|arranged|give|given|approve|approved|initiate|initiated)( you)? (a |your |the |an )?(full |partial |complete )?(refund|reimbursement|money back)`,
  ),
  rx(
    String.raw`\b(your |the |a )?(full |partial )?(refund|reimbursement)( of \S+)? (has been|was|is being|will be|is on its way|is on the way|is approved|is guaranteed)( successfully)?( issued| processed| sent| approved| credited| returned| initiated)?`,
  ),
  rx(
    String.raw`\byou('ll| will|'re going to| are going to)( soon)? (get|receive|see)( back)? (your money|a refund|a full refund|the money|your refund|the full amount|\$|€|£)`,
  ),
  rx(String.raw`\b(get|give) (you )?your money back\b|\bguarantee (you )?a (full )?refund`),
  rx(
    String.raw`(вернем|возвратим|компенсируем|возместим)\S*( вам| тебе)?.{0,20}(деньги|средства|стоимость|сумм|оплат|платеж)|(деньги|средства|возврат)\S*\s+(уже |будут |был |была |были |было )*(возвращен|оформлен|отправлен|одобрен|зачислен)|${WB}(оформил|оформила|оформили|оформим) (вам )?возврат|вы получите (свои |ваши |все )?(деньги|возврат|средства)`,
  ),
  rx(
    String.raw`נחזיר( לך| לכם)?( את)? (הכסף|הסכום|התשלום|מלוא|כספך|החיוב|כסף)|(ההחזר|הזיכוי|הכסף)( הכספי)? (יוחזר|הוחזר|אושר|בוצע|יועבר|נשלח)|(נבצע|ביצענו|אישרנו|נאשר)( לך| לכם)? (החזר|זיכוי)|תקבל(י)? (את )?(הכסף|החזר|זיכוי)`,
  ),
  rx(
    String.raw`\b(le |te |les )?reembolsaremos|\b(hemos|he) reembolsado|\b(le|te|les) devolveremos (el|su|tu) dinero|\brecibira(s)? (su|el|un|tu) reembolso|\b(el|su|tu) reembolso (ha sido|fue|sera|esta) (emitido|procesado|aprobado|enviado|en camino)|\b(procesaremos|emitiremos|haremos|aprobamos|hemos procesado|hemos emitido|hemos aprobado) (el |un |su |tu )?reembolso`,
  ),
  rx(
    String.raw`\b(nous )?vous rembourserons|\b(nous allons|je vais|on va) vous rembourser|\b(nous vous avons|je vous ai) rembourse|\bvous serez rembourse|\bvous recevrez (un|votre|le) remboursement|\b(votre |le )?remboursement (a ete|est|sera) (effectue|emis|traite|approuve|valide|en cours)|\b(nous avons|j'ai) (effectue|emis|traite|lance|valide) (le|un|votre) remboursement`,
  ),
];

/** Wording that hands the conversation to a human, as an escalated reply must. */
export const HANDOFF: RegExp[] = [
  rx(
    String.raw`\b(connect(ing)?|transfer(r?ing|red)?|pass(ing|ed)?|hand(ing|ed)?|escalat(e|ing|ed)|forward(ing|ed)?|refer(ring|red)?|assign(ing|ed)?)\b.{0,50}\b(human|colleague|team|specialist|agent|manager|supervisor|person|representative|someone)`,
  ),
  rx(
    String.raw`\b(a|our|one of our) (human|specialist|colleague|team member|manager|supervisor|agent|representative|member of (our|the) team)s?\b.{0,40}\b(will|is going to|shall|'ll)`,
  ),
  rx(
    String.raw`(передал|передаю|передам|переда\S*|перевожу|подключ\S*|эскалир\S*).{0,50}(специалист|оператор|коллег|менеджер|сотрудник|команд|человек)|(специалист|оператор|коллега|менеджер|сотрудник)\S* .{0,25}(свяжется|ответит|подключится|скоро|займется)`,
  ),
  rx(
    String.raw`(העברתי|מעביר|מעבירה|אעביר|הועבר|הועברה|נעביר).{0,50}(נציג|צוות|מנהל|אדם|מומחה)|(נציג|נציגה|איש צוות|מנהל)\S* .{0,25}(יחזור|תחזור|ייצור|יענה|ידבר|יטפל)`,
  ),
  rx(
    String.raw`\b(transfiero|transferi|he transferido|paso|he pasado|derivo|he derivado|escalo|he escalado|conecto|conectare|le comunico)\b.{0,50}(agente|companer|equipo|especialista|persona|supervisor|humano|representante)|\b(un|una|nuestro|nuestra) (agente|companero|companera|especialista|supervisor|supervisora|representante|persona del equipo)\b.{0,30}(se pondra|le contactara|te contactara|respondera|atendera|revisara)`,
  ),
  rx(
    String.raw`\b(je transmets|j'ai transmis|je transfere|j'ai transfere|je passe|j'ai passe|je mets en relation|j'escalade|je vous mets en contact|nous transmettons)\b.{0,50}(conseill|collegue|equipe|specialiste|responsable|humain|agent|superviseur)|\b(un|une|notre) (conseiller|conseillere|collegue|specialiste|responsable|agent|membre de (l'|notre )equipe)\b.{0,30}(va vous|vous recontactera|vous repondra|reviendra|prendra)`,
  ),
];

/** Words that say which account action a claim is about. */
export const ACTION_WORDS: Record<WriteToolName, RegExp> = {
  cancel_subscription: rx(String.raw`(cancel|terminat|отмен|аннулир|ביטל|בוטל|resili|annul)`),
  pause_subscription: rx(String.raw`(paus|on hold|suspend|приостанов|пауз|замороз|заморож|השה|הקפא)`),
  skip_next_box: rx(String.raw`(skip|пропуст|пропущ|דילג|דולג|omit|saltad|saute)`),
  change_frequency: rx(String.raw`(frequen|частот|периодичн|תדירות|frecuencia)`),
  change_address: rx(String.raw`(address|адрес|כתובת|direccion|adresse)`),
  create_damage_claim: rx(String.raw`(claim|заявк|претензи|תביעה|reclam|dossier)`),
};

/** Secret-shaped tokens that are internal whatever the workspace configured. */
export const SECRET_SHAPES: RegExp[] = [
  /\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(\.[A-Za-z0-9_-]+)?/g,
  /\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/g,
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/g,
  /\bBearer [A-Za-z0-9._~+/-]{20,}/g,
];
