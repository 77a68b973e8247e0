/**
 * Seeds the "Lev Haolam" demo workspace (local development only). Idempotent: a second
 * run finds the workspace by slug and does nothing. Also used by tests to create
 * additional isolated workspaces with `createWorkspace`.
 */
import { eq } from "drizzle-orm";
import { rawDb, schema, TenantDb } from "../client.ts";
import { hashPassword } from "../../lib/password.ts";
import { encryptJson, encryptSecret } from "../../lib/secrets.ts";
import { WorkspaceSettingsSchema } from "../../protocol/settings.ts";
import { DEMO_CATEGORIES } from "./categories.ts";
import { generateStore } from "./store.ts";

export const DEMO_WORKSPACE_ID = "ws_demo";
export const DEMO_WIDGET_KEY = "demo-widget-key";
export const DEMO_IDENTITY_SECRET = "dev-identity-secret";
export const DEMO_LOGINS = {
  admin: { email: "admin@demo.test", password: "demo-admin-password" },
  operator: { email: "operator@demo.test", password: "demo-operator-password" },
  analyst: { email: "analyst@demo.test", password: "demo-analyst-password" },
} as const;

export interface NewWorkspace {
  id: string;
  name: string;
  slug: string;
  widgetKey: string;
  operators: Array<{
    id: string;
    email: string;
    password: string;
    name: string;
    handle: string;
    role: "owner" | "admin" | "operator" | "analyst";
    skills?: string[];
    languages?: string[];
    maxConcurrent?: number;
  }>;
}

/** Creates a workspace with its operators and the ten default categories. */
export async function createWorkspace(env: Env, w: NewWorkspace, encryptionKey: string): Promise<TenantDb> {
  const db = rawDb(env.DB);
  const settings = WorkspaceSettingsSchema.parse({
    businessHours: {
      timeZone: "Asia/Jerusalem",
      weekly: {
        "0": [{ open: "09:00", close: "18:00" }],
        "1": [{ open: "09:00", close: "18:00" }],
        "2": [{ open: "09:00", close: "18:00" }],
        "3": [{ open: "09:00", close: "18:00" }],
        "4": [{ open: "09:00", close: "18:00" }],
        "5": [{ open: "09:00", close: "13:00" }],
      },
      holidays: [],
    },
    sla: {
      firstResponseMinutes: { low: 240, normal: 60, high: 15, urgent: 5 },
      resolutionMinutes: { low: 2880, normal: 1440, high: 480, urgent: 120 },
      businessHoursOnly: false,
    },
    widget: {
      primaryColor: "#0f766e",
      position: "right",
      title: `${w.name} support`,
      greeting: "Shalom! How can we help you today?",
      showPoweredBy: true,
      launcherIcon: "chat",
    },
  });
  await db.insert(schema.workspaces).values({
    id: w.id,
    name: w.name,
    slug: w.slug,
    widgetKey: w.widgetKey,
    settings,
    identitySecretEnc: await encryptSecret(DEMO_IDENTITY_SECRET, encryptionKey),
  });
  const tdb = new TenantDb(db, w.id);
  for (const o of w.operators) {
    await tdb.insert(schema.operators, {
      id: o.id,
      email: o.email,
      name: o.name,
      handle: o.handle,
      role: o.role,
      passwordHash: await hashPassword(o.password),
      skills: o.skills ?? [],
      languages: o.languages ?? ["en"],
      maxConcurrent: o.maxConcurrent ?? 5,
    });
  }
  await tdb.insert(
    schema.categories,
    DEMO_CATEGORIES.map((c) => ({
      id: `cat_${w.id}_${c.key}`,
      key: c.key,
      name: c.name,
      instructions: c.instructions,
      allowedTools: c.allowedTools,
      provider: "local",
      model: c.model,
      reasoningLevel: c.reasoningLevel,
      autoSend: c.autoSend,
      retentionOffer: c.retentionOffer,
    })),
  );
  await tdb.insert(
    schema.categoryVersions,
    DEMO_CATEGORIES.map((c) => ({
      id: `catv_${w.id}_${c.key}_1`,
      categoryKey: c.key,
      version: 1,
      snapshot: {
        name: c.name,
        instructions: c.instructions,
        allowedTools: c.allowedTools,
        provider: "local",
        model: c.model,
        reasoningLevel: c.reasoningLevel,
        autoSend: c.autoSend,
        retentionOffer: c.retentionOffer,
      },
    })),
  );
  await tdb.insert(schema.inboxes, { id: `${w.id}_widget`, name: "Website widget", channel: "widget", settings: {} });
  return tdb;
}

export interface SeedResult {
  created: boolean;
  workspaceId: string;
}

export async function seedDemoWorkspace(env: Env, encryptionKey: string, reference = new Date()): Promise<SeedResult> {
  const db = rawDb(env.DB);
  const existing = await db.select().from(schema.workspaces).where(eq(schema.workspaces.id, DEMO_WORKSPACE_ID)).get();
  if (existing) return { created: false, workspaceId: existing.id };

  const tdb = await createWorkspace(
    env,
    {
      id: DEMO_WORKSPACE_ID,
      name: "Lev Haolam",
      slug: "lev-haolam",
      widgetKey: DEMO_WIDGET_KEY,
      operators: [
        {
          id: "op_admin",
          email: DEMO_LOGINS.admin.email,
          password: DEMO_LOGINS.admin.password,
          name: "Avi Admin",
          handle: "avi",
          role: "admin",
          skills: ["cancel_subscription", "payment_issue", "other"],
          languages: ["en", "he"],
          maxConcurrent: 3,
        },
        {
          id: "op_operator",
          email: DEMO_LOGINS.operator.email,
          password: DEMO_LOGINS.operator.password,
          name: "Noa Operator",
          handle: "noa",
          role: "operator",
          skills: ["shipping_inquiry", "damaged_item", "change_address", "skip_month", "general_question"],
          languages: ["en", "he"],
          maxConcurrent: 5,
        },
        {
          id: "op_olga",
          email: "olga@demo.test",
          password: "demo-olga-password",
          name: "Olga Smirnova",
          handle: "olga",
          role: "operator",
          skills: ["payment_issue", "cancel_subscription", "pause_subscription"],
          languages: ["ru", "en"],
          maxConcurrent: 4,
        },
        {
          id: "op_lucia",
          email: "lucia@demo.test",
          password: "demo-lucia-password",
          name: "Lucía Fernández",
          handle: "lucia",
          role: "operator",
          skills: ["shipping_inquiry", "general_question", "change_frequency"],
          languages: ["es", "fr", "en"],
          maxConcurrent: 5,
        },
        {
          id: "op_analyst",
          email: DEMO_LOGINS.analyst.email,
          password: DEMO_LOGINS.analyst.password,
          name: "Dana Analyst",
          handle: "dana",
          role: "analyst",
          languages: ["en"],
        },
      ],
    },
    encryptionKey,
  );

  await tdb.insert(schema.teams, [
    { id: "team_tier1", name: "Tier 1" },
    { id: "team_billing", name: "Billing & retention" },
  ]);
  await tdb.insert(schema.teamMembers, [
    { teamId: "team_tier1", operatorId: "op_operator" },
    { teamId: "team_tier1", operatorId: "op_lucia" },
    { teamId: "team_billing", operatorId: "op_olga" },
    { teamId: "team_billing", operatorId: "op_admin" },
  ]);
  await tdb.insert(schema.cannedResponses, [
    {
      id: "canned_hello",
      shortCode: "hello",
      content:
        "Hi {{contact.name|there}}, thanks for reaching out to Lev Haolam! I'm {{operator.name}} and I'll help you today.",
    },
    {
      id: "canned_nextbox",
      shortCode: "nextbox",
      content: "Your next box ships on {{subscription.next_box|the 15th of next month}}.",
    },
    {
      id: "canned_tracking",
      shortCode: "tracking",
      content:
        "Parcels from Israel usually take 7–14 business days. You can follow yours with the tracking link in your shipping email.",
    },
    {
      id: "canned_bye",
      shortCode: "bye",
      content: "Glad I could help, {{contact.name|friend}}! Have a wonderful day. Shalom!",
    },
  ]);
  await tdb.insert(schema.inboxes, [
    {
      id: "demo-telegram",
      name: "Telegram bot",
      channel: "telegram",
      settings: { botUsername: "levhaolam_demo_bot" },
      secretsEnc: await encryptJson(
        { botToken: "123456789:dev-telegram-bot-token-not-real", secretToken: "dev-telegram-secret" },
        encryptionKey,
      ),
    },
    {
      id: "demo-whatsapp",
      name: "WhatsApp Business",
      channel: "whatsapp",
      settings: { phoneNumberId: "106540352242922" },
      secretsEnc: await encryptJson(
        { accessToken: "dev-whatsapp-access-token", appSecret: "dev-meta-app-secret", verifyToken: "dev-verify-token" },
        encryptionKey,
      ),
    },
    {
      id: "demo-messenger",
      name: "Facebook page",
      channel: "messenger",
      settings: { pageId: "1234567890123" },
      secretsEnc: await encryptJson(
        {
          pageAccessToken: "dev-messenger-page-token",
          appSecret: "dev-meta-app-secret",
          verifyToken: "dev-verify-token",
        },
        encryptionKey,
      ),
    },
    {
      id: "demo-email",
      name: "support@levhaolam.test",
      channel: "email",
      settings: { address: "support@levhaolam.test", fromName: "Lev Haolam Support" },
    },
  ]);
  // The demo address counts as verified (workers/services/email-claims.ts).
  await tdb.db
    .insert(schema.emailAddressClaims)
    .values({
      inboxId: "demo-email",
      workspaceId: DEMO_WORKSPACE_ID,
      address: "support@levhaolam.test",
      expiresAt: 0,
      verifiedAt: 0,
    })
    .onConflictDoNothing();

  const store = generateStore(reference);
  await tdb.insert(schema.storeCustomers, store.customers);
  await tdb.insert(schema.storeSubscriptions, store.subscriptions);
  await tdb.insert(schema.storeOrders, store.orders);
  await tdb.insert(schema.storeShipments, store.shipments);
  await tdb.insert(schema.storePayments, store.payments);
  return { created: true, workspaceId: DEMO_WORKSPACE_ID };
}
