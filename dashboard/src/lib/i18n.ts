/**
 * English and Russian UI strings. Keys are English-ish identifiers; a missing Russian
 * string falls back to English so a new screen never shows a raw key.
 */
import { createStore, useStore } from "./store.ts";

export type Lang = "en" | "ru";

const en = {
  appName: "OmniSupport",
  email: "Email", password: "Password", signIn: "Sign in", totpCode: "6-digit code from your authenticator app", verify: "Verify", signOut: "Sign out",
  inbox: "Inbox", reports: "Reports", admin: "Admin", settings: "Settings",
  online: "Online", away: "Away", break: "Break", offline: "Offline",
  status: "Status", channel: "Channel", assignee: "Assignee", team: "Team", category: "Category", tag: "Tag", slaRisk: "SLA risk", all: "All", any: "Any",
  mine: "Mine", unassigned: "Unassigned", atRisk: "At risk", breached: "Breached",
  open: "Open", pending: "Pending", snoozed: "Snoozed", resolved: "Resolved",
  noConversations: "No conversations match these filters.", selectConversation: "Select a conversation (j/k to move, Enter to open).",
  loadMore: "Load more", reply: "Reply", note: "Internal note", send: "Send", addNote: "Add note",
  composerPlaceholder: "Type a reply… “/” for canned responses", notePlaceholder: "Internal note for the team… @handle mentions a colleague",
  transfer: "Transfer", resolve: "Resolve", reopen: "Reopen", snooze: "Snooze", tags: "Tags", priority: "Priority", assignToMe: "Assign to me", returnToBot: "Return to bot",
  transferTo: "Transfer to", operator: "Operator", noteForColleague: "Note for the colleague", cancel: "Cancel", save: "Save", create: "Create", delete: "Delete", apply: "Apply",
  aiAssistant: "AI assistant", draft: "Draft reply", useDraft: "Use draft", summary: "Summary", sentiment: "Sentiment", gate: "Gate", refresh: "Refresh", pendingActions: "Pending actions", approve: "Approve", reject: "Reject", noDraft: "No draft yet.",
  customer: "Customer", identities: "Linked identities", pastConversations: "Past conversations", subscription: "Subscription", noData: "No data",
  shortcuts: "Keyboard shortcuts", shortcutNav: "next / previous conversation", shortcutReply: "reply", shortcutNote: "internal note", shortcutResolve: "resolve", shortcutHelp: "this help", close: "Close",
  notAvailable: "Not available yet on this server", enableNotifications: "Enable notifications", notificationsOn: "Notifications on",
  newConversation: "New conversation", live: "live", connecting: "connecting…", disconnected: "offline",
  operators: "Operators", teams: "Teams", skills: "Skills", capacity: "Capacity", languages: "Languages", role: "Role", name: "Name", handle: "Handle", members: "Members",
  routing: "Routing & SLA", routingMode: "Routing mode", aiMode: "AI mode", businessHours: "Business hours", timeZone: "Time zone", sla: "SLA", firstResponse: "First response (min)", resolution: "Resolution (min)", businessHoursOnly: "Count business hours only", enabled: "Enabled",
  categories: "Categories", instructions: "Instructions", tools: "Allowed tools", model: "Model", provider: "Provider", reasoning: "Reasoning", autoSend: "Auto-send", versions: "Version history", rollback: "Roll back", retentionOffer: "Retention offer",
  inboxes: "Inboxes", secrets: "Secrets (write-only)", webhook: "Webhook URL", configured: "configured",
  widget: "Widget", appearance: "Appearance", preview: "Preview", embedSnippet: "Embed snippet", primaryColor: "Primary color", position: "Position", title: "Title", greeting: "Greeting",
  knowledge: "Knowledge base", upload: "Upload", testSearch: "Test search", search: "Search", chunks: "Chunks", progress: "Progress",
  playground: "Playground", traces: "AI traces", audit: "Audit log", deadLetters: "Dead letters", replay: "Replay", conversationId: "Conversation id", load: "Load",
  from: "From", to: "To", exportCsv: "Export CSV", computedLocally: "Computed in the browser from /api/conversations (the reports endpoint is not available yet).",
  byChannel: "Conversations by channel", firstResponseTime: "First response time", resolutionTime: "Resolution time", operatorLoad: "Operator load", peakHours: "Peak hours", csat: "CSAT", nps: "NPS", abandoned: "Abandoned", aiResolution: "AI resolution", handoff: "Handed to humans", costPerConversation: "Cost per conversation", conversations: "Conversations", median: "median",
  saved: "Saved", error: "Error", loading: "Loading…", language: "Language", theme: "Theme", light: "Light", dark: "Dark", system: "System",
  typing: "typing…", streaming: "AI is writing…", you: "You", bot: "Bot", system_: "System", noteLabel: "Note",
} as const;

export type MsgKey = keyof typeof en;

const ru: Partial<Record<MsgKey, string>> = {
  email: "Эл. почта", password: "Пароль", signIn: "Войти", totpCode: "6-значный код из приложения-аутентификатора", verify: "Подтвердить", signOut: "Выйти",
  inbox: "Входящие", reports: "Отчёты", admin: "Администрирование", settings: "Настройки",
  online: "В сети", away: "Отошёл", break: "Перерыв", offline: "Не в сети",
  status: "Статус", channel: "Канал", assignee: "Исполнитель", team: "Команда", category: "Категория", tag: "Тег", slaRisk: "Риск SLA", all: "Все", any: "Любой",
  mine: "Мои", unassigned: "Без исполнителя", atRisk: "Под угрозой", breached: "Нарушен",
  open: "Открыт", pending: "Ожидает", snoozed: "Отложен", resolved: "Решён",
  noConversations: "Нет диалогов по этим фильтрам.", selectConversation: "Выберите диалог (j/k — перемещение, Enter — открыть).",
  loadMore: "Загрузить ещё", reply: "Ответ", note: "Внутренняя заметка", send: "Отправить", addNote: "Добавить заметку",
  composerPlaceholder: "Введите ответ… «/» — шаблоны", notePlaceholder: "Заметка для команды… @ник — упомянуть коллегу",
  transfer: "Передать", resolve: "Решить", reopen: "Переоткрыть", snooze: "Отложить", tags: "Теги", priority: "Приоритет", assignToMe: "Взять себе", returnToBot: "Вернуть боту",
  transferTo: "Передать", operator: "Оператор", noteForColleague: "Заметка для коллеги", cancel: "Отмена", save: "Сохранить", create: "Создать", delete: "Удалить", apply: "Применить",
  aiAssistant: "AI-ассистент", draft: "Черновик ответа", useDraft: "Использовать", summary: "Резюме", sentiment: "Тональность", gate: "Решение гейта", refresh: "Обновить", pendingActions: "Ожидающие действия", approve: "Одобрить", reject: "Отклонить", noDraft: "Черновика пока нет.",
  customer: "Клиент", identities: "Связанные идентификаторы", pastConversations: "Прошлые диалоги", subscription: "Подписка", noData: "Нет данных",
  shortcuts: "Горячие клавиши", shortcutNav: "следующий / предыдущий диалог", shortcutReply: "ответить", shortcutNote: "заметка", shortcutResolve: "решить", shortcutHelp: "эта справка", close: "Закрыть",
  notAvailable: "Пока недоступно на этом сервере", enableNotifications: "Включить уведомления", notificationsOn: "Уведомления включены",
  newConversation: "Новый диалог", live: "онлайн", connecting: "подключение…", disconnected: "нет связи",
  operators: "Операторы", teams: "Команды", skills: "Навыки", capacity: "Ёмкость", languages: "Языки", role: "Роль", name: "Имя", handle: "Ник", members: "Участники",
  routing: "Маршрутизация и SLA", routingMode: "Режим маршрутизации", aiMode: "Режим AI", businessHours: "Рабочие часы", timeZone: "Часовой пояс", sla: "SLA", firstResponse: "Первый ответ (мин)", resolution: "Решение (мин)", businessHoursOnly: "Только рабочие часы", enabled: "Включено",
  categories: "Категории", instructions: "Инструкции", tools: "Разрешённые инструменты", model: "Модель", provider: "Провайдер", reasoning: "Рассуждение", autoSend: "Автоотправка", versions: "История версий", rollback: "Откатить", retentionOffer: "Удерживающее предложение",
  inboxes: "Каналы", secrets: "Секреты (только запись)", webhook: "URL вебхука", configured: "настроено",
  widget: "Виджет", appearance: "Внешний вид", preview: "Предпросмотр", embedSnippet: "Код для вставки", primaryColor: "Основной цвет", position: "Положение", title: "Заголовок", greeting: "Приветствие",
  knowledge: "База знаний", upload: "Загрузить", testSearch: "Проверить поиск", search: "Искать", chunks: "Фрагменты", progress: "Прогресс",
  playground: "Песочница", traces: "Трассировки AI", audit: "Журнал аудита", deadLetters: "Недоставленные", replay: "Повторить", conversationId: "ID диалога", load: "Загрузить",
  from: "С", to: "По", exportCsv: "Экспорт CSV", computedLocally: "Посчитано в браузере по /api/conversations (эндпоинт отчётов пока недоступен).",
  byChannel: "Диалоги по каналам", firstResponseTime: "Время первого ответа", resolutionTime: "Время решения", operatorLoad: "Нагрузка операторов", peakHours: "Пиковые часы", csat: "CSAT", nps: "NPS", abandoned: "Брошенные", aiResolution: "Решено AI", handoff: "Передано людям", costPerConversation: "Стоимость диалога", conversations: "Диалоги", median: "медиана",
  saved: "Сохранено", error: "Ошибка", loading: "Загрузка…", language: "Язык", theme: "Тема", light: "Светлая", dark: "Тёмная", system: "Системная",
  typing: "печатает…", streaming: "AI пишет…", you: "Вы", bot: "Бот", system_: "Система", noteLabel: "Заметка",
};

function initialLang(): Lang {
  const saved = localStorage.getItem("os.lang");
  if (saved === "en" || saved === "ru") return saved;
  return navigator.language.toLowerCase().startsWith("ru") ? "ru" : "en";
}

export const langStore = createStore<Lang>(initialLang());
langStore.subscribe((l) => {
  localStorage.setItem("os.lang", l);
  document.documentElement.lang = l;
});

export function translate(lang: Lang, key: MsgKey): string {
  return (lang === "ru" ? ru[key] : undefined) ?? en[key];
}

/** `const t = useT(); t("inbox")` — re-renders when the language changes. */
export function useT(): (key: MsgKey) => string {
  const lang = useStore(langStore);
  return (key) => translate(lang, key);
}
