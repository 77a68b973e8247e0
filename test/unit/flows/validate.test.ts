import { describe, expect, it } from "vitest";
import { FlowGraph, validateGraph } from "../../../workers/protocol/flows.ts";
import { graph, t } from "./support.ts";

describe("validateGraph", () => {
  it("accepts a small wired graph", () => {
    const g = graph({
      start: "hi",
      nodes: [
        { id: "hi", type: "buttons", text: t("Hello {{contact.name}}"), buttons: [{ id: "a", title: t("A") }] },
        { id: "bye", type: "end", text: t("Bye") },
      ],
      edges: [{ id: "e1", from: "hi", to: "bye", on: "a" }],
    });
    expect(validateGraph(g)).toEqual([]);
  });

  it("names the node and reason for each problem", () => {
    const g = graph({
      start: "m1",
      nodes: [
        { id: "m1", type: "message", text: t("Your order {{order}}") },
        { id: "m2", type: "set", variable: "x", value: "1" },
        { id: "lonely", type: "end" },
        { id: "b", type: "buttons", text: t("?"), buttons: [{ id: "yes", title: t("Yes") }] },
      ],
      edges: [
        { id: "e1", from: "m1", to: "m2" },
        { id: "e2", from: "m2", to: "m1" },
        { id: "e3", from: "m2", to: "ghost", on: "x" },
        { id: "e4", from: "m1", to: "b", on: "nope" },
      ],
    });
    const issues = validateGraph(g);
    const codes = issues.map((i) => `${i.code}:${i.nodeId}`);
    expect(codes).toContain("unknown_variable:m1");
    expect(codes).toContain("unreachable:lonely");
    expect(codes).toContain("loop_without_input:m1");
    expect(codes).toContain("dangling_edge:m2");
    expect(codes).toContain("unknown_outcome:m1");
    expect(codes).toContain("missing_exit:b");
  });

  it("allows loops that pass through a question or a wait", () => {
    const g = graph({
      start: "ask",
      nodes: [
        {
          id: "ask",
          type: "buttons",
          text: t("Again?"),
          buttons: [
            { id: "y", title: t("Yes") },
            { id: "n", title: t("No") },
          ],
        },
        { id: "say", type: "message", text: t("Once more") },
        { id: "done", type: "end" },
      ],
      edges: [
        { id: "e1", from: "ask", to: "say", on: "y" },
        { id: "e2", from: "say", to: "ask" },
        { id: "e3", from: "ask", to: "done", on: "n" },
      ],
    });
    expect(validateGraph(g)).toEqual([]);
  });

  it("knows variables written by forms, HTTP mappings and built-ins", () => {
    const g = graph({
      start: "f",
      nodes: [
        { id: "f", type: "form", fields: [{ name: "email", kind: "email", prompt: t("Email?") }] },
        {
          id: "h",
          type: "http",
          method: "GET",
          url: "https://shop.example/api?e={{email}}&c={{conversation.id}}",
          map: [{ variable: "status", path: "order.status" }],
        },
        { id: "m", type: "message", text: t("{{status}} on {{channel}} ({{http_status}})") },
      ],
      edges: [
        { id: "e1", from: "f", to: "h" },
        { id: "e2", from: "h", to: "m", on: "ok" },
        { id: "e3", from: "h", to: "m", on: "error" },
      ],
    });
    expect(validateGraph(g)).toEqual([]);
  });

  it("refuses edges out of terminal nodes and a missing start", () => {
    const g = graph({
      start: "nowhere",
      nodes: [
        { id: "end", type: "end" },
        { id: "m", type: "message", text: t("x") },
      ],
      edges: [{ id: "e1", from: "end", to: "m" }],
    });
    const codes = validateGraph(g).map((i) => i.code);
    expect(codes).toContain("missing_start");
    expect(codes).toContain("unknown_outcome");
  });

  it("the schema refuses malformed nodes", () => {
    const r = FlowGraph.safeParse({
      start: "a",
      nodes: [{ id: "a", type: "buttons", text: t("x"), buttons: [] }],
      edges: [],
    });
    expect(r.success).toBe(false);
  });
});
