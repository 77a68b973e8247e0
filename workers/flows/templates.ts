/**
 * Flow templates: the six industries of seed 003 §7 (each a complete flow plus rules),
 * "from scratch", and the Lev Haolam demo flow with its rules. Every template carries a
 * `script` (customer inputs that walk its main path) so tests and the editor's "try it"
 * run it to an end in the simulator without edits. Texts have Russian variants where the
 * demo audience needs them; other languages fall back to the default text.
 *
 * Over 400 lines: data (eight flow graphs with their rules and scripts), not logic.
 */
import {
  FlowGraph,
  RuleDefinition,
  type FlowEdge,
  type FlowGraphInput,
  type NodeOf,
  type RuleDefinitionInput,
} from "../protocol/flows.ts";
import type { SimInput } from "./simulate.ts";

export interface FlowTemplate {
  id: string;
  name: string;
  industry: string;
  description: string;
  graph: FlowGraph;
  rules: RuleDefinition[];
  script: SimInput[];
}

const t = (text: string, ru?: string) => ({ text, translations: ru ? { ru } : {} });

type NodeInput = FlowGraphInput["nodes"][number];

/** Lays nodes out in a column so the editor opens a template readable, then wires edges. */
function build(
  start: string,
  nodes: NodeInput[],
  edges: Array<[from: string, to: string, on?: string]>,
  extra: Partial<FlowGraphInput> = {},
): FlowGraph {
  const placed = nodes.map((n, i) => ({ ...n, position: n.position ?? { x: 80 + (i % 3) * 280, y: 60 + i * 110 } }));
  const es: FlowEdge[] = edges.map(([from, to, on], i) => ({ id: `e${i + 1}`, from, to, ...(on ? { on } : {}) }));
  return FlowGraph.parse({ start, nodes: placed, edges: es, ...extra });
}

const rules = (...r: RuleDefinitionInput[]) => r.map((x) => RuleDefinition.parse(x));

const nudgeRules = (minutes: number, text: string) =>
  rules(
    {
      name: `Customer idle ${minutes} min: nudge`,
      event: { kind: "customer_idle", minutes },
      conditions: [
        { field: "last_reply_by", op: "neq", value: "rule" },
        { field: "owner", op: "eq", value: "bot" },
      ],
      actions: [{ type: "send_message", text: t(text) }],
    },
    {
      name: `Customer idle ${minutes} min after the nudge: resolve`,
      event: { kind: "customer_idle", minutes },
      conditions: [{ field: "last_reply_by", op: "eq", value: "rule" }],
      actions: [{ type: "resolve" }],
    },
  );

const handoffNode = (id: string, reason: NodeOf<"handoff">["reason"], text: string): NodeInput => ({
  id,
  type: "handoff",
  reason,
  text: t(text, "Подключаю оператора, минутку."),
});

const ecommerce: FlowTemplate = {
  id: "ecommerce",
  name: "E-commerce: order status, returns, delivery",
  industry: "ecommerce",
  description:
    "A menu for order status (order number then the shipping agent), returns (a short form) and delivery info.",
  graph: build(
    "menu",
    [
      {
        id: "menu",
        type: "buttons",
        text: t("Hi! What can we help you with?", "Здравствуйте! Чем можем помочь?"),
        buttons: [
          { id: "status", title: t("Order status", "Статус заказа") },
          { id: "return", title: t("Return an item", "Вернуть товар") },
          { id: "delivery", title: t("Delivery info", "Доставка") },
          { id: "human", title: t("Talk to a person", "Позвать оператора") },
        ],
      },
      {
        id: "order",
        type: "form",
        fields: [
          { name: "order_number", kind: "text", prompt: t("Your order number?", "Номер заказа?"), min: 3, max: 40 },
        ],
      },
      { id: "track", type: "ai", category: "shipping_inquiry", goal: "Tell the status of order {{order_number}}" },
      {
        id: "return_form",
        type: "form",
        fields: [
          { name: "order_number", kind: "text", prompt: t("Which order is it?", "Какой заказ?"), min: 3, max: 40 },
          {
            name: "return_reason",
            kind: "choice",
            prompt: t("Why are you returning it?", "Причина возврата?"),
            options: ["Damaged", "Wrong size", "Changed my mind"],
          },
          { name: "email", kind: "email", prompt: t("Where should we send the return label?", "Куда прислать ярлык?") },
        ],
        invalidText: t("Sorry, I did not get that.", "Не понял ответ."),
      },
      {
        id: "return_done",
        type: "end",
        text: t("Return for {{order_number}} ({{return_reason}}) registered; the label goes to {{email}}."),
      },
      {
        id: "delivery_info",
        type: "message",
        text: t(
          "We ship within 2 business days; delivery takes 5–10 days.",
          "Отправляем за 2 рабочих дня, доставка 5–10 дней.",
        ),
      },
      {
        id: "more",
        type: "buttons",
        text: t("Anything else?", "Что-то ещё?"),
        buttons: [
          { id: "yes", title: t("Yes", "Да") },
          { id: "no", title: t("No, thanks", "Нет, спасибо") },
        ],
      },
      { id: "bye", type: "end", text: t("Have a great day!", "Хорошего дня!") },
      handoffNode("human_handoff", "customer_request", "Connecting you with a colleague."),
    ],
    [
      ["menu", "order", "status"],
      ["menu", "return_form", "return"],
      ["menu", "delivery_info", "delivery"],
      ["menu", "human_handoff", "human"],
      ["order", "track"],
      ["track", "more", "done"],
      ["track", "human_handoff", "handoff"],
      ["return_form", "return_done"],
      ["delivery_info", "more"],
      ["more", "menu", "yes"],
      ["more", "bye", "no"],
    ],
    { triggers: [{ kind: "first_message" }] },
  ),
  rules: [
    ...nudgeRules(24 * 60, "Are you still there? Reply here and we will pick it up."),
    ...rules({
      name: "Low CSAT: tag and raise priority",
      event: { kind: "csat_received" },
      conditions: [{ field: "csat", op: "lt", value: "3" }],
      actions: [
        { type: "add_tags", tags: ["unhappy"] },
        { type: "set_priority", priority: "high" },
      ],
    }),
  ],
  script: [{ button: "Return an item" }, "A-1001", "2", "me@example.com"],
};

const services: FlowTemplate = {
  id: "services",
  name: "Services: booking and rescheduling",
  industry: "services",
  description: "Book an appointment, move one, or reach a person; a reminder rule nudges unfinished bookings.",
  graph: build(
    "menu",
    [
      {
        id: "menu",
        type: "buttons",
        text: t("Would you like to book or change an appointment?", "Записаться или перенести запись?"),
        buttons: [
          { id: "book", title: t("Book", "Записаться") },
          { id: "move", title: t("Reschedule", "Перенести") },
          { id: "cancel", title: t("Cancel a booking", "Отменить запись") },
        ],
      },
      {
        id: "booking",
        type: "form",
        fields: [
          {
            name: "service",
            kind: "choice",
            prompt: t("Which service?", "Какая услуга?"),
            options: ["Consultation", "Repair", "Maintenance"],
          },
          { name: "date", kind: "date", prompt: t("Which day (YYYY-MM-DD)?", "Какой день (ГГГГ-ММ-ДД)?") },
          { name: "phone", kind: "phone", prompt: t("A phone number to confirm?", "Телефон для подтверждения?") },
        ],
        invalidText: t("That does not look right, please try again.", "Похоже, ошибка — попробуйте ещё раз."),
      },
      { id: "booked", type: "end", text: t("Booked: {{service}} on {{date}}. We will call {{phone}} to confirm.") },
      {
        id: "reschedule",
        type: "form",
        fields: [
          { name: "booking_ref", kind: "text", prompt: t("Your booking reference?", "Номер записи?") },
          { name: "date", kind: "date", prompt: t("The new day (YYYY-MM-DD)?", "Новый день (ГГГГ-ММ-ДД)?") },
        ],
      },
      { id: "moved", type: "end", text: t("Booking {{booking_ref}} moved to {{date}}.") },
      handoffNode("cancel_handoff", "customer_request", "A colleague will cancel it for you."),
    ],
    [
      ["menu", "booking", "book"],
      ["menu", "reschedule", "move"],
      ["menu", "cancel_handoff", "cancel"],
      ["booking", "booked"],
      ["reschedule", "moved"],
    ],
    { triggers: [{ kind: "first_message" }] },
  ),
  rules: nudgeRules(30, "Shall we finish your booking? Just reply here."),
  script: [{ button: "Book" }, "Repair", "2027-01-15", "+972 50 123 4567"],
};

const b2b: FlowTemplate = {
  id: "b2b_saas",
  name: "B2B / SaaS: lead qualification and demo booking",
  industry: "b2b_saas",
  description: "Qualifies a lead (company, size, email); large teams go straight to sales, others can book a demo.",
  graph: build(
    "intro",
    [
      {
        id: "intro",
        type: "message",
        text: t("Hi! Let me ask three quick questions.", "Здравствуйте! Три коротких вопроса."),
      },
      {
        id: "qualify",
        type: "form",
        fields: [
          { name: "company", kind: "text", prompt: t("Your company?", "Ваша компания?") },
          {
            name: "team_size",
            kind: "number",
            prompt: t("How many people on your support team?", "Сколько человек в поддержке?"),
            min: 1,
            max: 100000,
          },
          { name: "email", kind: "email", prompt: t("Your work email?", "Рабочая почта?") },
        ],
        invalidText: t("Please check that answer.", "Проверьте ответ."),
      },
      {
        id: "size",
        type: "condition",
        branches: [{ id: "large", when: [{ subject: "variable", key: "team_size", op: "gt", value: "50" }] }],
      },
      {
        id: "handoff_sales",
        type: "handoff",
        reason: "sales_lead",
        teamId: "sales",
        note: "{{company}}, {{team_size}} agents, {{email}}",
        text: t("Thanks! Our sales team will join this chat."),
      },
      {
        id: "offer",
        type: "buttons",
        text: t("Would you like a demo?", "Хотите демо?"),
        buttons: [
          { id: "demo", title: t("Book a demo", "Записаться на демо") },
          { id: "docs", title: t("Just the docs", "Только документация") },
        ],
      },
      {
        id: "demo_form",
        type: "form",
        fields: [{ name: "demo_date", kind: "date", prompt: t("Which day suits you (YYYY-MM-DD)?") }],
      },
      { id: "demo_done", type: "end", text: t("Demo booked for {{demo_date}}; the invite goes to {{email}}.") },
      { id: "docs_done", type: "end", text: t("Here you go: https://docs.example.com. Write any time!") },
    ],
    [
      ["intro", "qualify"],
      ["qualify", "size"],
      ["size", "handoff_sales", "large"],
      ["size", "offer", "else"],
      ["offer", "demo_form", "demo"],
      ["offer", "docs_done", "docs"],
      ["demo_form", "demo_done"],
    ],
    { triggers: [{ kind: "page", urlContains: "/pricing" }, { kind: "first_message" }] },
  ),
  rules: rules({
    name: "Operator idle 5 min: reassign",
    event: { kind: "operator_idle", minutes: 5, businessHoursOnly: true },
    actions: [{ type: "assign", to: "round_robin" }],
  }),
  script: ["Acme", "12", "ops@acme.test", { button: "Book a demo" }, "2027-02-01"],
};

const finance: FlowTemplate = {
  id: "finance_insurance",
  name: "Finance / insurance: claim intake with identity check",
  industry: "finance_insurance",
  description:
    "Checks the policy holder's email against the contact on file, then takes the claim; a mismatch or a breach escalates.",
  graph: build(
    "ask_identity",
    [
      {
        id: "ask_identity",
        type: "form",
        fields: [
          { name: "policy_number", kind: "text", prompt: t("Your policy number?", "Номер полиса?"), min: 4, max: 30 },
          { name: "email", kind: "email", prompt: t("The email on your policy?", "Почта, указанная в полисе?") },
        ],
      },
      {
        id: "verify",
        type: "condition",
        branches: [
          { id: "match", when: [{ subject: "contact", key: "email", op: "eq", value: "{{email}}" }] },
          { id: "unknown", when: [{ subject: "contact", key: "email", op: "not_exists" }] },
        ],
      },
      {
        id: "claim",
        type: "form",
        fields: [
          {
            name: "incident_date",
            kind: "date",
            prompt: t("When did it happen (YYYY-MM-DD)?", "Когда это случилось?"),
          },
          { name: "description", kind: "text", prompt: t("What happened?", "Что случилось?"), min: 5 },
        ],
      },
      {
        id: "claim_done",
        type: "end",
        text: t("Claim for policy {{policy_number}} registered. We reply within 2 business days."),
      },
      handoffNode("identity_handoff", "identity_check", "I could not verify your identity; a colleague will help."),
    ],
    [
      ["ask_identity", "verify"],
      ["verify", "claim", "match"],
      ["verify", "claim", "unknown"],
      ["verify", "identity_handoff", "else"],
      ["claim", "claim_done"],
    ],
    { triggers: [{ kind: "keyword", keywords: ["claim", "insurance", "страховой случай"] }] },
  ),
  rules: rules({
    name: "SLA breached: escalate",
    event: { kind: "sla_breached" },
    actions: [{ type: "escalate" }, { type: "set_priority", priority: "urgent" }],
  }),
  script: ["PL-48213", "holder@example.com", "2026-11-30", "A pipe burst in the kitchen"],
};

const realEstate: FlowTemplate = {
  id: "real_estate",
  name: "Real estate: viewing request and lead capture",
  industry: "real_estate",
  description: "Books a viewing or captures a buyer's criteria; after-hours conversations get tagged for the morning.",
  graph: build(
    "menu",
    [
      {
        id: "menu",
        type: "buttons",
        text: t("Looking to view a property or get new listings?", "Посмотреть объект или получать подборки?"),
        buttons: [
          { id: "view", title: t("Book a viewing", "Записаться на просмотр") },
          { id: "lead", title: t("Send me listings", "Присылать подборки") },
        ],
      },
      {
        id: "viewing",
        type: "form",
        fields: [
          { name: "property_ref", kind: "text", prompt: t("The listing reference?", "Номер объявления?") },
          { name: "date", kind: "date", prompt: t("Preferred day (YYYY-MM-DD)?") },
          { name: "phone", kind: "phone", prompt: t("Your phone?", "Ваш телефон?") },
        ],
      },
      {
        id: "viewing_done",
        type: "end",
        text: t("Viewing of {{property_ref}} requested for {{date}}; an agent will call {{phone}}."),
      },
      {
        id: "lead_form",
        type: "form",
        fields: [
          { name: "email", kind: "email", prompt: t("Your email?") },
          { name: "budget", kind: "number", prompt: t("Budget (in thousands)?"), min: 1 },
          { name: "rooms", kind: "choice", prompt: t("How many rooms?"), options: ["1", "2", "3", "4+"] },
        ],
      },
      {
        id: "lead_done",
        type: "end",
        text: t("Great, listings with {{rooms}} rooms up to {{budget}}k will go to {{email}}."),
      },
    ],
    [
      ["menu", "viewing", "view"],
      ["menu", "lead_form", "lead"],
      ["viewing", "viewing_done"],
      ["lead_form", "lead_done"],
    ],
    { triggers: [{ kind: "first_message" }] },
  ),
  rules: rules({
    name: "New conversation after hours: tag",
    event: { kind: "conversation_created" },
    conditions: [{ field: "business_hours", op: "eq", value: "closed" }],
    actions: [{ type: "add_tags", tags: ["after-hours"] }],
  }),
  script: [{ button: "Send me listings" }, "buyer@example.com", "450", "3"],
};

const education: FlowTemplate = {
  id: "education",
  name: "Education: enrolment questions and schedule",
  industry: "education",
  description: "Enrolment sign-up, the class schedule, and fees questions answered by the AI agent.",
  graph: build(
    "menu",
    [
      {
        id: "menu",
        type: "buttons",
        text: t("Welcome! What would you like to know?", "Добро пожаловать! Что вас интересует?"),
        buttons: [
          { id: "enrol", title: t("Enrolment", "Поступление") },
          { id: "schedule", title: t("Schedule", "Расписание") },
          { id: "fees", title: t("Fees", "Стоимость") },
        ],
      },
      {
        id: "enrol_form",
        type: "form",
        fields: [
          { name: "student_name", kind: "text", prompt: t("Student's name?", "Имя студента?") },
          { name: "email", kind: "email", prompt: t("Contact email?", "Почта для связи?") },
          {
            name: "programme",
            kind: "choice",
            prompt: t("Which programme?", "Какая программа?"),
            options: ["Languages", "Mathematics", "Design"],
          },
        ],
      },
      {
        id: "enrol_done",
        type: "end",
        text: t("Thanks {{student_name}}! The {{programme}} enrolment pack goes to {{email}}."),
      },
      {
        id: "schedule_info",
        type: "message",
        text: t("Classes run Monday to Thursday, 9:00–15:00; the autumn term starts on 1 September."),
      },
      { id: "schedule_done", type: "end" },
      { id: "fees_ai", type: "ai", category: "general_question", goal: "Answer questions about fees" },
      { id: "fees_done", type: "end", text: t("Anything else, just write here.") },
    ],
    [
      ["menu", "enrol_form", "enrol"],
      ["menu", "schedule_info", "schedule"],
      ["menu", "fees_ai", "fees"],
      ["enrol_form", "enrol_done"],
      ["schedule_info", "schedule_done"],
      ["fees_ai", "fees_done"],
    ],
    { triggers: [{ kind: "first_message" }] },
  ),
  rules: nudgeRules(24 * 60, "Do you have any other questions about enrolment?"),
  script: [{ button: "Enrolment" }, "Dana Levi", "dana@example.com", "Design"],
};

const scratch: FlowTemplate = {
  id: "scratch",
  name: "From scratch",
  industry: "none",
  description: "A greeting and an end: start here and build your own.",
  graph: build(
    "hello",
    [
      { id: "hello", type: "message", text: t("Hello! How can we help?") },
      { id: "end", type: "end" },
    ],
    [["hello", "end"]],
  ),
  rules: [],
  script: [],
};

/** The Lev Haolam demo workspace's active flow: a welcome menu in front of the AI agent. */
const levHaolam: FlowTemplate = {
  id: "lev_haolam",
  name: "Lev Haolam: welcome menu",
  industry: "subscription_box",
  description: "Where is my box? / Skip or pause / Something else: each hands the conversation to the right AI agent.",
  graph: build(
    "welcome",
    [
      {
        id: "welcome",
        type: "buttons",
        text: t("Shalom! How can we help with your Lev Haolam box?", "Шалом! Чем помочь с вашей коробкой Lev Haolam?"),
        variable: "topic",
        buttons: [
          { id: "box", title: t("Where is my box?", "Где моя коробка?") },
          { id: "skip", title: t("Skip / pause", "Пропустить / пауза") },
          { id: "other", title: t("Something else", "Другое") },
        ],
      },
      {
        id: "track",
        type: "ai",
        category: "shipping_inquiry",
        goal: "Find the customer's latest box and tell where it is",
      },
      {
        id: "skip_menu",
        type: "buttons",
        text: t(
          "Skip the next box or pause the subscription?",
          "Пропустить следующую коробку или приостановить подписку?",
        ),
        buttons: [
          { id: "skip_next", title: t("Skip next box", "Пропустить коробку") },
          { id: "pause", title: t("Pause", "Пауза") },
        ],
      },
      { id: "skip_ai", type: "ai", category: "skip_month" },
      { id: "pause_ai", type: "ai", category: "pause_subscription" },
      { id: "other_ai", type: "ai" },
      handoffNode("human", "complex_issue", "Let me bring in a colleague."),
      { id: "done", type: "end" },
    ],
    [
      ["welcome", "track", "box"],
      ["welcome", "skip_menu", "skip"],
      ["welcome", "other_ai", "other"],
      ["welcome", "other_ai"],
      ["skip_menu", "skip_ai", "skip_next"],
      ["skip_menu", "pause_ai", "pause"],
      ["track", "done", "done"],
      ["track", "human", "handoff"],
      ["skip_ai", "done", "done"],
      ["pause_ai", "done", "done"],
      ["other_ai", "done", "done"],
    ],
    { triggers: [{ kind: "first_message" }], onReturnToBot: "resume" },
  ),
  rules: rules(
    {
      name: "Operator idle 5 minutes: reassign",
      event: { kind: "operator_idle", minutes: 5, businessHoursOnly: false },
      actions: [{ type: "assign", to: "round_robin" }],
    },
    ...nudgeRules(24 * 60, "Is there anything else we can do for you? We will close this chat tomorrow if not."),
  ),
  script: [{ button: "Skip / pause" }, { button: "Skip next box" }],
};

/** Industry templates in the order the editor lists them, then "from scratch". */
export const TEMPLATES: readonly FlowTemplate[] = [ecommerce, services, b2b, finance, realEstate, education, scratch];

/** The demo workspace's flow (seeded, not listed as a template). */
export const DEMO_FLOW: FlowTemplate = levHaolam;

export function findTemplate(id: string): FlowTemplate | undefined {
  return TEMPLATES.find((x) => x.id === id) ?? (id === DEMO_FLOW.id ? DEMO_FLOW : undefined);
}
