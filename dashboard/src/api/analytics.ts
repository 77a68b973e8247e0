/** The analytics agent and report breakdown routes the dashboard calls, each parsing its answer. */
import { z } from "zod";
import { api, ApiError, SESSION_CREDENTIALS, sessionHeaders, withQuery } from "./client.ts";
import {
  AskResponseSchema,
  BreakdownSchema,
  DrilldownSchema,
  LayerEntrySchema,
  PinSchema,
  type AskRequest,
} from "../../../workers/protocol/analytics.ts";

export type { AskResponse, Breakdown, ChartSpec } from "../../../workers/protocol/analytics.ts";
import type { AskResponse } from "../../../workers/protocol/analytics.ts";

export const askAgent = (body: AskRequest) => api(AskResponseSchema, "/analytics/ask", { method: "POST", body });
/**
 * The same question over server-sent events: `onStatus` hears what the agent is doing,
 * the promise resolves with the full answer. Errors become ApiError like every call.
 */
export async function askAgentStream(body: AskRequest, onStatus: (stage: string) => void): Promise<AskResponse> {
  const endpoint = "POST /api/analytics/ask/stream";
  const res = await fetch("/api/analytics/ask/stream", {
    method: "POST",
    credentials: SESSION_CREDENTIALS,
    headers: { "content-type": "application/json", ...sessionHeaders() },
    body: JSON.stringify(body),
  }).catch(() => {
    throw new ApiError(0, "network", "The server cannot be reached", endpoint);
  });
  if (!res.ok || !res.body) return askAgent(body);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? "message";
      const data = block
        .split("\n")
        .filter((l) => l.startsWith("data:"))
        .map((l) => l.replace(/^data: ?/, ""))
        .join("\n");
      const json: unknown = JSON.parse(data || "null");
      if (event === "status") {
        const st = z.object({ stage: z.string() }).safeParse(json);
        if (st.success) onStatus(st.data.stage);
      } else if (event === "answer") return AskResponseSchema.parse(json);
      else if (event === "error") {
        const e = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).safeParse(json);
        throw new ApiError(
          500,
          e.success ? e.data.error.code : "failed",
          e.success ? e.data.error.message : "The answer failed",
          endpoint,
        );
      }
    }
    if (done) throw new ApiError(500, "incomplete", "The answer stream ended early", endpoint);
  }
}

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
export const listLayers = () => api(z.object({ items: z.array(LayerEntrySchema) }), "/analytics/layers");
export const reviewLayer = (id: string, status: "approved" | "rejected") =>
  api(LayerEntrySchema, `/analytics/layers/${encodeURIComponent(id)}/review`, { method: "POST", body: { status } });
export const addLayer = (
  body:
    | { layer: 4; content: { title: string; text: string } }
    | { layer: 2; content: { metric: string; synonyms: string[] } },
) => api(LayerEntrySchema, "/analytics/layers", { method: "POST", body });
export const breakdown = (by: string, from: number, to: number) =>
  api(BreakdownSchema, withQuery("/reports/breakdown", { by, from, to }));
export const drilldown = (by: string, key: string, from: number, to: number) =>
  api(DrilldownSchema, withQuery("/reports/drilldown", { by, key, from, to }));
