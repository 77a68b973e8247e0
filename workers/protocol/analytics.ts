/**
 * Wire shapes of the analytics agent (issue 15), plain zod, shared by the API (which names
 * them in the OpenAPI document) and the dashboard's Ask page.
 */
import { z } from "zod";

export const ChartSpecSchema = z.object({
  type: z.enum(["number", "bar", "line", "pie", "table"]),
  /** Column index of the labels (x axis) and of the values. */
  x: z.number().int().nullable(),
  y: z.number().int().nullable(),
  unit: z.string(),
});
export type ChartSpec = z.infer<typeof ChartSpecSchema>;

export const ENGINES = ["embedded", "llm", "pattern", "sql"] as const;

export const AskRequestSchema = z.object({
  question: z.string().trim().min(1).max(500),
  threadId: z.string().min(1).max(100).optional(),
  /** Admins only: run this SQL (through the guard) instead of parsing the question. */
  sql: z.string().min(1).max(8000).optional(),
});
export type AskRequest = z.infer<typeof AskRequestSchema>;

export const AskResponseSchema = z.object({
  threadId: z.string(),
  turnId: z.string(),
  sql: z.string().nullable(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number().int(),
  truncated: z.boolean(),
  answer: z.string(),
  chart: ChartSpecSchema.nullable(),
  refused: z.boolean(),
  warnings: z.array(z.string()),
  layers: z.array(z.string()),
  engine: z.enum(ENGINES),
  understood: z.array(z.string()),
  closest: z.array(z.object({ key: z.string(), label: z.string() })),
  ms: z.number(),
});
export type AskResponse = z.infer<typeof AskResponseSchema>;

export const FeedbackRequestSchema = z.object({
  rating: z.enum(["up", "down"]),
  /** What was wrong, in words (👎). */
  correction: z.string().trim().max(1000).optional(),
  /** The SQL that would have been right (👎), checked by the guard before it is stored. */
  sql: z.string().max(8000).optional(),
  /** "When I say <phrase> I mean <metric>" (👎). */
  phrase: z.string().trim().min(2).max(80).optional(),
  metric: z.string().max(60).optional(),
});

export const LayerEntrySchema = z.object({
  id: z.string(),
  layer: z.number().int(),
  key: z.string(),
  content: z.record(z.string(), z.unknown()),
  status: z.enum(["proposed", "approved", "rejected"]),
});

export const PinSchema = z.object({
  id: z.string(),
  title: z.string(),
  question: z.string(),
  sql: z.string().nullable(),
  createdAt: z.number(),
});

export const TurnSchema = z.object({
  id: z.string(),
  question: z.string(),
  engine: z.enum(ENGINES),
  sql: z.string().nullable(),
  refused: z.boolean(),
  answer: z.string(),
  rowCount: z.number(),
  warnings: z.array(z.string()),
  layers: z.array(z.string()),
  feedback: z.enum(["up", "down"]).nullable(),
  createdAt: z.number(),
});

export const ThreadSchema = z.object({ id: z.string(), title: z.string(), queries: z.number(), updatedAt: z.number() });

export const CatalogueSchema = z.object({
  metrics: z.array(
    z.object({ key: z.string(), label: z.string(), description: z.string(), unit: z.string(), expr: z.string() }),
  ),
  dimensions: z.array(z.object({ key: z.string(), label: z.string() })),
  tables: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      columns: z.array(z.object({ name: z.string(), description: z.string(), pii: z.boolean() })),
    }),
  ),
});

/** GET /api/reports/breakdown: one row per key, `values` aligned with `measures`. */
export const BreakdownSchema = z.object({
  by: z.string(),
  from: z.number(),
  to: z.number(),
  measures: z.array(z.object({ key: z.string(), unit: z.string(), label: z.string() })),
  rows: z.array(z.object({ key: z.string(), values: z.array(z.number().nullable()) })),
});
export type Breakdown = z.infer<typeof BreakdownSchema>;

export const DrilldownSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      createdAt: z.number(),
      channel: z.string(),
      category: z.string().nullable(),
      status: z.string(),
      priority: z.string(),
      assignee: z.string().nullable(),
      csat: z.number().nullable(),
    }),
  ),
});
