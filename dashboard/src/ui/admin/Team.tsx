/** Operators (role, skills, languages, capacity, live presence) and teams. */
import { useState } from "preact/hooks";
import { CATEGORY_KEYS } from "../../../../workers/lib/categories.ts";
import { createOperator, createTeam, listOperators, listTeams, patchOperator, patchTeam } from "../../api/endpoints.ts";
import { ChipInput } from "../ChipInput.tsx";
import type { Operator } from "../../api/schemas.ts";
import { loadDirectory } from "../../directory.ts";
import { useT } from "../../lib/i18n.ts";
import { useStore } from "../../lib/store.ts";
import { colleagues } from "../../realtime/presence.ts";
import { ErrorBanner, errorText, useAsync } from "../common.tsx";

const LANGS = ["en", "ru", "he", "es", "fr"] as const;
const LANG_LABEL: Record<(typeof LANGS)[number], string> = {
  en: "English",
  ru: "Русский",
  he: "עברית",
  es: "Español",
  fr: "Français",
};

function TeamRow({
  team,
  operators,
  onSaved,
}: {
  team: { id: string; name: string; memberIds: string[] };
  operators: Array<{ value: string; label: string }>;
  onSaved: () => void;
}) {
  const t = useT();
  const [name, setName] = useState(team.name);
  const [members, setMembers] = useState(team.memberIds);
  const [msg, setMsg] = useState<string | null>(null);
  const save = async () => {
    try {
      await patchTeam(team.id, { name, memberIds: members });
      setMsg(t("saved"));
      onSaved();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  return (
    <tr data-team-id={team.id}>
      <td>
        <input aria-label={t("name")} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </td>
      <td>
        <ChipInput label={t("members")} value={members} options={operators} onChange={setMembers} />
      </td>
      <td>
        <button onClick={save}>{t("save")}</button> <span class="small">{msg}</span>
      </td>
    </tr>
  );
}

function OperatorRow({ o, online, onSaved }: { o: Operator; online: string; onSaved: () => void }) {
  const t = useT();
  const [skills, setSkills] = useState(o.skills);
  const [langs, setLangs] = useState(o.languages);
  const [cap, setCap] = useState(o.maxConcurrent);
  const [role, setRole] = useState(o.role);
  const [msg, setMsg] = useState<string | null>(null);
  const save = async () => {
    try {
      const skillKeys = CATEGORY_KEYS.filter((k) => skills.includes(k));
      await patchOperator(o.id, {
        skills: skillKeys,
        languages: langs,
        maxConcurrent: cap,
        ...(role !== o.role && role !== "owner" ? { role } : {}),
      });
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
      <td>
        {o.role === "owner" ? (
          o.role
        ) : (
          <select
            aria-label={t("role")}
            value={role}
            onChange={(e) => {
              const v = e.currentTarget.value;
              if (v === "admin" || v === "operator" || v === "analyst") setRole(v);
            }}
          >
            <option value="operator">operator</option>
            <option value="admin">admin</option>
            <option value="analyst">analyst</option>
          </select>
        )}
      </td>
      <td>
        <ChipInput
          label={t("skills")}
          value={skills}
          options={CATEGORY_KEYS.map((k) => ({ value: k, label: k.replace(/_/g, " ") }))}
          onChange={setSkills}
        />
      </td>
      <td>
        <ChipInput
          label={t("languages")}
          value={langs}
          options={LANGS.map((k) => ({ value: k, label: LANG_LABEL[k] }))}
          onChange={setLangs}
        />
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
            <TeamRow
              key={x.id}
              team={x}
              operators={(ops.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
              onSaved={() => (teams.reload(), void loadDirectory())}
            />
          ))}
        </tbody>
      </table>
      <form class="row card" onSubmit={addTeam}>
        <input placeholder={t("name")} required value={teamName} onInput={(e) => setTeamName(e.currentTarget.value)} />
        <ChipInput
          label={t("members")}
          value={teamMembers}
          options={(ops.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
          onChange={setTeamMembers}
        />
        <button class="primary" type="submit">
          {t("create")}
        </button>
      </form>
    </div>
  );
}
