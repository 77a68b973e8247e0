/**
 * The SQL guard: every statement the analytics agent runs — written by the semantic
 * parser, an LLM or an admin — passes through `guardSql` first. It must never let a
 * write, another workspace's row, a secret or a runaway query through, so it decides on
 * the parse tree of a real SQL parser (node-sql-parser, SQLite grammar), never on text:
 *
 * - exactly one SELECT (or WITH … SELECT); no RECURSIVE, no parameters, no schema
 *   qualifiers (`main.`, `temp.`), every node type on an allowlist (anything the guard does
 *   not know — PRAGMA, ATTACH, INSERT, a new syntax — is refused);
 * - tables and columns on the allowlist of exposure.ts, functions on FUNCTIONS below;
 * - tenant scope by construction: the canonical SQL regenerated from the tree runs under
 *   `WITH conversations AS (SELECT <allowed columns> FROM main.conversations WHERE
 *   workspace_id = ?) …`, one CTE per table used, so whatever the query's WHERE says it
 *   only sees the caller's rows, and columns that are not exposed (password hashes,
 *   channel secrets) do not exist; personal data is masked in those CTEs for analysts;
 * - bounded: input length, subquery depth, tables per query, no cartesian products, and
 *   an outer LIMIT of rowCap + 1 (the executor reports truncation and enforces time).
 */
import pkg from "node-sql-parser/build/sqlite.js";
import { EXPOSED, EXPOSED_BY_NAME } from "./exposure.ts";

const { Parser } = pkg;
const parser = new Parser();
const OPT = { database: "sqlite" };

export const DEFAULT_ROW_CAP = 5000;
const MAX_SQL_LENGTH = 8000;
const MAX_SELECTS = 12;
const MAX_TABLE_REFS = 8;

export type GuardRole = "owner" | "admin" | "operator" | "analyst";

export type RefusalCode =
  | "empty"
  | "too_long"
  | "parse_error"
  | "multiple_statements"
  | "not_select"
  | "recursive_cte"
  | "schema_qualified"
  | "table_not_allowed"
  | "column_not_allowed"
  | "function_not_allowed"
  | "syntax_not_allowed"
  | "parameters"
  | "too_complex"
  | "cartesian_join"
  | "reserved_name";

export class GuardRefusal extends Error {
  override readonly name = "GuardRefusal";
  readonly code: RefusalCode;
  constructor(code: RefusalCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface GuardContext {
  workspaceId: string;
  role: GuardRole;
  rowCap?: number;
}

export interface GuardedQuery {
  /** The statement to run: scoped CTEs + the canonical query + the row cap. */
  sql: string;
  /** One workspace id per scoped CTE. */
  params: string[];
  /** The canonical form of the query (what the user sees as "the SQL"). */
  canonical: string;
  tables: string[];
  rowCap: number;
}

/** Functions a query may call (lower case). No randomblob/zeroblob/printf (size bombs), no load_extension. */
export const FUNCTIONS = new Set([
  "count",
  "sum",
  "avg",
  "min",
  "max",
  "total",
  "group_concat",
  "round",
  "abs",
  "coalesce",
  "ifnull",
  "nullif",
  "iif",
  "lower",
  "upper",
  "length",
  "substr",
  "substring",
  "trim",
  "ltrim",
  "rtrim",
  "replace",
  "instr",
  "date",
  "time",
  "datetime",
  "strftime",
  "julianday",
  "unixepoch",
  "json_extract",
  "json_array_length",
  "json_type",
  "json_each",
  "exists",
  "row_number",
  "rank",
  "dense_rank",
  "ntile",
  "lag",
  "lead",
  "first_value",
  "last_value",
  "percent_rank",
  "cume_dist",
  "typeof",
]);

/** Table-valued functions allowed in FROM, and the columns they produce. */
const TABLE_FUNCTIONS = new Set(["json_each"]);
const JSON_EACH_COLUMNS = ["key", "value", "type", "atom", "id", "parent", "fullkey", "path"];

/** Parse-tree node types the guard understands; any other node refuses the query. */
const NODE_TYPES = new Set([
  "select",
  "column_ref",
  "number",
  "single_quote_string",
  "string",
  "bool",
  "boolean",
  "null",
  "binary_expr",
  "unary_expr",
  "function",
  "aggr_func",
  "case",
  "when",
  "else",
  "cast",
  "expr_list",
  "star",
  "default",
  "double_quote_string",
  "backticks_quote_string",
  "window",
  "ASC",
  "DESC",
]);

const SQLITE_INTERNAL = /^(sqlite_|pragma_)/i;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Every object in the tree, depth first. */
function* nodes(v: unknown): Generator<Node> {
  if (Array.isArray(v)) {
    for (const x of v) yield* nodes(x);
  } else if (isNode(v)) {
    yield v;
    for (const x of Object.values(v)) yield* nodes(x);
  }
}

function identifier(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (isNode(v)) {
    if (typeof v.value === "string") return v.value;
    if (isNode(v.expr)) return identifier(v.expr);
  }
  return null;
}

function functionName(n: Node): string | null {
  if (n.type === "aggr_func") return str(n.name);
  const name = n.name;
  if (isNode(name) && Array.isArray(name.name)) {
    const parts = name.name.map(identifier).filter((x): x is string => x !== null);
    if (parts.length !== 1) return null;
    return parts[0] ?? null;
  }
  return str(name);
}

/** Parses and checks a statement; throws GuardRefusal with a reason a person can read. */
export function guardSql(text: string, ctx: GuardContext): GuardedQuery {
  const rowCap = Math.max(1, Math.min(ctx.rowCap ?? DEFAULT_ROW_CAP, DEFAULT_ROW_CAP));
  const sqlText = text.trim().replace(/;\s*$/, "");
  if (!sqlText) throw new GuardRefusal("empty", "The query is empty.");
  if (sqlText.length > MAX_SQL_LENGTH)
    throw new GuardRefusal("too_long", `The query is longer than ${MAX_SQL_LENGTH} characters.`);
  if (sqlText.includes("\u0000")) throw new GuardRefusal("parse_error", "The query contains a NUL character.");
  // The parser reads backslash escapes (MySQL style) that SQLite does not have, so the same
  // text would mean different things to the guard and to D1: refuse rather than guess.
  if (sqlText.includes("\\")) throw new GuardRefusal("syntax_not_allowed", "Backslashes are not allowed in queries.");

  let parsed: ReturnType<typeof parser.astify>;
  try {
    parsed = parser.astify(sqlText, OPT);
  } catch {
    throw new GuardRefusal("parse_error", "The query could not be parsed as a single SQLite SELECT statement.");
  }
  const statements = Array.isArray(parsed) ? parsed : [parsed];
  if (statements.length !== 1) throw new GuardRefusal("multiple_statements", "Only one statement is allowed.");
  const ast = statements[0];
  if (!isNode(ast) || ast.type !== "select")
    throw new GuardRefusal("not_select", "Only SELECT queries are allowed; nothing can be changed from here.");

  // CTE names defined by the query itself, and the aliases it introduces.
  const cteNames = new Set<string>();
  const aliases = new Set<string>(JSON_EACH_COLUMNS);
  let selects = 0;
  for (const n of nodes(ast)) {
    const type = str(n.type);
    if (type === "origin" || type === "param" || type === "var")
      throw new GuardRefusal("parameters", "Parameters and variables are not allowed.");
    if (type !== null && !NODE_TYPES.has(type))
      throw new GuardRefusal("syntax_not_allowed", `This kind of SQL (${type}) is not allowed here.`);
    if (type === "select") selects++;
    if (Array.isArray(n.with)) {
      for (const w of n.with) {
        if (!isNode(w)) continue;
        if (w.recursive === true) throw new GuardRefusal("recursive_cte", "Recursive CTEs are not allowed.");
        const name = identifier(w.name)?.toLowerCase();
        if (!name) continue;
        if (EXPOSED_BY_NAME.has(name) || SQLITE_INTERNAL.test(name))
          throw new GuardRefusal("reserved_name", `"${name}" cannot be used as a CTE name.`);
        cteNames.add(name);
        if (Array.isArray(w.columns)) for (const c of w.columns) addAlias(aliases, identifier(c));
      }
    }
    if ("as" in n) addAlias(aliases, identifier(n.as));
  }
  if (selects > MAX_SELECTS) throw new GuardRefusal("too_complex", "The query nests too many SELECTs.");

  const used = new Set<string>();
  let tableRefs = 0;
  for (const n of nodes(ast)) {
    if (n.type === "select" && Array.isArray(n.from)) {
      n.from.forEach((f, i) => {
        if (!isNode(f)) return;
        tableRefs++;
        if (i > 0) checkJoin(f);
        if ("table" in f && f.table !== undefined) {
          if (f.db) throw new GuardRefusal("schema_qualified", "Schema-qualified tables are not allowed.");
          const name = (identifier(f.table) ?? "").toLowerCase();
          if (cteNames.has(name)) return;
          if (!EXPOSED_BY_NAME.has(name))
            throw new GuardRefusal(
              "table_not_allowed",
              `The table "${name}" is not available. Available: ${EXPOSED.map((t) => t.name).join(", ")}.`,
            );
          used.add(name);
        } else if (isNode(f.expr) && (f.expr.type === "function" || f.expr.type === "aggr_func")) {
          const fn = functionName(f.expr)?.toLowerCase() ?? "";
          if (!TABLE_FUNCTIONS.has(fn))
            throw new GuardRefusal("function_not_allowed", `The table function "${fn}" is not allowed.`);
        }
      });
    }
    if (n.type === "function" || n.type === "aggr_func") {
      const fn = functionName(n)?.toLowerCase();
      if (!fn || !FUNCTIONS.has(fn))
        throw new GuardRefusal("function_not_allowed", `The function "${fn ?? "?"}" is not allowed.`);
    }
  }
  if (tableRefs > MAX_TABLE_REFS) throw new GuardRefusal("too_complex", `At most ${MAX_TABLE_REFS} tables per query.`);

  const known = new Set<string>(aliases);
  for (const t of EXPOSED) for (const c of t.columns) known.add(c.name);
  for (const n of nodes(ast)) {
    if (n.type !== "column_ref") continue;
    const col = identifier(n.column);
    if (col === null || col === "*") continue;
    if (!known.has(col.toLowerCase()))
      throw new GuardRefusal("column_not_allowed", `The column "${col}" is not available.`);
  }

  // What runs is the SQL regenerated from the checked tree (comments and tricks gone), and
  // only if it is a fixed point: parsing it again gives the same text, so the tree that was
  // checked is the tree D1 will execute.
  let canonical: string;
  try {
    canonical = parser.sqlify(ast, OPT);
    const again = parser.astify(canonical, OPT);
    if (Array.isArray(again) || parser.sqlify(again, OPT) !== canonical) throw new Error("not a fixed point");
  } catch {
    throw new GuardRefusal("parse_error", "The query could not be rebuilt safely.");
  }
  const tables = [...used].sort();
  const ctes = tables.map((t) => scopedCte(t, ctx.role));
  const body = `SELECT * FROM (${canonical}) LIMIT ${rowCap + 1}`;
  return {
    sql: ctes.length ? `WITH ${ctes.join(", ")} ${body}` : body,
    params: tables.map(() => ctx.workspaceId),
    canonical,
    tables,
    rowCap,
  };
}

function addAlias(set: Set<string>, name: string | null): void {
  if (name) set.add(name.toLowerCase());
}

function checkJoin(f: Node): void {
  const isTableFunction = isNode(f.expr) && f.expr.type === "function";
  if (isTableFunction) return;
  const join = str(f.join)?.toUpperCase() ?? "";
  const hasCondition = f.on !== undefined && f.on !== null ? true : Array.isArray(f.using) && f.using.length > 0;
  if (!join || join.includes("CROSS") || !hasCondition)
    throw new GuardRefusal("cartesian_join", "Every join needs an ON or USING condition (no cartesian products).");
}

/** The CTE that stands in for `table`: only exposed columns, only this workspace, PII masked for analysts. */
function scopedCte(table: string, role: GuardRole): string {
  const t = EXPOSED_BY_NAME.get(table);
  if (!t) throw new GuardRefusal("table_not_allowed", `The table "${table}" is not available.`);
  const cols = t.columns.map((c) =>
    c.pii && role === "analyst"
      ? `CASE WHEN "${c.name}" IS NULL THEN NULL ELSE '[masked]' END AS "${c.name}"`
      : `"${c.name}"`,
  );
  return `"${table}" AS (SELECT ${cols.join(", ")} FROM main."${table}" WHERE workspace_id = ?)`;
}
