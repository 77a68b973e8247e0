/**
 * A ~2 KB runtime for the subset of the zod API that `workers/protocol/*.ts` uses.
 *
 * Why: the widget must parse every frame with the shared protocol schemas, but zod 4
 * classic costs ~27 KB gzipped in a browser bundle, more than the whole widget budget.
 * The widget build aliases `zod` to this module, so the schemas in workers/protocol are
 * executed as written (same shapes, defaults, limits, key stripping) while type checking
 * still runs against real zod. A protocol change that uses a method missing here fails
 * loudly at load time ("… is not a function"), never silently;
 * test/unit/widget/zod-lite-parity.test.ts checks with fast-check that both runtimes accept,
 * reject and parse the widget's schemas alike.
 */

type Path = (string | number)[];
type Issue = { path: Path; message: string };
type Run = (value: unknown, path: Path, issues: Issue[]) => unknown;
type SafeResult = { success: true; data: unknown } | { success: false; error: { issues: Issue[]; message: string } };

/** The schema object: a validator plus the chainable modifiers frames.ts calls. */
export type Lite = {
  _run: Run;
  _shape?: Record<string, Lite>;
  _lit?: unknown;
  safeParse(value: unknown): SafeResult;
  parse(value: unknown): unknown;
  optional(): Lite;
  nullable(): Lite;
  default(fallback: unknown): Lite;
  min(n: number, message?: string): Lite;
  max(n: number, message?: string): Lite;
  int(): Lite;
  positive(): Lite;
  nonnegative(): Lite;
  regex(re: RegExp, message?: string): Lite;
  refine(check: (value: never) => boolean, message?: string): Lite;
  trim(): Lite;
  toLowerCase(): Lite;
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Length for strings and arrays, the value itself for numbers: what min/max compare. */
function measure(v: unknown): number {
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  return typeof v === "number" ? v : NaN;
}

function make(run: Run, extra?: Partial<Lite>): Lite {
  const refine = (ok: (v: unknown) => boolean, message: string): Lite =>
    make((v, p, issues) => {
      const before = issues.length;
      const out = run(v, p, issues);
      if (issues.length === before && !ok(out)) issues.push({ path: p, message });
      return out;
    }, extra);
  const rewrite = (fn: (v: string) => string): Lite =>
    make((v, p, issues) => {
      const out = run(v, p, issues);
      return typeof out === "string" ? fn(out) : out;
    }, extra);
  const s: Lite = {
    _run: run,
    ...extra,
    safeParse(value) {
      const issues: Issue[] = [];
      const data = run(value, [], issues);
      return issues.length
        ? { success: false, error: { issues, message: issues.map((i) => i.message).join("; ") } }
        : { success: true, data };
    },
    parse(value) {
      const r = s.safeParse(value);
      if (!r.success) throw new Error(r.error.message);
      return r.data;
    },
    optional: () => make((v, p, i) => (v === undefined ? undefined : run(v, p, i))),
    nullable: () => make((v, p, i) => (v === null ? null : run(v, p, i))),
    default: (fallback) => make((v, p, i) => (v === undefined ? structuredClone(fallback) : run(v, p, i))),
    min: (n, m) => refine((v) => measure(v) >= n, m ?? `Too small: expected >= ${n}`),
    max: (n, m) => refine((v) => measure(v) <= n, m ?? `Too big: expected <= ${n}`),
    // zod 4 ints are safe integers: 2^53 and beyond are rejected.
    int: () => refine((v) => Number.isSafeInteger(v), "Expected an integer"),
    positive: () => refine((v) => measure(v) > 0, "Expected > 0"),
    nonnegative: () => refine((v) => measure(v) >= 0, "Expected >= 0"),
    regex: (re, m) => refine((v) => typeof v === "string" && re.test(v), m ?? "Invalid string"),
    refine: (check, m) => refine((v) => check(v as never), m ?? "Invalid value"),
    // String overwrites run in chain order, like zod's: later checks see the rewritten value.
    trim: () => rewrite((v) => v.trim()),
    toLowerCase: () => rewrite((v) => v.toLowerCase()),
  };
  return s;
}

function typed(name: string, test: (v: unknown) => boolean): Lite {
  return make((v, path, issues) => {
    if (!test(v)) issues.push({ path, message: `Expected ${name}` });
    return v;
  });
}

const string = (): Lite => typed("string", (v) => typeof v === "string");
const number = (): Lite => typed("number", (v) => typeof v === "number" && Number.isFinite(v));
const boolean = (): Lite => typed("boolean", (v) => typeof v === "boolean");
const unknown = (): Lite => make((v) => v);
// zod 4's own email pattern (zod/v4/core/regexes.ts), so both runtimes accept the same addresses.
const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const email = (): Lite => string().regex(EMAIL, "Invalid email");

function literal(value: unknown): Lite {
  return make(
    (v, path, issues) => {
      if (v !== value) issues.push({ path, message: `Expected ${JSON.stringify(value)}` });
      return v;
    },
    { _lit: value },
  );
}

function enumOf(values: readonly string[]): Lite {
  return typed(`one of ${values.join("|")}`, (v) => typeof v === "string" && values.includes(v));
}

/** Unknown keys are dropped, as zod's default object does. */
function object(shape: Record<string, Lite>): Lite {
  return make(
    (v, path, issues) => {
      if (!isObj(v)) {
        issues.push({ path, message: "Expected object" });
        return v;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(shape)) {
        const field = shape[key];
        if (!field) continue;
        const parsed = field._run(v[key], [...path, key], issues);
        if (parsed !== undefined) out[key] = parsed;
      }
      return out;
    },
    { _shape: shape },
  );
}

function array(item: Lite): Lite {
  return make((v, path, issues) => {
    if (!Array.isArray(v)) {
      issues.push({ path, message: "Expected array" });
      return v;
    }
    return v.map((x: unknown, i) => item._run(x, [...path, i], issues));
  });
}

function record(key: Lite, value: Lite): Lite {
  return make((v, path, issues) => {
    if (!isObj(v)) {
      issues.push({ path, message: "Expected record" });
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      key._run(k, [...path, k], issues);
      out[k] = value._run(x, [...path, k], issues);
    }
    return out;
  });
}

function discriminatedUnion(key: string, options: Lite[]): Lite {
  const byTag = new Map<unknown, Lite>();
  for (const o of options) byTag.set(o._shape?.[key]?._lit, o);
  return make((v, path, issues) => {
    const option = isObj(v) ? byTag.get(v[key]) : undefined;
    if (!option) {
      issues.push({ path: [...path, key], message: "Invalid discriminator value" });
      return v;
    }
    return option._run(v, path, issues);
  });
}

// A unique binding name: the widget build declares calls on it pure (see vite.config.ts).
const zodLitePure = {
  string,
  number,
  boolean,
  unknown,
  email,
  literal,
  enum: enumOf,
  object,
  array,
  record,
  partialRecord: record,
  discriminatedUnion,
};
export { zodLitePure as z };
export default zodLitePure;
