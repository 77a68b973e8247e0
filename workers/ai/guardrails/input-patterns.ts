/**
 * Pattern tables for the customer-message scan, one group per signal, five languages
 * each (en, ru, he, es, fr). Sources are written readable — with accents — and folded by
 * `rx()` exactly like the text, so accent and case tricks do not bypass them.
 * Hebrew has no `\b`-friendly word edges and glues prefixes (ו, ה, ל, ש) to words, so its
 * patterns are substrings; Russian uses `WB` because `\b` is ASCII-only.
 */
import { WB, rx } from "./text.ts";

export interface PatternGroup {
  reason: string;
  patterns: RegExp[];
}

/** Prompt-injection phrasing; run on the folded text and on its Latin skeleton. */
export const INJECTION: PatternGroup[] = [
  {
    reason: "injection:override_instructions",
    patterns: [
      rx(
        String.raw`\b(ignore|disregard|forget|override|bypass|skip)\b.{0,30}\b(previous|prior|above|earlier|all|your|the|any|these|those|system)\b.{0,20}\b(instructions?|rules|prompts?|guidelines|directives|restrictions|policies|guardrails)`,
      ),
      rx(String.raw`\bnew (instructions|rules)\s*:`),
      rx(
        String.raw`${WB}(игнорируй|проигнорируй|игнорировать|забудь|забыть|отмени|не обращай внимания на).{0,30}(инструкци|правил|ограничени|указани|промпт)`,
      ),
      rx(String.raw`(התעלם|תתעלם|שכח|תשכח|בטל את).{0,25}(הוראות|ההנחיות|הנחיות|כללים|הכללים|החוקים)`),
      rx(
        String.raw`\b(ignora|ignore|olvida|olvide|omite|descarta)\b.{0,30}\b(instrucciones|reglas|indicaciones|normas)`,
      ),
      rx(
        String.raw`\b(ignore|ignorez|oublie|oubliez|ne tiens pas compte)\b.{0,30}\b(instructions|regles|consignes|directives)`,
      ),
    ],
  },
  {
    reason: "injection:role_override",
    patterns: [
      rx(
        String.raw`\b(you are now|you're now|from now on,? you (are|will)|act as (an? )?(admin|developer|root|system|unrestricted|different)|pretend (to be|you are)|roleplay as|you have no (rules|restrictions))`,
      ),
      rx(String.raw`\b(developer|god|debug|admin|maintenance|jailbreak|dan) mode\b`),
      rx(String.raw`\b(jailbreak|do anything now|sudo )`),
      rx(
        String.raw`${WB}(ты теперь|теперь ты|с этого момента ты|представь,? что ты|режим (разработчика|администратора|отладки)|притворись)`,
      ),
      rx(String.raw`(אתה עכשיו|מעכשיו אתה|מצב מפתח|מצב מנהל|העמד פנים|תעמיד פנים)`),
      rx(
        String.raw`\b(ahora eres|a partir de ahora eres|modo (desarrollador|administrador|depuracion)|finge (ser|que eres)|actua como)`,
      ),
      rx(
        String.raw`\b(tu es maintenant|desormais tu es|a partir de maintenant tu es|mode (developpeur|administrateur|debogage)|fais semblant d'etre|agis comme)`,
      ),
    ],
  },
  {
    reason: "injection:prompt_extraction",
    patterns: [
      rx(String.raw`\b(system|initial|hidden|original|internal) (prompt|instructions|message)`),
      rx(
        String.raw`\b(reveal|show|print|repeat|output|display|tell me|share|leak|dump|give me)\b.{0,25}\b(your|the)\b.{0,15}\b(instructions|prompt|rules|configuration|guidelines)`,
      ),
      rx(String.raw`\bwhat (were you|are you) (told|instructed|programmed)`),
      rx(
        String.raw`(системн\S* (промпт|подсказк|инструкци|сообщени)|${WB}(покажи|выведи|повтори|раскрой|напиши)\S*.{0,25}(сво|ваш|тво)\S*.{0,10}(инструкци|промпт|правил))`,
      ),
      rx(String.raw`(הנחיות המערכת|פרומפט|(הראה|תראה|חשוף|תחשוף|הצג|תציג|כתוב).{0,20}(ההוראות|ההנחיות|את ההוראות))`),
      rx(
        String.raw`\b(prompt del sistema|instrucciones del sistema|(muestra|muestrame|revela|repite|dime)\b.{0,20}\b(tus|las|sus)\b.{0,10}\b(instrucciones|reglas))`,
      ),
      rx(
        String.raw`\b(prompt systeme|instructions systeme|(montre|montrez|revele|revelez|repete|affiche)\b.{0,20}\b(tes|vos|les)\b.{0,10}\b(instructions|consignes|regles))`,
      ),
    ],
  },
  {
    reason: "injection:authority_claim",
    patterns: [
      rx(
        String.raw`\b(i am|i'm|this is) (the |an |your )?(admin|administrator|developer|system administrator|ceo|cto|founder|support (agent|manager|lead)|staff member|moderator|owner of (this|the) (company|business|platform|store))\b`,
      ),
      rx(
        String.raw`\b(i work (for|at) (you|your company|omnisupport|support)|authori[sz]ed (by|to) (override|access|bypass)|admin override|override code|security clearance)`,
      ),
      rx(
        String.raw`${WB}я\s+(—\s+)?(админ|администратор|разработчик|директор|сотрудник (поддержки|компании)|ваш (начальник|руководитель))`,
      ),
      rx(String.raw`(אני המנהל|אני מנהל המערכת|אני המפתח|אני עובד (בחברה|אצלכם))`),
      rx(
        String.raw`\b(soy (el |la )?(administrador|administradora|admin|desarrollador|desarrolladora|gerente|director)|trabajo (en|para) (la empresa|ustedes))`,
      ),
      rx(
        String.raw`\b(je suis (l'|le |la )?(administrateur|administratrice|admin|developpeur|developpeuse|directeur|gerant)|je travaille (pour|chez) vous)`,
      ),
    ],
  },
  {
    reason: "injection:coerced_claim",
    patterns: [
      rx(
        String.raw`\b(pretend|act as if|play along)\b.{0,40}\b(done|cancell?ed|paused|skipped|refunded|approved|processed|complete|changed)`,
      ),
      rx(
        String.raw`\b(just |simply )?(say|write|reply|tell me|type|answer)( back)?( with)? (that |yes,? )?(it'?s|it is|it has been|(the|my) \w+ (is|was|has been))( already)? (done|cancell?ed|paused|skipped|refunded|approved|processed|complete)`,
      ),
      rx(String.raw`\b(just|simply) (say|type|write|reply with|respond with)\b`),
      rx(
        String.raw`(сделай вид|притворись|просто (скажи|напиши|ответь|подтверди)|напиши,? что).{0,40}(отмен|приостанов|пауз|возврат|готово|сделано|одобрен)`,
      ),
      rx(String.raw`(תעמיד פנים|תגיד ש|תכתוב ש|רק תאשר).{0,30}(בוטל|הושהה|הוקפא|הוחזר|בוצע|אושר)`),
      rx(
        String.raw`\b(finge|haz como si|solo di|di que|escribe que|confirma que)\b.{0,30}\b(cancelad|pausad|reembolsad|hech[oa]|aprobad|list[oa]|terminad)`,
      ),
      rx(
        String.raw`\b(fais comme si|fais semblant|dis (juste )?que|ecris que|confirme que)\b.{0,30}\b(annule|suspendu|en pause|rembourse|fait|approuve|termine)`,
      ),
    ],
  },
  {
    reason: "injection:encoding_smuggling",
    patterns: [
      rx(
        String.raw`\b(base ?64|rot ?-?13|rot13|hex[- ]?encoded|decode (this|the following|it)|caesar cipher|reverse the (text|string)|read it backwards)\b`,
      ),
      rx(String.raw`(${WB}base ?64|расшифруй|декодируй|раскодируй|פענח|decodifica|decode|dechiffre|decode ce)`),
    ],
  },
];

/** Structural markers: fake role lines, chat-template tokens, hidden comments. */
export const STRUCTURAL: PatternGroup[] = [
  {
    reason: "injection:role_line",
    patterns: [
      rx(
        String.raw`(^|\n)\s*[\[(<#*]*\s*(system|assistant|developer|admin|root|tool|система|ассистент|מערכת|עוזר|sistema|asistente|systeme|assistant)\s*[\])>*]*\s*[:>]`,
      ),
      rx(
        String.raw`(<\|?(im_start|im_end|system|endoftext)\|?>|\[/?(system|inst)\]|<</?sys>>|###\s*(system|instruction))`,
      ),
    ],
  },
  {
    reason: "injection:hidden_payload",
    patterns: [
      rx(String.raw`<!--[\s\S]*?(-->|$)`),
      rx(String.raw`\[//\]\s*:\s*#`),
      rx(String.raw`<\s*(script|style|iframe|object|svg|img)[\s>]`),
      rx(String.raw`(display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0)`),
    ],
  },
];

/** Phrases that survive spacing tricks ("i g n o r e   p r e v i o u s"). */
export const COMPACT_INJECTION = [
  "ignorepreviousinstructions",
  "ignoreallpreviousinstructions",
  "ignoreallinstructions",
  "ignoreyourinstructions",
  "disregardpreviousinstructions",
  "systemprompt",
  "developermode",
  "игнорируйпредыдущиеинструкции",
  "игнорируйвсеинструкции",
  "системныйпромпт",
  "התעלםמכלההוראות",
  "ignoralasinstrucciones",
  "ignoretouteslesinstructions",
];

/** Asking for other people's data or the system's internals. */
export const DATA_FISHING: PatternGroup[] = [
  {
    reason: "data_fishing:other_customers",
    patterns: [
      rx(
        String.raw`\b(list|show|give me|export|dump|send me|tell me)\b.{0,20}\b(all|every|other)\s+(the\s+|your\s+)?(customers|users|subscribers|clients|accounts|emails|members)`,
      ),
      rx(
        String.raw`\b(another|other|a different) (customer|user|subscriber|person|client)'?s?\b.{0,30}\b(email|address|order|account|phone|details|data|info)`,
      ),
      rx(
        String.raw`\b(someone|somebody) else'?s\b|\b(my )?(neighbou?r|friend|wife|husband|ex|boss|coworker|colleague|roommate|sister|brother|mother|father)'?s\b.{0,20}\b(order|account|address|email|subscription|phone|details|card)`,
      ),
      rx(
        String.raw`\b(who else|which (other )?customers?) (ordered|lives|owns|is subscribed|placed|bought)|\bwho (lives at|owns) (this|that|the) (email|account|address)`,
      ),
      rx(
        String.raw`\b(email|address|phone number|name|details) (of|for|behind) (order|account|subscription|customer)\s*#?\s*\d`,
      ),
      rx(
        String.raw`\b(email|address|phone( number)?|name|details) of the (customer|person|owner|buyer|recipient)\b|\b(not mine|isn't mine|not my (order|account|box))\b|\b(tell|give|send) me (his|her|their) (email|address|phone|details)`,
      ),
      rx(
        String.raw`(${WB}(список|всех|перечисли)\S*.{0,10}(клиент|пользовател|подписчик)|${WB}друго\S* (клиент|человек|пользовател)|${WB}чуж\S* (заказ|аккаунт|адрес|данн|почт)|(заказ|адрес|почт|email|аккаунт|подписк|данн|телефон)\S*\s+(моего |моей )?(соседа|соседки|друга|подруги|жены|мужа|начальника|другого клиента))`,
      ),
      rx(String.raw`(כל הלקוחות|רשימת (ה)?לקוחות|לקוח אחר|של לקוח אחר|של השכן|של חבר שלי|של אשתי|של בעלי)`),
      rx(
        String.raw`\b(todos los clientes|lista de clientes|otro cliente|otra persona|de mi (vecino|vecina|amigo|amiga|esposa|esposo|jefe))`,
      ),
      rx(
        String.raw`\b(tous les clients|liste des clients|un autre client|une autre personne|de mon (voisin|ami|mari|patron)|de ma (voisine|femme|amie))`,
      ),
    ],
  },
  {
    reason: "data_fishing:internals",
    patterns: [
      rx(
        String.raw`\b(database|db|sql|backend|server|internal|admin) (tables?|schema|names?|credentials|password|dump|query|ids?|notes|panel|system)\b`,
      ),
      rx(
        String.raw`\b(api[ _-]?keys?|secret[ _-]?keys?|access tokens?|auth tokens?|(admin|database|db|system|root|your|staff) (passwords?|credentials)|env(ironment)? variables|connection string|select \* from|table names?|which tables)\b`,
      ),
      rx(
        String.raw`(баз\S* данных|таблиц\S* (базы|в базе|бд)|назван\S* таблиц|api[- ]?ключ|апи[- ]?ключ|секретн\S* ключ|токен|пароль (админ|администратор)|внутренн\S* (данн|систем|id|идентификатор))`,
      ),
      rx(String.raw`(מסד הנתונים|מסד נתונים|בסיס הנתונים|מפתח api|מפתח ה-api|סיסמת מנהל|מזהה פנימי)`),
      rx(
        String.raw`\b(base de datos|nombres? de (las )?tablas|clave (de )?api|claves? secretas?|credenciales|contrasena de administrador|ids? internos?)\b`,
      ),
      rx(
        String.raw`\b(base de donnees|tables? (sql|de la base)|noms? des tables|cle (d')?api|cles? secretes?|identifiants (admin|internes)|mot de passe (admin|administrateur))\b`,
      ),
    ],
  },
];

/** Threats of violence or harm. */
export const VIOLENCE: RegExp[] = [
  rx(
    String.raw`\b(i('ll| will| am going to|'m going to|m gonna| gonna)) (kill|hurt|shoot|stab|find|destroy|burn)\b|\b(bomb|blow up|burn down)\b|\bknow where you (live|work)|\byou('ll| will) (regret|pay for) (this|it)`,
  ),
  rx(String.raw`(${WB}убью|убить вас|взорву|сожгу|найду (вас|тебя)|знаю,? где (вы|ты) жив|пожалеете|вам конец)`),
  rx(String.raw`(אהרוג|ארצח|אפוצץ|אשרוף|אני יודע איפה אתם|אני יודע איפה אתה|תצטערו)`),
  rx(
    String.raw`\b(los? (voy a )?matar|voy a matar|los matare|bomba|quemare|se donde viven|se donde trabajan|se van a arrepentir)`,
  ),
  rx(
    String.raw`\b(je vais vous (tuer|buter|detruire)|bombe|je sais ou vous (habitez|travaillez)|vous allez le regretter)`,
  ),
];

/** Legal claims and threats of legal action (a bare "lawyer" is not a threat). */
export const LEGAL: RegExp[] = [
  rx(
    String.raw`\b((i'll|i will|going to|gonna|i'm|we will|will) sue|suing (you|your)|lawsuit|legal action|take (you|this|it) to court|see you in court|small claims|class action|report (you|this) to (the )?(ftc|bbb|attorney general|consumer protection|authorities|police))\b|\bmy (lawyer|attorney|solicitor)s? (will|is going to|are going to|has been|is|'ll)\b|\b(contact|call|involve|hire|consult|get) (my|a|an) (lawyer|attorney|solicitor)\b|\bhear from my (lawyer|attorney)`,
  ),
  rx(
    String.raw`(${WB}(подам|подаю|обращусь|пойду)\S*.{0,10}(в суд|иск|в прокуратур|в роспотребнадзор|в полици)|${WB}в суд${WB}|${WB}иск${WB}|мой (юрист|адвокат) (свяжется|подаст|уже)|досудебн\S* претензи|роспотребнадзор|юридическ\S* (меры|действи|претензи))`,
  ),
  rx(
    String.raw`(אתבע|נתבע אתכם|אגיש תביעה|תביעה משפטית|בית משפט|בית המשפט|עורך הדין שלי (יפנה|יצור|כבר)|עו"ד שלי|הגנת הצרכן|צעדים משפטיים)`,
  ),
  rx(
    String.raw`\b(demandare|los voy a demandar|voy a demandar|los demando|poner una demanda|presentar una demanda|acciones legales|accion legal|tribunales?|mi abogado (se pondra|los contactara|ya|va a)|denunciar(los|les)?|profeco|oficina del consumidor|defensa del consumidor)\b`,
  ),
  rx(
    String.raw`\b(poursuivre en justice|vous poursuivre|porter plainte|je porte plainte|action en justice|tribunal|mon avocat (va|vous|a deja)|mise en demeure|assignation|dgccrf)\b`,
  ),
];

/** Chargebacks and bank/card disputes. */
export const CHARGEBACK: RegExp[] = [
  rx(
    String.raw`\b(charge ?backs?|dispute (the|this|these|a|my) (charge|payment|transaction)s?|(call|contact|tell|ask) my (bank|card issuer|credit card company)|(file|open|raise) a (dispute|claim) with (my|the) (bank|card|paypal)|paypal (dispute|claim)|reverse the (charge|payment)|stop the payment with my bank|block (the|your) (charge|payments?) (at|with|through) my bank)`,
  ),
  rx(
    String.raw`(чарджб[эе]к|оспор\S* (платеж|платёж|списани|транзакци|операци)|(оспорю|верну|отзову|отменю|заберу)\S*.{0,25}через банк|(обращусь|позвоню|пойду|напишу)\S* в (свой |мой )?банк|заблокир\S*.{0,20}(в|через) банк|верну деньги через банк)`,
  ),
  rx(
    String.raw`(הכחשת עסקה|ביטול עסקה (בכרטיס|דרך)|אפנה לחברת האשראי|לחברת האשראי|אבטל את החיוב|אפנה לבנק|מחלוקת (על|בחיוב))`,
  ),
  rx(
    String.raw`\b(contracargos?|disputa (con|en) (mi|el) banco|disputar el (cargo|pago)|reclamar (al|en el) banco|llamare a mi banco|anular el cargo con mi banco|desconocer el cargo)`,
  ),
  rx(
    String.raw`\b(retrofacturation|opposition (bancaire|sur (le|mon) (paiement|prelevement))|faire opposition|contester (le|ce) (prelevement|paiement|debit)|ma banque (va|pour) (annuler|rembourser|contester)|appeler ma banque)`,
  ),
];

/** Demands for money back. Questions about the refund *policy* are not demands. */
export const REFUND_DEMAND: RegExp[] = [
  rx(
    String.raw`\b(refund me|reimburse me|(process|issue|send)( me)? (my|the|a) refund\b|(want|demand|need|expect|deserve|request|give me|get|like|requesting|demanding)( a| my| the| an| full| immediate| complete)* (refund|reimbursement)s?\b(?!\s*(polic|process|rules|terms|conditions|options|info))|(my|our|the) money back|full refund\b(?!\s*polic))`,
  ),
  rx(
    String.raw`(верн\S* (мне |нам )?(мои |мне )?(деньги|средства)|(хочу|требую|нужен|жду|оформите)\S* (полный )?возврат(?!\S*\s+(полити|правил|услови))|возврат (денег|средств)(?!\s+(полити|правил|услови)))`,
  ),
  rx(String.raw`(החזר כספי|תחזירו (לי )?(את )?הכסף|אני רוצה החזר|אני דורש החזר|אני דורשת החזר|החזירו לי|זיכוי מלא)`),
  rx(
    String.raw`\b((quiero|exijo|necesito|solicito|pido) (un |mi |el )?(reembolso|devolucion del dinero)(?!\s*(polic|de la politica))|devuelvan(me)? (el|mi) dinero|reembolso (completo|total|inmediato)|reembolsenme)`,
  ),
  rx(
    String.raw`\b((je veux|j'exige|je demande|je souhaite) (un |d'etre |etre |mon |le )?rembourse\S*(?!\s*(polit|condit|regle))|remboursez[- ]moi|rendez[- ]moi mon argent|remboursement (integral|complet|immediat))`,
  ),
];
