/**
 * Strings of the Ask page and the reports' breakdowns, English and Russian, kept apart
 * from lib/i18n.ts so these screens can grow without touching the shared dictionary.
 */
import { useStore } from "./store.ts";
import { langStore } from "./i18n.ts";

const en = {
  ask: "Ask",
  askTitle: "Ask the analytics agent",
  askPlaceholder: "e.g. AI resolution rate by category last month",
  askButton: "Ask",
  asking: "Thinking…",
  newThread: "New thread",
  showSql: "SQL",
  runSql: "Run SQL",
  rows: "rows",
  refused: "Not answered",
  warnings: "Check",
  layers: "Context used",
  pin: "Pin",
  pinned: "Pinned",
  myDashboard: "My dashboard",
  refresh: "Refresh",
  unpin: "Unpin",
  good: "Good answer",
  bad: "Wrong answer",
  correction: "What was wrong? (an analyst reviews it before the agent learns it)",
  sendCorrection: "Send",
  thanks: "Thanks — proposed for review.",
  closest: "Closest metrics",
  export: "Export",
  trends: "Trends",
  breakdowns: "Breakdowns",
  by: "By",
  drilldown: "Conversations behind this row",
  open: "Open",
  examples: "Try",
  day: "day",
  week: "week",
  month: "month",
  channel: "channel",
  category: "category",
  operator: "operator",
  team: "team",
  tag: "tag",
  language: "language",
  priority: "priority",
};

type Key = keyof typeof en;

const ru: Partial<Record<Key, string>> = {
  ask: "Спросить",
  askTitle: "Вопрос аналитическому агенту",
  askPlaceholder: "например, доля решённых AI по категориям за прошлый месяц",
  askButton: "Спросить",
  asking: "Думаю…",
  newThread: "Новая ветка",
  runSql: "Выполнить SQL",
  rows: "строк",
  refused: "Нет ответа",
  warnings: "Проверьте",
  layers: "Использованный контекст",
  pin: "Закрепить",
  pinned: "Закреплено",
  myDashboard: "Мой дашборд",
  refresh: "Обновить",
  unpin: "Открепить",
  good: "Хороший ответ",
  bad: "Неверный ответ",
  correction: "Что не так? (аналитик проверит, прежде чем агент это выучит)",
  sendCorrection: "Отправить",
  thanks: "Спасибо — отправлено на проверку.",
  closest: "Ближайшие метрики",
  export: "Экспорт",
  trends: "Динамика",
  breakdowns: "Разрезы",
  by: "По",
  drilldown: "Диалоги за этой строкой",
  open: "Открыть",
  examples: "Попробуйте",
  day: "дням",
  week: "неделям",
  month: "месяцам",
  channel: "каналам",
  category: "категориям",
  operator: "операторам",
  team: "командам",
  tag: "тегам",
  language: "языкам",
  priority: "приоритетам",
};

export function useTA(): (key: Key) => string {
  const lang = useStore(langStore);
  return (key) => (lang === "ru" ? ru[key] : undefined) ?? en[key];
}
