import { defineConfig } from "drizzle-kit";

/** Generates numbered SQL migrations for D1 from workers/db/schema.ts. Never edit a landed migration. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./workers/db/schema.ts",
  out: "./migrations",
});
