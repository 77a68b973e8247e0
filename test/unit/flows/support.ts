/** Small builders for flow tests: graphs written the way the editor would save them. */
import { FlowGraph, type FlowGraphInput } from "../../../workers/protocol/flows.ts";
import type { FlowContext } from "../../../workers/flows/engine.ts";

export const t = (text: string, translations: Record<string, string> = {}) => ({ text, translations });

export function graph(input: FlowGraphInput): FlowGraph {
  return FlowGraph.parse(input);
}

export function ctx(over: Partial<FlowContext> = {}): FlowContext {
  return {
    now: 1_700_000_000_000,
    conversationId: "conv_test",
    channel: "widget",
    language: null,
    category: null,
    urgency: null,
    contact: {},
    businessHoursOpen: true,
    ...over,
  };
}
