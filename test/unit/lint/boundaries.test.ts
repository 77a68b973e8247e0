/**
 * The folder boundaries are enforced by `npm run lint`: ESLint (the repository's own
 * eslint.config.js) reports a deliberate cross-boundary import and an import cycle, and
 * accepts the same code when the import stays inside what the folder's README allows.
 * Lints source text under a virtual file name, so nothing is written to the tree.
 */
import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe("lint boundaries", () => {
  it("fails the widget importing server code beyond workers/protocol", async () => {
    const code = 'import { rawDb } from "../../workers/db/client.ts";\nexport const x = rawDb;\n';
    expect(await ruleIds(code, "widget/src/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
  });

  it("accepts the widget importing workers/protocol", async () => {
    const code = 'import { ClientFrame } from "../../workers/protocol/frames.ts";\nexport const x = ClientFrame;\n';
    expect(await ruleIds(code, "widget/src/boundary-probe.ts")).toEqual([]);
  });

  it("fails the dashboard importing a Durable Object or the database", async () => {
    const code = 'import { Presence } from "../../durable-objects/presence.ts";\nexport const x = Presence;\n';
    expect(await ruleIds(code, "dashboard/src/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
  });

  it("keeps the intake's internals in its folder: the journal format may be imported, the store may not", async () => {
    const store =
      'import { IntakeStore } from "../../durable-objects/intake/store.ts";\nexport const x = IntakeStore;\n';
    expect(await ruleIds(store, "workers/api/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
    const journal =
      'import { toIntakeEvents } from "../../durable-objects/intake/journal.ts";\nexport const x = toIntakeEvents;\n';
    expect(await ruleIds(journal, "workers/api/boundary-probe.ts")).toEqual([]);
  });

  it("fails runtime code importing tests, and unit tests importing bench/", async () => {
    const fromTest = 'import { call } from "../../test/workers/helpers.ts";\nexport const x = call;\n';
    expect(await ruleIds(fromTest, "workers/lib/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
    const fromBench = 'import { summarize } from "../../../bench/lib/stats.mjs";\nexport const x = summarize;\n';
    expect(await ruleIds(fromBench, "test/unit/lint/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
  });

  it("fails a pure rule module importing the objects or the API", async () => {
    const code = 'import { createApiApp } from "../../workers/api/app.ts";\nexport const x = createApiApp;\n';
    expect(await ruleIds(code, "durable-objects/lib/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
  });

  it("keeps channel adapters to workers/lib and workers/protocol, in every channel folder and at the top", async () => {
    const db = (depth: string) => `import { schema } from "${depth}db/client.ts";\nexport const x = schema;\n`;
    for (const file of [
      "workers/channels/email/boundary-probe.ts",
      "workers/channels/telegram/boundary-probe.ts",
      "workers/channels/common/boundary-probe.ts",
    ]) {
      expect(await ruleIds(db("../../"), file)).toContain("import-x/no-restricted-paths");
    }
    expect(await ruleIds(db("../"), "workers/channels/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
    const lib = 'import { newId } from "../../lib/ids.ts";\nexport const x = newId;\n';
    expect(await ruleIds(lib, "workers/channels/email/boundary-probe.ts")).toEqual([]);
  });

  it("lets only the email glue (handler.ts, reply.ts) reach D1 and the intake, and keeps it out of workers/lib", async () => {
    const journal =
      'import { toIntakeEvents } from "../../../durable-objects/intake/journal.ts";\nexport const x = toIntakeEvents;\n';
    expect(await ruleIds(journal, "workers/channels/email/handler.ts")).toEqual([]);
    const db = 'import { schema } from "../../db/client.ts";\nexport const x = schema;\n';
    expect(await ruleIds(db, "workers/channels/email/reply.ts")).toEqual([]);
    const glue = 'import { receiveEmail } from "../channels/email/handler.ts";\nexport const x = receiveEmail;\n';
    expect(await ruleIds(glue, "workers/lib/boundary-probe.ts")).toContain("import-x/no-restricted-paths");
  });

  it("fails an import cycle", async () => {
    // workers/protocol/frames.ts is imported by workers/protocol/api.ts; importing api.ts back from a
    // module that frames.ts-level code depends on closes a cycle: probe it as frames.ts itself.
    const code = 'import { ConversationSchema } from "./api.ts";\nexport const x = ConversationSchema;\n';
    expect(await ruleIds(code, "workers/protocol/frames.ts")).toContain("import-x/no-cycle");
  });
});
