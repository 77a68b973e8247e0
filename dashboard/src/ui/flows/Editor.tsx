/**
 * The flow editor (a lazily loaded chunk): a React Flow canvas (through preact/compat)
 * with one handle per exit (button, branch, outcome), a side panel for the selected node
 * (texts per language, buttons, and an exit → target list so a flow can be wired by
 * clicking as well as by dragging), validation with the shared validator before publish,
 * a simulator that chats through the saved draft on the server's real engine and sandbox
 * store, and publish / history / diff / rollback.
 */
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  applyNodeChanges,
  type Node,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useState } from "preact/hooks";
import { z } from "zod";
import { api } from "../../api/client.ts";
import {
  FlowGraph,
  NODE_OUTCOMES,
  SimulateResponse,
  TERMINAL_TYPES,
  validateGraph,
  type FlowNode,
  type GraphIssue,
  type TranscriptEntry,
} from "../../../../workers/protocol/flows.ts";
import { ErrorBanner, errorText } from "../common.tsx";

const FlowDetail = z.object({
  id: z.string(),
  name: z.string(),
  publishedVersion: z.number().nullable(),
  draft: FlowGraph,
  versions: z.array(z.object({ version: z.number(), rolledBackFrom: z.number().nullable(), createdAt: z.number() })),
});
type Detail = z.infer<typeof FlowDetail>;

const NEW_NODE: Record<string, (id: string) => FlowNode> = {
  message: (id) => ({ id, type: "message", text: { text: "New message", translations: {} } }),
  buttons: (id) => ({
    id,
    type: "buttons",
    text: { text: "Choose one", translations: {} },
    buttons: [{ id: "b1", title: { text: "Option 1", translations: {} } }],
  }),
  form: (id) => ({
    id,
    type: "form",
    fields: [
      {
        name: "email",
        kind: "email",
        prompt: { text: "Your email?", translations: {} },
        options: [],
        required: true,
      },
    ],
  }),
  wait: (id) => ({ id, type: "wait", seconds: 3600 }),
  ai: (id) => ({ id, type: "ai" }),
  handoff: (id) => ({ id, type: "handoff", reason: "customer_request" }),
  end: (id) => ({ id, type: "end" }),
};

/** Exit labels of a node: "next" stands for the default exit. */
function exitsOf(n: FlowNode): string[] {
  if (TERMINAL_TYPES.has(n.type)) return [];
  const own =
    n.type === "buttons" ? n.buttons.map((b) => b.id) : n.type === "condition" ? n.branches.map((b) => b.id) : [];
  const outcomes = NODE_OUTCOMES[n.type];
  return n.type === "buttons" || outcomes.length > 0 ? [...own, ...outcomes] : ["next"];
}

function summary(n: FlowNode): string {
  switch (n.type) {
    case "message":
    case "buttons":
      return n.text.text;
    case "form":
      return n.fields.map((f) => f.name).join(", ");
    case "handoff":
      return n.reason;
    case "wait":
      return `${n.seconds} s`;
    case "end":
      return n.text?.text ?? "";
    default:
      return "";
  }
}

function NodeBox({ data }: { data: { node: FlowNode; start: boolean; issue: boolean } }) {
  const n = data.node;
  const exits = exitsOf(n);
  return (
    <div class={`flow-node${data.issue ? " flow-node-issue" : ""}`} data-testid={`node-${n.id}`}>
      <Handle type="target" position={Position.Top} />
      <b>
        {data.start ? "▶ " : ""}
        {n.type}
      </b>{" "}
      <small>{n.id}</small>
      <div>{summary(n)}</div>
      {exits.map((x, i) => (
        <Handle
          key={x}
          id={x}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((i + 1) * 100) / (exits.length + 1)}%` }}
          title={x}
        />
      ))}
    </div>
  );
}

const nodeTypes = { flow: NodeBox };

export default function Editor({ flowId, onBack }: { flowId: string; onBack: () => void }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [graph, setGraph] = useState<FlowGraph | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [issues, setIssues] = useState<GraphIssue[]>([]);
  const [status, setStatus] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [inputs, setInputs] = useState<Array<string | { button: string }>>([]);
  const [transcript, setTranscript] = useState<SimulateResponse | null>(null);
  const [typed, setTyped] = useState("");
  const [diff, setDiff] = useState<string[] | null>(null);

  const load = async () => {
    const d = await api(FlowDetail, `/flows/${encodeURIComponent(flowId)}`);
    setDetail(d);
    setGraph(d.draft);
  };
  useEffect(() => {
    load().catch(setError);
  }, [flowId]);

  const issueNodes = useMemo(() => new Set(issues.map((i) => i.nodeId)), [issues]);
  // React Flow owns measured sizes and drag positions (its nodes stay hidden until measured),
  // so its node list is kept apart and re-synced from the graph, keeping what it measured.
  const [rfNodes, setRfNodes] = useState<Node[]>([]);
  useEffect(() => {
    setRfNodes((prev) => {
      const old = new Map(prev.map((n) => [n.id, n]));
      return (graph?.nodes ?? []).map((n, i) => ({
        ...old.get(n.id),
        id: n.id,
        type: "flow",
        position: n.position ?? old.get(n.id)?.position ?? { x: 60 + (i % 3) * 260, y: 40 + i * 110 },
        data: { node: n, start: graph?.start === n.id, issue: issueNodes.has(n.id) },
        selected: n.id === selected,
      }));
    });
  }, [graph, selected, issueNodes]);
  const rfEdges = useMemo(
    () =>
      (graph?.edges ?? []).map((e) => ({
        id: e.id,
        source: e.from,
        target: e.to,
        sourceHandle: e.on ?? "next",
        label: e.on ?? "",
      })),
    [graph],
  );

  if (!graph || !detail) return <ErrorBanner error={error} />;

  const update = (g: FlowGraph) => {
    setGraph(g);
    setIssues([]);
  };
  const patchNode = (id: string, fn: (n: FlowNode) => FlowNode) =>
    update({ ...graph, nodes: graph.nodes.map((n) => (n.id === id ? fn(n) : n)) });
  const connect = (from: string, label: string, to: string) => {
    const on = label === "next" ? undefined : label;
    const rest = graph.edges.filter((e) => !(e.from === from && e.on === on));
    const edges = to ? [...rest, { id: `e_${from}_${label}`.slice(0, 40), from, to, ...(on ? { on } : {}) }] : rest;
    update({ ...graph, edges });
  };
  const addNode = (type: string) => {
    const make = NEW_NODE[type];
    if (!make) return;
    let k = graph.nodes.length + 1;
    while (graph.nodes.some((n) => n.id === `${type}_${k}`)) k++;
    const node = { ...make(`${type}_${k}`), position: { x: 80 + (k % 3) * 240, y: 60 + k * 90 } };
    update({ ...graph, nodes: [...graph.nodes, node] });
    setSelected(node.id);
  };
  const removeNode = (id: string) => {
    update({
      ...graph,
      nodes: graph.nodes.filter((n) => n.id !== id),
      edges: graph.edges.filter((e) => e.from !== id && e.to !== id),
    });
    setSelected(null);
  };
  const onNodesChange = (changes: NodeChange[]) => {
    setRfNodes((prev) => applyNodeChanges(changes, prev));
    // A finished drag writes the position into the graph (functional update: never a stale graph).
    const dropped = changes.filter(
      (c): c is Extract<NodeChange, { type: "position" }> => c.type === "position" && c.dragging === false,
    );
    if (dropped.length)
      setGraph((g) =>
        g
          ? {
              ...g,
              nodes: g.nodes.map((n) => {
                const c = dropped.find((d) => d.id === n.id);
                return c?.position ? { ...n, position: c.position } : n;
              }),
            }
          : g,
      );
  };

  const validate = (): boolean => {
    const found = validateGraph(graph);
    setIssues(found);
    setStatus(found.length ? `${found.length} problem(s) to fix before publishing` : "The flow is valid");
    return found.length === 0;
  };
  const save = async (): Promise<boolean> => {
    if (!validate()) return false;
    try {
      await api(FlowDetail, `/flows/${encodeURIComponent(flowId)}`, { method: "PUT", body: { graph } });
      setStatus("Saved");
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  };
  const publish = async () => {
    if (!(await save())) return;
    const r = await api(z.object({ version: z.number() }), `/flows/${encodeURIComponent(flowId)}/publish`, {
      method: "POST",
    });
    setStatus(`Published version ${r.version}`);
    await load();
  };
  const rollback = async (version: number) => {
    const r = await api(z.object({ version: z.number() }), `/flows/${encodeURIComponent(flowId)}/rollback`, {
      method: "POST",
      body: { version },
    });
    setStatus(`Rolled back: version ${r.version} is version ${version}'s graph`);
    await load();
  };
  const showDiff = async (version: number) => {
    const v = await api(z.object({ graph: FlowGraph }), `/flows/${encodeURIComponent(flowId)}/versions/${version}`);
    const before = new Map(v.graph.nodes.map((n) => [n.id, JSON.stringify({ ...n, position: undefined })]));
    const after = new Map(graph.nodes.map((n) => [n.id, JSON.stringify({ ...n, position: undefined })]));
    const lines: string[] = [];
    for (const [id, s] of after) {
      if (!before.has(id)) lines.push(`+ ${id}`);
      else if (before.get(id) !== s) lines.push(`~ ${id}`);
    }
    for (const id of before.keys()) if (!after.has(id)) lines.push(`- ${id}`);
    const edgeKey = (e: { from: string; to: string; on?: string | undefined }) => `${e.from} -${e.on ?? ""}-> ${e.to}`;
    const eb = new Set(v.graph.edges.map(edgeKey));
    const ea = new Set(graph.edges.map(edgeKey));
    for (const e of ea) if (!eb.has(e)) lines.push(`+ ${e}`);
    for (const e of eb) if (!ea.has(e)) lines.push(`- ${e}`);
    setDiff(lines.length ? [`Draft vs version ${version}:`, ...lines] : [`The draft equals version ${version}`]);
  };
  const simulate = async (next: Array<string | { button: string }>) => {
    if (!(await save())) return;
    try {
      const r = await api(SimulateResponse, `/flows/${encodeURIComponent(flowId)}/simulate`, {
        method: "POST",
        body: { inputs: next },
      });
      setInputs(next);
      setTranscript(r);
    } catch (e) {
      setError(e);
    }
  };

  const node = graph.nodes.find((n) => n.id === selected) ?? null;
  return (
    <div class="flow-editor" data-testid="flow-editor">
      <div class="row">
        <button onClick={onBack}>← Flows</button>
        <b>{detail.name}</b>
        {Object.keys(NEW_NODE).map((type) => (
          <button data-testid={`add-${type}`} onClick={() => addNode(type)}>
            + {type}
          </button>
        ))}
        <button data-testid="flow-validate" onClick={validate}>
          Validate
        </button>
        <button data-testid="flow-save" onClick={() => void save()}>
          Save
        </button>
        <button data-testid="flow-publish" onClick={() => void publish().catch(setError)}>
          Publish
        </button>
        <span data-testid="flow-status">{status}</span>
      </div>
      <ErrorBanner error={error} />
      {issues.length > 0 && (
        <ul class="flow-issues" data-testid="flow-issues">
          {issues.map((i) => (
            <li>
              <a onClick={() => i.nodeId && setSelected(i.nodeId)}>{i.nodeId ?? "flow"}</a>: {i.message}
            </li>
          ))}
        </ul>
      )}
      <div class="flow-body">
        <div class="flow-canvas" style={{ height: "520px" }}>
          <ReactFlow
            nodes={rfNodes}
            edges={rfEdges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onConnect={(c) => c.source && c.target && connect(c.source, c.sourceHandle ?? "next", c.target)}
            onNodeClick={(_, n) => setSelected(n.id)}
            fitView
          >
            <Background />
            <Controls />
          </ReactFlow>
        </div>
        <aside class="flow-panel" data-testid="flow-panel">
          <label>
            Node{" "}
            <select
              data-testid="node-select"
              value={selected ?? ""}
              onChange={(e) => setSelected(e.currentTarget.value || null)}
            >
              <option value="">(none)</option>
              {graph.nodes.map((n) => (
                <option value={n.id}>
                  {n.id} ({n.type})
                </option>
              ))}
            </select>
          </label>
          {node ? (
            <NodePanel
              node={node}
              graph={graph}
              onChange={(n) => patchNode(node.id, () => n)}
              onConnect={(label, to) => connect(node.id, label, to)}
              onStart={() => update({ ...graph, start: node.id })}
              onDelete={() => removeNode(node.id)}
            />
          ) : (
            <p class="muted">Select a node.</p>
          )}
          <h4>Variables</h4>
          <p>{graph.variables.map((v) => v.name).join(", ") || "none declared"}</p>
          <label>
            On return to bot{" "}
            <select
              value={graph.onReturnToBot}
              onChange={(e) =>
                update({ ...graph, onReturnToBot: e.currentTarget.value === "restart" ? "restart" : "resume" })
              }
            >
              <option value="resume">resume</option>
              <option value="restart">restart</option>
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              data-testid="trigger-first"
              checked={graph.triggers.some((t) => t.kind === "first_message")}
              onChange={(e) =>
                update({
                  ...graph,
                  triggers: e.currentTarget.checked
                    ? [...graph.triggers, { kind: "first_message" }]
                    : graph.triggers.filter((t) => t.kind !== "first_message"),
                })
              }
            />{" "}
            Start on the first message
          </label>
        </aside>
      </div>
      <div class="flow-bottom row">
        <section class="flow-sim" data-testid="flow-sim">
          <h4>Simulator</h4>
          {transcript?.transcript.map((e: TranscriptEntry) => (
            <div class={e.from === "bot" ? "bot" : "me"}>
              {e.text}
              {e.buttons?.map((b) => (
                <button onClick={() => void simulate([...inputs, { button: b.title }])}>{b.title}</button>
              ))}
            </div>
          ))}
          {transcript && (
            <p class="muted">{transcript.ended ? "ended" : transcript.handoff ? "handed to a human" : "waiting"}</p>
          )}
          <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} placeholder="Customer says…" />
          <button onClick={() => void simulate([...inputs, typed]).then(() => setTyped(""))}>Send</button>
          <button onClick={() => void simulate([])}>Restart</button>
        </section>
        <section class="flow-history" data-testid="flow-history">
          <h4>Versions</h4>
          <ul>
            {detail.versions.map((v) => (
              <li>
                v{v.version}
                {v.rolledBackFrom ? ` (= v${v.rolledBackFrom})` : ""}
                {v.version === detail.publishedVersion ? " · live" : ""}{" "}
                <button onClick={() => void showDiff(v.version).catch(setError)}>Diff</button>{" "}
                <button onClick={() => void rollback(v.version).catch(setError)}>Roll back</button>
              </li>
            ))}
          </ul>
          {diff && <pre>{diff.join("\n")}</pre>}
        </section>
      </div>
      {error !== null && <p class="muted">{errorText(error)}</p>}
    </div>
  );
}

function NodePanel({
  node,
  graph,
  onChange,
  onConnect,
  onStart,
  onDelete,
}: {
  node: FlowNode;
  graph: FlowGraph;
  onChange: (n: FlowNode) => void;
  onConnect: (label: string, to: string) => void;
  onStart: () => void;
  onDelete: () => void;
}) {
  const target = (label: string) => graph.edges.find((e) => e.from === node.id && (e.on ?? "next") === label)?.to ?? "";
  const hasText = node.type === "message" || node.type === "buttons";
  return (
    <div>
      <h4>
        {node.type} <small>{node.id}</small>
      </h4>
      {hasText && (
        <>
          <label>
            Text{" "}
            <textarea
              data-testid="node-text"
              value={node.text.text}
              onInput={(e) => onChange({ ...node, text: { ...node.text, text: e.currentTarget.value } })}
            />
          </label>
          <label>
            Русский{" "}
            <textarea
              value={node.text.translations.ru ?? ""}
              onInput={(e) =>
                onChange({
                  ...node,
                  text: { ...node.text, translations: { ...node.text.translations, ru: e.currentTarget.value } },
                })
              }
            />
          </label>
        </>
      )}
      {node.type === "buttons" && (
        <div>
          {node.buttons.map((b, i) => (
            <input
              data-testid={`button-title-${i}`}
              value={b.title.text}
              onInput={(e) =>
                onChange({
                  ...node,
                  buttons: node.buttons.map((x, j) =>
                    j === i ? { ...x, title: { ...x.title, text: e.currentTarget.value } } : x,
                  ),
                })
              }
            />
          ))}
          <button
            data-testid="add-button"
            onClick={() => {
              let k = node.buttons.length + 1;
              while (node.buttons.some((b) => b.id === `b${k}`)) k++;
              onChange({
                ...node,
                buttons: [...node.buttons, { id: `b${k}`, title: { text: `Option ${k}`, translations: {} } }],
              });
            }}
          >
            + button
          </button>
        </div>
      )}
      {node.type === "handoff" && (
        <label>
          Reason{" "}
          <select
            value={node.reason}
            onChange={(e) => {
              const reason = z
                .enum(["customer_request", "complex_issue", "complaint", "sales_lead", "identity_check", "other"])
                .safeParse(e.currentTarget.value);
              if (reason.success) onChange({ ...node, reason: reason.data });
            }}
          >
            {["customer_request", "complex_issue", "complaint", "sales_lead", "identity_check", "other"].map((r) => (
              <option value={r}>{r.replace(/_/g, " ")}</option>
            ))}
          </select>
        </label>
      )}
      {node.type === "wait" && (
        <label>
          Seconds{" "}
          <input
            type="number"
            min={1}
            value={node.seconds}
            onInput={(e) => onChange({ ...node, seconds: Math.max(1, Number(e.currentTarget.value) || 1) })}
          />
        </label>
      )}
      <h4>Exits</h4>
      {exitsOf(node).map((label) => {
        const title = node.type === "buttons" ? (node.buttons.find((b) => b.id === label)?.title.text ?? label) : label;
        return (
          <label>
            {title} →{" "}
            <select
              data-testid={`exit-${label}`}
              value={target(label)}
              onChange={(e) => onConnect(label, e.currentTarget.value)}
            >
              <option value="">(none)</option>
              {graph.nodes
                .filter((n) => n.id !== node.id)
                .map((n) => (
                  <option value={n.id}>
                    {n.id} ({n.type})
                  </option>
                ))}
            </select>
          </label>
        );
      })}
      <button data-testid="node-start" onClick={onStart}>
        Make start
      </button>{" "}
      <button data-testid="node-delete" onClick={onDelete}>
        Delete
      </button>
    </div>
  );
}
