/**
 * Admin: scenario flows (list, create from a template, open the editor) and automation
 * rules (a form per rule). The graph editor is a lazily loaded chunk (React Flow through
 * preact/compat) so the rest of the dashboard does not carry it.
 */
import { lazy, Suspense } from "preact/compat";
import { useState } from "preact/hooks";
import { z } from "zod";
import { api } from "../../api/client.ts";
import { RuleDefinition, type RuleDefinitionInput } from "../../../../workers/protocol/flows.ts";
import { navigate } from "../../router.ts";
import { ErrorBanner, useAsync } from "../common.tsx";

const FlowEditor = lazy(() => import("../flows/Editor.tsx"));

const Templates = z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), industry: z.string() })) });
const FlowList = z.object({
  items: z.array(
    z.object({ id: z.string(), name: z.string(), publishedVersion: z.number().nullable(), active: z.boolean() }),
  ),
});

export function Flows({ selected }: { selected: string | null }) {
  const templates = useAsync(() => api(Templates, "/flows/templates"), []);
  const flows = useAsync(() => api(FlowList, "/flows"), [selected]);
  const [name, setName] = useState("");
  const [template, setTemplate] = useState("scratch");
  const [error, setError] = useState<unknown>(null);
  if (selected)
    return (
      <Suspense fallback={<p class="muted">Loading the editor…</p>}>
        <FlowEditor flowId={selected} onBack={() => navigate("/admin/flows")} />
      </Suspense>
    );
  const create = async () => {
    try {
      const { id } = await api(z.object({ id: z.string() }), "/flows", {
        method: "POST",
        body: { name: name || "New flow", fromTemplate: template },
      });
      navigate(`/admin/flows/${encodeURIComponent(id)}`);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="flows">
      <h2>Flows</h2>
      <ErrorBanner error={flows.error ?? templates.error ?? error} />
      <div class="row">
        <input
          data-testid="flow-name"
          placeholder="Flow name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <select data-testid="flow-template" value={template} onChange={(e) => setTemplate(e.currentTarget.value)}>
          {templates.data?.items.map((tpl) => (
            <option value={tpl.id}>{tpl.name}</option>
          ))}
        </select>
        <button data-testid="flow-create" onClick={() => void create()}>
          Create
        </button>
      </div>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>Published</th>
            <th>Active</th>
          </tr>
        </thead>
        <tbody>
          {flows.data?.items.map((f) => (
            <tr>
              <td>
                <a href={`#/admin/flows/${encodeURIComponent(f.id)}`}>{f.name}</a>
              </td>
              <td>{f.publishedVersion === null ? "draft" : `v${f.publishedVersion}`}</td>
              <td>{f.active ? "yes" : "no"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const RuleList = z.object({ items: z.array(z.object({ id: z.string(), definition: RuleDefinition })) });

const EVENTS = [
  "conversation_created",
  "message_received",
  "customer_idle",
  "operator_idle",
  "sla_at_risk",
  "sla_breached",
  "csat_received",
  "tag_added",
  "status_changed",
  "business_hours_start",
  "business_hours_end",
] as const;
const ACTIONS = ["send_message", "add_tags", "set_priority", "assign", "resolve", "escalate", "add_note"] as const;

/** Builds a rule definition from the form's fields (validated by the shared schema before sending). */
function ruleFrom(form: { name: string; event: string; minutes: number; action: string; value: string }) {
  const event =
    form.event === "customer_idle" || form.event === "operator_idle"
      ? { kind: form.event, minutes: form.minutes }
      : { kind: form.event };
  const action =
    form.action === "send_message"
      ? { type: "send_message", text: { text: form.value } }
      : form.action === "add_tags"
        ? {
            type: "add_tags",
            tags: form.value
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : form.action === "set_priority"
          ? { type: "set_priority", priority: form.value || "high" }
          : form.action === "assign"
            ? { type: "assign", to: "round_robin" }
            : form.action === "add_note"
              ? { type: "add_note", text: form.value }
              : { type: form.action };
  const input: unknown = { name: form.name, event, actions: [action] };
  return RuleDefinition.safeParse(input);
}

export function Rules() {
  const rules = useAsync(() => api(RuleList, "/rules"), []);
  const [form, setForm] = useState({
    name: "",
    event: "customer_idle",
    minutes: 60,
    action: "send_message",
    value: "",
  });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof form, v: string | number) => setForm({ ...form, [k]: v });
  const save = async () => {
    const parsed = ruleFrom(form);
    if (!parsed.success) {
      setError(new Error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")));
      return;
    }
    const body: RuleDefinitionInput = parsed.data;
    try {
      await api(z.object({ id: z.string() }), "/rules", { method: "POST", body });
      setError(null);
      rules.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (id: string) => {
    await api(z.object({ ok: z.literal(true) }), `/rules/${encodeURIComponent(id)}`, { method: "DELETE" });
    rules.reload();
  };
  return (
    <section data-testid="rules">
      <h2>Automation rules</h2>
      <ErrorBanner error={rules.error ?? error} />
      <div class="form">
        <label>
          Name <input value={form.name} onInput={(e) => set("name", e.currentTarget.value)} />
        </label>
        <label>
          When{" "}
          <select value={form.event} onChange={(e) => set("event", e.currentTarget.value)}>
            {EVENTS.map((e) => (
              <option value={e}>{e.replace(/_/g, " ")}</option>
            ))}
          </select>
        </label>
        {(form.event === "customer_idle" || form.event === "operator_idle") && (
          <label>
            Minutes{" "}
            <input
              type="number"
              min={1}
              value={form.minutes}
              onInput={(e) => set("minutes", Number(e.currentTarget.value))}
            />
          </label>
        )}
        <label>
          Then{" "}
          <select value={form.action} onChange={(e) => set("action", e.currentTarget.value)}>
            {ACTIONS.map((a) => (
              <option value={a}>{a.replace(/_/g, " ")}</option>
            ))}
          </select>
        </label>
        <label>
          Value <input value={form.value} onInput={(e) => set("value", e.currentTarget.value)} />
        </label>
        <button onClick={() => void save()}>Add rule</button>
      </div>
      <ul>
        {rules.data?.items.map((r) => (
          <li>
            <b>{r.definition.name}</b>: {r.definition.event.kind.replace(/_/g, " ")} →{" "}
            {r.definition.actions.map((a) => a.type.replace(/_/g, " ")).join(", ")}
            {r.definition.enabled ? "" : " (off)"} <button onClick={() => void remove(r.id)}>Delete</button>
          </li>
        ))}
      </ul>
    </section>
  );
}
