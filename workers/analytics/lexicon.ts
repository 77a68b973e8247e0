/**
 * The embedded parser's vocabulary, English and Russian: phrases (regular expressions over
 * normalised text: lower case, ё→е, punctuation as spaces, padded with spaces) that name
 * metrics, dimensions, filter values, time windows and rankings. Ordered from the most to
 * the least specific; the first metric that matches wins. Tuned on the gold set's "dev"
 * half only.
 */
export interface MetricRule {
  metric: string;
  re: RegExp;
}

const CONV =
  "(?:conversations?|chats?|tickets?|requests?|cases?|диалог\\p{L}*|обращени\\p{L}*|тикет\\p{L}*|разговор\\p{L}*|чат\\p{L}*|запрос\\p{L}*)";

export const METRIC_RULES: MetricRule[] = [
  {
    metric: "cost_per_resolution",
    re: /(cost|стоим\p{L}*|стоит).{0,30}(per|на|одного|одно)\s+(one\s+)?(resolution|resolved|решенн\p{L}*|решени\p{L}*)|cost per resolution/u,
  },
  {
    metric: "ai_cost_per_conversation",
    re: new RegExp(
      `(cost|стоим\\p{L}*|стоит).{0,40}\\s(per|на|одного|на один|на одно)\\s+(one\\s+|1\\s+|один\\s+|одно\\s+)?${CONV}`,
      "u",
    ),
  },
  { metric: "ai_cost", re: /\b(cost|costs|spend|spent|expense\p{L}*)\b|стоим\p{L}*|стоит|расход\p{L}*|затрат\p{L}*/u },
  {
    metric: "messages_per_conversation",
    re: /messages?\s+(per|by|in an?|each)\s|сообщени\p{L}*\s+(на|в)\s+(один\s+)?(диалог|обращени|разговор)/u,
  },
  {
    metric: "sla_breach_rate",
    re: /(sla\s+)?breach\p{L}*\s+rate|(rate|share|percent\p{L}*|%)\s+of\s+(sla\s+)?breach\p{L}*|(процент\p{L}*|дол\p{L}*)\s+(нарушени\p{L}*|просроч\p{L}*)/u,
  },
  { metric: "sla_breaches", re: /breach\p{L}*|sla\s+(miss\p{L}*|violation\p{L}*)|нарушени\p{L}*|просроч\p{L}*/u },
  {
    metric: "csat_percent",
    re: /csat\s+(%|percent\p{L}*|share|rate)|(%|percent\p{L}*|share)\s+(of\s+)?(satisfied|happy)|(процент\p{L}*|дол\p{L}*)\s+(довольн\p{L}*|удовлетвор\p{L}*)|csat\s+4/u,
  },
  {
    metric: "csat_average",
    re: /csat|satisfaction|satisfied|rating|удовлетвор\p{L}*|довольн\p{L}*|оценк\p{L}*|удовлетворенност\p{L}*/u,
  },
  { metric: "nps", re: /\bnps\b|net promoter|promoter|лояльност\p{L}*/u },
  {
    metric: "ai_resolution_rate",
    re: /(ai|bot)\s+resolution\s+rate|resolution\s+rate|(rate|share|percent\p{L}*|%).{0,20}(resolved|solved)\s+by\s+(the\s+)?(ai|bot)|(процент\p{L}*|дол\p{L}*).{0,12}(реша\p{L}*|реши\p{L}*|решенн\p{L}*).{0,6}(ai|ии|бот\p{L}*)|(процент\p{L}*|дол\p{L}*)\s+(ai|ии)|automation rate/u,
  },
  {
    metric: "ai_resolved_conversations",
    re: /(ai|bot)\s+(resolve\p{L}*|solve\p{L}*|close\p{L}*|handle\p{L}*)|(resolved|solved|closed|handled)\s+by\s+(the\s+)?(ai|bot)|(ai|ии|бот)\s+(реши\p{L}*|закры\p{L}*|обработа\p{L}*)|(решил|решено|закрыл)\p{L}*\s+(ai|ии|бот\p{L}*)/u,
  },
  {
    metric: "handoff_rate",
    re: /hand\s?-?offs?|handed\s+(off|over)|escalat\p{L}*|transferred\s+to\s+(a\s+)?human|передач\p{L}*|эскалац\p{L}*|передан\p{L}*\s+(человеку|оператору)/u,
  },
  {
    metric: "first_response_time",
    re: /first\s+(response|reply)|response\s+time|reply\s+time|\bfrt\b|time\s+to\s+(first\s+)?(respond|response|reply)|перв\p{L}*\s+ответ\p{L}*|время\s+ответа|скорост\p{L}*\s+ответа/u,
  },
  {
    metric: "resolution_time",
    re: /resolution\s+time|time\s+to\s+(resolve|resolution|close)|handling\s+time|\bart\b|врем\p{L}*\s+(решени\p{L}*|закрыти\p{L}*)/u,
  },
  {
    metric: "abandoned_chats",
    re: /abandon\p{L}*|unanswered|брошенн\p{L}*|без\s+ответа|неотвеченн\p{L}*/u,
  },
  { metric: "actions", re: /\bactions?\b|действи\p{L}*/u },
  {
    metric: "resolved_conversations",
    re: /\bresolved\b|\bsolved\b|\bclosed\b|решен\p{L}*|решён\p{L}*|закрыт\p{L}*/u,
  },
  {
    metric: "open_conversations",
    re: /\bopen\b|unresolved|stuck|pending|backlog|открыт\p{L}*|нерешенн\p{L}*|застрявш\p{L}*|висящ\p{L}*/u,
  },
  {
    metric: "conversations",
    re: new RegExp(`${CONV}|volume|объем\\p{L}*|how many|сколько|количеств\\p{L}*|число`, "u"),
  },
];

export interface DimensionRule {
  dimension: string;
  re: RegExp;
}

/** Dimensions named after "by / per / по / each / which …", or as grains ("daily", "по дням"). */
export const DIMENSION_RULES: DimensionRule[] = [
  {
    dimension: "day",
    re: /\b(daily|per day|by day|each day|a day)\b|(?<!\p{L})по\s+дням|(?<!\p{L})в\s+день|(?<!\p{L})ежедневн\p{L}*/u,
  },
  {
    dimension: "week",
    re: /\b(weekly|per week|by week|each week|week by week)\b|(?<!\p{L})по\s+неделям|(?<!\p{L})еженедельн\p{L}*/u,
  },
  {
    dimension: "month",
    re: /\b(monthly|per month|by month|each month|month by month|trend|over time)\b|(?<!\p{L})по\s+месяцам|(?<!\p{L})ежемесячн\p{L}*|(?<!\p{L})тренд|(?<!\p{L})динамик\p{L}*/u,
  },
  { dimension: "hour", re: /\b(by hour|per hour|hourly|hour of day)\b|(?<!\p{L})по\s+часам/u },
  { dimension: "weekday", re: /\b(by weekday|day of week|by day of the week)\b|(?<!\p{L})по\s+дням\s+недели/u },
  { dimension: "channel", re: /\bchannels?\b|(?<!\p{L})канал\p{L}*/u },
  {
    dimension: "category",
    re: /\bcategor(y|ies)\b|\btopics?\b|(?<!\p{L})категори\p{L}*|(?<!\p{L})тем\p{L}*\s+обращени/u,
  },
  { dimension: "language", re: /\blanguages?\b|(?<!\p{L})язык\p{L}*/u },
  { dimension: "priority", re: /\bpriorit(y|ies)\b|(?<!\p{L})приоритет\p{L}*/u },
  { dimension: "operator", re: /\b(operators?|agents?|staff)\b|(?<!\p{L})оператор\p{L}*|(?<!\p{L})сотрудник\p{L}*/u },
  { dimension: "team", re: /\bteams?\b|(?<!\p{L})команд\p{L}*/u },
  { dimension: "tag", re: /\btags?\b|(?<!\p{L})тег\p{L}*|(?<!\p{L})метк\p{L}*/u },
  { dimension: "tool", re: /\btools?\b|(?<!\p{L})инструмент\p{L}*/u },
  { dimension: "model", re: /\bmodels?\b|(?<!\p{L})модел\p{L}*/u },
  { dimension: "status", re: /\bstatus(es)?\b|(?<!\p{L})статус\p{L}*/u },
];

export interface ValueRule {
  dimension: string;
  value: string;
  re: RegExp;
}

export const VALUE_RULES: ValueRule[] = [
  { dimension: "channel", value: "telegram", re: /telegram|(?<!\p{L})телеграм\p{L}*/u },
  { dimension: "channel", value: "whatsapp", re: /whats\s?app|(?<!\p{L})ватсап\p{L}*|(?<!\p{L})вотсап\p{L}*/u },
  {
    dimension: "channel",
    value: "messenger",
    re: /messenger|facebook|(?<!\p{L})мессенджер\p{L}*|(?<!\p{L})фейсбук\p{L}*/u,
  },
  {
    dimension: "channel",
    value: "email",
    re: /\be-?mails?\b(?!\s+address)|(?<!\p{L})почт\p{L}*|(?<!\p{L})имейл\p{L}*/u,
  },
  {
    dimension: "channel",
    value: "widget",
    re: /widget|website|web chat|site chat|(?<!\p{L})виджет\p{L}*|(?<!\p{L})сайт\p{L}*/u,
  },
  { dimension: "category", value: "shipping_inquiry", re: /shipping|delivery|(?<!\p{L})доставк\p{L}*/u },
  {
    dimension: "category",
    value: "damaged_item",
    re: /damage\p{L}*|broken|(?<!\p{L})поврежд\p{L}*|(?<!\p{L})разбит\p{L}*|(?<!\p{L})брак\p{L}*/u,
  },
  {
    dimension: "category",
    value: "payment_issue",
    re: /payment|billing|(?<!\p{L})оплат\p{L}*|(?<!\p{L})платеж\p{L}*/u,
  },
  { dimension: "category", value: "cancel_subscription", re: /cancel\p{L}*|(?<!\p{L})отмен\p{L}*/u },
  {
    dimension: "category",
    value: "pause_subscription",
    re: /pause\p{L}*|(?<!\p{L})приостанов\p{L}*|(?<!\p{L})пауз\p{L}*/u,
  },
  { dimension: "category", value: "skip_month", re: /\bskip\p{L}*|(?<!\p{L})пропуск\p{L}*|(?<!\p{L})пропуст\p{L}*/u },
  { dimension: "category", value: "change_address", re: /address change|change of address|(?<!\p{L})адрес\p{L}*/u },
  { dimension: "category", value: "change_frequency", re: /frequency|(?<!\p{L})частот\p{L}*/u },
  { dimension: "category", value: "general_question", re: /general question|(?<!\p{L})общи\p{L}*\s+вопрос\p{L}*/u },
  { dimension: "language", value: "ru", re: /\brussian\b|(?<!\p{L})русск\p{L}*/u },
  { dimension: "language", value: "en", re: /\benglish\b|(?<!\p{L})английск\p{L}*/u },
  { dimension: "language", value: "he", re: /\bhebrew\b|(?<!\p{L})иврит\p{L}*/u },
  { dimension: "language", value: "es", re: /\bspanish\b|(?<!\p{L})испанск\p{L}*/u },
  { dimension: "language", value: "fr", re: /\bfrench\b|(?<!\p{L})французск\p{L}*/u },
  { dimension: "priority", value: "urgent", re: /\burgent\b|(?<!\p{L})срочн\p{L}*/u },
  { dimension: "priority", value: "high", re: /high[- ]priority|(?<!\p{L})высок\p{L}*\s+приоритет\p{L}*/u },
  {
    dimension: "action_status",
    value: "failed",
    re: /\bfail\p{L}*|(?<!\p{L})неудачн\p{L}*|(?<!\p{L})ошибк\p{L}*|(?<!\p{L})сбо\p{L}*/u,
  },
  {
    dimension: "action_status",
    value: "executed",
    re: /\bexecuted\b|\bcompleted\b|\bsucceeded\b|(?<!\p{L})выполнен\p{L}*|(?<!\p{L})выполни\p{L}*/u,
  },
  { dimension: "action_status", value: "cancelled", re: /\bcancel+ed\b|(?<!\p{L})отменен\p{L}*/u },
  { dimension: "action_status", value: "expired", re: /\bexpired\b|(?<!\p{L})истек\p{L}*|(?<!\p{L})просрочен\p{L}*/u },
  { dimension: "action_status", value: "pending", re: /\bpending\b|(?<!\p{L})ожида\p{L}*/u },
];

export const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  fourteen: 14,
  thirty: 30,
  один: 1,
  одну: 1,
  два: 2,
  две: 2,
  три: 3,
  четыре: 4,
  пять: 5,
  шесть: 6,
  семь: 7,
  восемь: 8,
  десять: 10,
};

export const MONTHS: Array<[RegExp, number]> = [
  [/\bjanuary\b|январ\p{L}*/u, 1],
  [/\bfebruary\b|феврал\p{L}*/u, 2],
  [/\bmarch\b|март\p{L}*/u, 3],
  [/\bapril\b|апрел\p{L}*/u, 4],
  [/\bmay\b| (мае|май|мая) /u, 5],
  [/\bjune\b|июн\p{L}*/u, 6],
  [/\bjuly\b|июл\p{L}*/u, 7],
  [/\baugust\b|август\p{L}*/u, 8],
  [/\bseptember\b|сентябр\p{L}*/u, 9],
  [/\boctober\b|октябр\p{L}*/u, 10],
  [/\bnovember\b|ноябр\p{L}*/u, 11],
  [/\bdecember\b|декабр\p{L}*/u, 12],
];

/** Requests the agent must refuse whatever else they say: contact details, secrets, changes. */
export const FORBIDDEN: Array<{ re: RegExp; reason: { en: string; ru: string } }> = [
  {
    re: /password|secret|token|api key|hash|пароль|парол\p{L}*|секрет\p{L}*|токен\p{L}*|ключ\p{L}*\s+api/u,
    reason: {
      en: "Passwords, secrets and channel tokens are never available to analytics.",
      ru: "Пароли, секреты и токены каналов аналитике недоступны.",
    },
  },
  {
    re: /(e-?mail|phone|contact)\s+(address\p{L}*|number\p{L}*|details|info\p{L}*)|addresses of|phone numbers|list of (customers|contacts)|customer (names|emails|phones)|(почт\p{L}*|email|имейл\p{L}*|телефон\p{L}*|контакт\p{L}*|имена|фамили\p{L}*)\s+(клиент\p{L}*|покупател\p{L}*)|номер\p{L}*\s+телефон\p{L}*/u,
    reason: {
      en: "Customers' contact details (names, emails, phones) are personal data and are not shown here.",
      ru: "Контактные данные клиентов (имена, почта, телефоны) — персональные данные, здесь они не показываются.",
    },
  },
  {
    re: /\b(delete|drop|update|insert|remove|change|modify|reset|truncate|alter|grant)\b.{0,40}\b(table|rows?|records?|data|conversations?|operators?|contacts?|database|role|status)|удали\p{L}*|измени\p{L}*|обнови\p{L}*|сбрось\p{L}*|очисти\p{L}*/u,
    reason: {
      en: "The analytics agent only reads data; it cannot change or delete anything.",
      ru: "Аналитический агент только читает данные и ничего не может изменить или удалить.",
    },
  },
  {
    re: /(another|other|different|all)\s+workspaces?|other (tenants?|companies|accounts)|друг\p{L}*\s+(workspace|пространств\p{L}*|компани\p{L}*)|чуж\p{L}*/u,
    reason: {
      en: "Questions can only be about this workspace's own data.",
      ru: "Вопросы возможны только о данных этого рабочего пространства.",
    },
  },
];
