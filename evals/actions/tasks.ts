/**
 * Scripted customer tasks with gold tool calls (tau-bench style): a task passes when the
 * demo store after the engine's run equals the store after replaying the gold actions.
 * Dates are relative to `now` because pause dates must lie in the future.
 */
export interface GoldAction {
  tool: string;
  args: Record<string, unknown>;
}

export interface ActionTask {
  id: string;
  customerEmail: string;
  /** Customer turns, in order; every proposed action is confirmed. */
  messages: string[];
  gold: GoldAction[];
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const DAMAGE = "Hi, I received a damaged item in my last box and also want to skip next month";

/** The task set. John Smith's store (reference 2026-11-01): next box 2026-12-15, latest delivered box LH-10481. */
export function actionTasks(now: Date): ActionTask[] {
  const pauseUntil = iso(now.getTime() + 45 * DAY);
  const john = "john.smith@example.com";
  return [
    {
      id: "skip_next_box",
      customerEmail: john,
      messages: ["Please skip my next box"],
      gold: [{ tool: "skip_next_box", args: { month: "2026-12" } }],
    },
    {
      id: "change_frequency",
      customerEmail: john,
      messages: ["Can you change my deliveries to quarterly?"],
      gold: [{ tool: "change_frequency", args: { frequency: "quarterly" } }],
    },
    {
      id: "pause_until_date",
      customerEmail: john,
      messages: [`I'd like to pause my subscription until ${pauseUntil}`],
      gold: [{ tool: "pause_subscription", args: { until: pauseUntil } }],
    },
    {
      id: "change_address",
      customerEmail: john,
      messages: ["I moved. My new address is 12 Elm Street, Boston, MA 02110, US"],
      gold: [
        {
          tool: "change_address",
          args: { line1: "12 Elm Street", city: "Boston", region: "MA", postalCode: "02110", country: "US" },
        },
      ],
    },
    {
      id: "damage_and_skip",
      customerEmail: john,
      messages: [DAMAGE],
      gold: [
        { tool: "create_damage_claim", args: { orderId: "LH-10481", description: DAMAGE } },
        { tool: "skip_next_box", args: { month: "2026-12" } },
      ],
    },
    {
      id: "frequency_after_question",
      customerEmail: john,
      messages: ["I want to change how often I get boxes", "every two months please"],
      gold: [{ tool: "change_frequency", args: { frequency: "bimonthly" } }],
    },
    {
      id: "cancel_gets_offer_and_link_only",
      customerEmail: john,
      messages: ["I want to cancel my subscription", "No thanks, I still want to cancel"],
      gold: [],
    },
  ];
}
