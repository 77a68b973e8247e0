/** Operators (role, skills, languages, capacity, live presence) and teams. */
import { useState } from "preact/hooks";
import { CATEGORY_KEYS } from "../../../../workers/lib/categories.ts";
import { createOperator, createTeam, listOperators, listTeams, patchOperator } from "../../api/endpoints.ts";
import type { Operator } from "../../api/schemas.ts";
import { loadDirectory } from "../../directory.ts";
import { useT } from "../../lib/i18n.ts";
import { useStore } from "../../lib/store.ts";
import { colleagues } from "../../realtime/presence.ts";
import { ErrorBanner, errorText, useAsync } from "../common.tsx";
import { LANGUAGES } from "../../../../workers/protocol/vocabulary.ts";

const LANGS = LANGUAGES;

function multi(e: Event): string[] {
  const el = e.currentTarget;
  return el instanceof HTMLSelectElement ? [...el.selectedOptions].map((o) => o.value) : [];
}

function OperatorRow({ o, online, onSaved }: { o: Operator; online: string; onSaved: () => void }) {
  const t = useT();
  const [skills, setSkills] = useState(o.skills);
  const [langs, setLangs] = useState(o.languages);
  const [cap, setCap] = useState(o.maxConcurrent);
  const [msg, setMsg] = useState<string | null>(null);
  const save = async () => {
    try {
      const skillKeys = CATEGORY_KEYS.filter((k) => skills.includes(k));
      await patchOperator(o.id, { skills: skillKeys, languages: langs, maxConcurrent: cap });
      setMsg(t("saved"));
      onSaved();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  return (
    <tr>
      <td>
        <span class={`dot ${online}`} /> <b>{o.name}</b>
        <div class="small muted">
          @{o.handle} · {o.email}
        </div>
      </td>
      <td>{o.role}</td>
      <td>
        <select multiple size={4} onChange={(e) => setSkills(multi(e))}>
          {CATEGORY_KEYS.map((k) => (
            <option value={k} selected={skills.includes(k)}>
              {k}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select multiple size={4} onChange={(e) => setLangs(multi(e))}>
          {LANGS.map((k) => (
            <option value={k} selected={langs.includes(k)}>
              {k}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          type="number"
          min={1}
          max={50}
          value={cap}
          style={{ width: "60px" }}
          onInput={(e) => setCap(Number(e.currentTarget.value))}
        />
      </td>
      <td>
        <button onClick={save} disabled={o.role === "owner"}>
          {t("save")}
        </button>{" "}
        <span class="small">{msg}</span>
      </td>
    </tr>
  );
}

export function Team() {
  const t = useT();
  const ops = useAsync(() => listOperators(), []);
  const teams = useAsync(() => listTeams(), []);
  const live = useStore(colleagues);
  const [form, setForm] = useState({ email: "", name: "", handle: "", role: "operator", password: "" });
  const [teamName, setTeamName] = useState("");
  const [teamMembers, setTeamMembers] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);

  const invite = async (e: Event) => {
    e.preventDefault();
    try {
      const role = form.role === "admin" || form.role === "analyst" ? form.role : "operator";
      await createOperator({ ...form, role, skills: [], languages: ["en"], maxConcurrent: 5 });
      setForm({ email: "", name: "", handle: "", role: "operator", password: "" });
      ops.reload();
      void loadDirectory();
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  const addTeam = async (e: Event) => {
    e.preventDefault();
    try {
      await createTeam({ name: teamName, memberIds: teamMembers });
      setTeamName("");
      teams.reload();
      void loadDirectory();
    } catch (err) {
      setError(err);
    }
  };
  const statusOf = (id: string) => live.find((p) => p.id === id)?.status ?? "offline";

  return (
    <div class="col" data-testid="admin-team">
      <h2>{t("operators")}</h2>
      <ErrorBanner error={ops.error ?? error} />
      <table>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("role")}</th>
            <th>{t("skills")}</th>
            <th>{t("languages")}</th>
            <th>{t("capacity")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {ops.data?.items.map((o) => (
            <OperatorRow o={o} online={statusOf(o.id)} onSaved={() => void loadDirectory()} />
          ))}
        </tbody>
      </table>
      <form class="row card" onSubmit={invite}>
        <input
          placeholder={t("email")}
          type="email"
          required
          value={form.email}
          onInput={(e) => setForm({ ...form, email: e.currentTarget.value })}
        />
        <input
          placeholder={t("name")}
          required
          value={form.name}
          onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
        />
        <input
          placeholder={t("handle")}
          required
          pattern="[a-z0-9_.\-]{2,32}"
          value={form.handle}
          onInput={(e) => setForm({ ...form, handle: e.currentTarget.value })}
        />
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
          <option value="operator">operator</option>
          <option value="admin">admin</option>
          <option value="analyst">analyst</option>
        </select>
        <input
          placeholder={t("password")}
          type="password"
          minLength={12}
          required
          value={form.password}
          onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
        />
        <button class="primary" type="submit">
          {t("create")}
        </button>
      </form>
      <h2 style={{ marginTop: "16px" }}>{t("teams")}</h2>
      <ErrorBanner error={teams.error} />
      <table>
        <thead>
          <tr>
            <th>{t("name")}</th>
            <th>{t("members")}</th>
          </tr>
        </thead>
        <tbody>
          {teams.data?.items.map((x) => (
            <tr>
              <td>{x.name}</td>
              <td>{x.memberIds.map((id) => ops.data?.items.find((o) => o.id === id)?.name ?? id).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="row card" onSubmit={addTeam}>
        <input placeholder={t("name")} required value={teamName} onInput={(e) => setTeamName(e.currentTarget.value)} />
        <select multiple size={3} onChange={(e) => setTeamMembers(multi(e))}>
          {ops.data?.items.map((o) => (
            <option value={o.id}>{o.name}</option>
          ))}
        </select>
        <button class="primary" type="submit">
          {t("create")}
        </button>
      </form>
    </div>
  );
}
