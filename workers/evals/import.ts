/**
 * Test-set import: the CSV is stored sealed in R2 first, then read back (opened) as a stream and
 * validated and inserted in one pass (cases go in as an invisible "importing" version,
 * 500 per D1 batch). Any row error stops the inserts but not the reading, so the report
 * lists the first errors of the whole file; then everything of the version is deleted,
 * so a refused file leaves nothing behind. At most MAX_ROWS rows.
 */
import { eq } from "drizzle-orm";
import { schema, type TenantDb } from "../db/client.ts";
import { newId } from "../lib/ids.ts";
import { MAX_ROWS, type ColumnMapping, type EvalCase, type ImportIssue } from "../protocol/evals.ts";
import { CsvFormatError, readCsv } from "./csv.ts";
import { resolveMapping, rowToCase, type ResolvedMapping } from "./mapping.ts";
import { openSealed } from "../services/sealed-bucket.ts";

/** A file that cannot be imported; the API answers 400 with `issues` as details. */
export class ImportRefused extends Error {
  override readonly name = "ImportRefused";
  readonly issues: ImportIssue[];
  constructor(message: string, issues: ImportIssue[]) {
    super(message);
    this.issues = issues;
  }
}

const MAX_REPORTED = 50;
/** Rows per D1 batch call: 25 statements of 20 rows (5 bound values per row, 100 per statement). */
const ROWS_PER_STATEMENT = 20;
const STATEMENTS_PER_BATCH = 25;

export interface ImportResult {
  testSetId: string;
  versionId: string;
  version: number;
  rows: number;
  columns: string[];
  mapping: Record<string, string>;
}

async function insertCases(tdb: TenantDb, versionId: string, rows: Array<{ idx: number; c: EvalCase }>): Promise<void> {
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(
      tdb.db.insert(schema.evalCases).values(
        rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => ({
          id: `${versionId}:${r.idx}`,
          workspaceId: tdb.workspaceId,
          versionId,
          idx: r.idx,
          data: JSON.stringify(r.c),
        })),
      ),
    );
  const [first, ...rest] = statements;
  if (first) await tdb.db.batch([first, ...rest]);
}

/** Creates the set (or finds it for a new version) and an invisible version row. */
async function openVersion(
  tdb: TenantDb,
  opts: {
    name: string;
    testSetId?: string;
    source: (typeof schema.evalTestSets.$inferInsert)["source"];
    operatorId: string | null;
  },
): Promise<{ testSetId: string; versionId: string; version: number }> {
  let testSetId = opts.testSetId;
  if (testSetId) {
    const set = await tdb.first(schema.evalTestSets, eq(schema.evalTestSets.id, testSetId));
    if (!set) throw new ImportRefused("No such test set", [{ row: 0, column: null, message: "unknown testSetId" }]);
  } else {
    testSetId = newId("ets");
    await tdb.insert(schema.evalTestSets, {
      id: testSetId,
      name: opts.name,
      source: opts.source,
      createdBy: opts.operatorId,
    });
  }
  const versions = await tdb.select(schema.evalTestSetVersions, eq(schema.evalTestSetVersions.testSetId, testSetId));
  const version = Math.max(0, ...versions.map((v) => v.version)) + 1;
  const versionId = newId("etv");
  await tdb.insert(schema.evalTestSetVersions, { id: versionId, testSetId, version, rows: 0, status: "importing" });
  return { testSetId, versionId, version };
}

/** Makes a fully inserted version visible and the set's latest. */
async function commitVersion(
  tdb: TenantDb,
  v: { testSetId: string; versionId: string; version: number },
  meta: { rows: number; columns: string[]; mapping: Record<string, string>; fileKey: string | null },
): Promise<void> {
  await tdb.update(
    schema.evalTestSetVersions,
    { ...meta, status: "ready" },
    eq(schema.evalTestSetVersions.id, v.versionId),
  );
  await tdb.update(schema.evalTestSets, { latestVersion: v.version }, eq(schema.evalTestSets.id, v.testSetId));
}

/** Removes everything of a refused version (and the set, if this was its first version). */
async function dropVersion(tdb: TenantDb, v: { testSetId: string; versionId: string; version: number }): Promise<void> {
  await tdb.delete(schema.evalCases, eq(schema.evalCases.versionId, v.versionId));
  await tdb.delete(schema.evalTestSetVersions, eq(schema.evalTestSetVersions.id, v.versionId));
  // Version 1 means this import created the set.
  if (v.version === 1) await tdb.delete(schema.evalTestSets, eq(schema.evalTestSets.id, v.testSetId));
}

/**
 * Where an upload waits for its import: under the workspace's prefix in DOCUMENTS, so the
 * re-encryption job after a key rotation finds it with the workspace's other objects.
 */
export function evalUploadKey(workspaceId: string, id: string): string {
  return `${workspaceId}/evals/${id}.csv`;
}

/** Imports a CSV stored sealed in R2 under `fileKey` (see module comment). */
export async function importCsv(
  env: Env,
  tdb: TenantDb,
  fileKey: string,
  opts: {
    name: string;
    testSetId?: string;
    mapping?: ColumnMapping;
    operatorId: string | null;
    source?: "csv" | "demo";
  },
): Promise<ImportResult> {
  const object = await openSealed(env, "DOCUMENTS", tdb.workspaceId, fileKey);
  if (!object) throw new ImportRefused("The upload was not stored", []);
  const bucket = env.DOCUMENTS;
  const v = await openVersion(tdb, { ...opts, source: opts.source ?? "csv" });
  const issues: ImportIssue[] = [];
  let header: string[] | null = null;
  let mapping: ResolvedMapping = {};
  let rows = 0;
  let pending: Array<{ idx: number; c: EvalCase }> = [];
  const seen = new Set<string>();
  try {
    try {
      for await (const rec of readCsv(object.body)) {
        if (!header) {
          header = rec.fields.map((h) => h.trim());
          const resolved = resolveMapping(header, opts.mapping ?? {});
          mapping = resolved.mapping;
          if (resolved.issues.length) {
            issues.push(...resolved.issues);
            break;
          }
          continue;
        }
        rows++;
        if (rows > MAX_ROWS) {
          issues.push({ row: rows, column: null, message: `More than ${MAX_ROWS} rows; split the file` });
          break;
        }
        const r = rowToCase(rows, rec.fields, mapping);
        if (!r.ok) {
          if (issues.length < MAX_REPORTED) issues.push(...r.issues.slice(0, MAX_REPORTED - issues.length));
          continue;
        }
        if (seen.has(r.value.id)) {
          if (issues.length < MAX_REPORTED)
            issues.push({ row: rows, column: "id", message: `duplicate id "${r.value.id}"` });
          continue;
        }
        seen.add(r.value.id);
        if (issues.length) continue;
        pending.push({ idx: rows - 1, c: r.value });
        if (pending.length >= ROWS_PER_STATEMENT * STATEMENTS_PER_BATCH) {
          await insertCases(tdb, v.versionId, pending);
          pending = [];
        }
      }
    } catch (err) {
      if (!(err instanceof CsvFormatError)) throw err;
      issues.push({ row: err.row, column: null, message: err.message });
    }
    if (!header) issues.push({ row: 0, column: null, message: "The file is empty (no header row)" });
    else if (rows === 0 && !issues.length)
      issues.push({ row: 0, column: null, message: "The file has a header but no rows" });
    if (issues.length) throw new ImportRefused("The file cannot be imported", issues.slice(0, MAX_REPORTED));
    await insertCases(tdb, v.versionId, pending);
    const named: Record<string, string> = {};
    for (const [k, i] of Object.entries(mapping))
      if (header && i !== undefined && header[i] !== undefined) named[k] = header[i];
    // The cases now live in D1, where erasure and retention reach them; the uploaded file is a
    // second, plaintext copy of customers' tickets that nothing reads again, so it is not kept.
    await bucket.delete(fileKey);
    await commitVersion(tdb, v, { rows, columns: header ?? [], mapping: named, fileKey: null });
    return {
      testSetId: v.testSetId,
      versionId: v.versionId,
      version: v.version,
      rows,
      columns: header ?? [],
      mapping: named,
    };
  } catch (err) {
    await dropVersion(tdb, v);
    await bucket.delete(fileKey);
    throw err;
  }
}

/** Stores ready-made cases (from conversations, the red-line suite, or typed by hand) as a new version. */
export async function importCases(
  tdb: TenantDb,
  cases: EvalCase[],
  opts: {
    name: string;
    testSetId?: string;
    source: "conversations" | "redlines" | "manual";
    operatorId: string | null;
  },
): Promise<ImportResult> {
  if (!cases.length) throw new ImportRefused("No cases", [{ row: 0, column: null, message: "the set would be empty" }]);
  const v = await openVersion(tdb, opts);
  try {
    for (let i = 0; i < cases.length; i += ROWS_PER_STATEMENT * STATEMENTS_PER_BATCH)
      await insertCases(
        tdb,
        v.versionId,
        cases.slice(i, i + ROWS_PER_STATEMENT * STATEMENTS_PER_BATCH).map((c, j) => ({ idx: i + j, c })),
      );
    await commitVersion(tdb, v, { rows: cases.length, columns: [], mapping: {}, fileKey: null });
  } catch (err) {
    await dropVersion(tdb, v);
    throw err;
  }
  return {
    testSetId: v.testSetId,
    versionId: v.versionId,
    version: v.version,
    rows: cases.length,
    columns: [],
    mapping: {},
  };
}
