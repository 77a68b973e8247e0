/** The analytics agent and report breakdown routes the dashboard calls, each parsing its answer. */
import { z } from "zod";
import { api, withQuery } from "./client.ts";
import {
  AskResponseSchema,
  BreakdownSchema,
  DrilldownSchema,
  LayerEntrySchema,
  PinSchema,
  type AskRequest,
} from "../../../workers/protocol/analytics.ts";

export type { AskResponse, Breakdown, ChartSpec } from "../../../workers/protocol/analytics.ts";

export const askAgent = (body: AskRequest) => api(AskResponseSchema, "/analytics/ask", { method: "POST", body });
export const sendFeedback = (turnId: string, body: { rating: "up" | "down"; correction?: string }) =>
  api(z.object({ proposed: LayerEntrySchema.nullable() }), `/analytics/turns/${encodeURIComponent(turnId)}/feedback`, {
    method: "POST",
    body,
  });
export const listPins = () => api(z.object({ items: z.array(PinSchema) }), "/analytics/pins");
export const addPin = (body: { title: string; question: string; sql?: string }) =>
  api(PinSchema, "/analytics/pins", { method: "POST", body });
export const runPin = (id: string) =>
  api(AskResponseSchema, `/analytics/pins/${encodeURIComponent(id)}/run`, { method: "POST", body: {} });
export const deletePin = (id: string) =>
  api(z.object({ ok: z.boolean() }), `/analytics/pins/${encodeURIComponent(id)}`, { method: "DELETE" });
export const breakdown = (by: string, from: number, to: number) =>
  api(BreakdownSchema, withQuery("/reports/breakdown", { by, from, to }));
export const drilldown = (by: string, key: string, from: number, to: number) =>
  api(DrilldownSchema, withQuery("/reports/drilldown", { by, key, from, to }));
