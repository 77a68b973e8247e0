import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Applies the D1 migrations before the tests of each file; idempotent.
const migrations = (env as unknown as { TEST_MIGRATIONS: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS;
await applyD1Migrations(env.DB, migrations);
