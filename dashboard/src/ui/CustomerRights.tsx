/**
 * Customer card additions (issue 20): the facts remembered about the customer (operators
 * see, edit, approve, reject, forget them) and, for admins, the data-rights actions:
 * download the export archive, erase the contact and show the receipt.
 */
import { useState } from "preact/hooks";
import { z } from "zod";
import { api } from "../api/client.ts";
import { isAdmin, sessionStore } from "../session.ts";
import { useStore } from "../lib/store.ts";
import { ErrorBanner, useAsync } from "./common.tsx";

const Memory = z.object({
  id: z.string(),
  category: z.string(),
  fact: z.string(),
  status: z.enum(["proposed", "approved", "rejected"]),
  origin: z.string(),
  confidence: z.number(),
  sourceConversationId: z.string().nullable(),
});
type Memory = z.infer<typeof Memory>;
const Memories = z.object({ items: z.array(Memory) });
const Profile = z.object({
  preferredLanguage: z.string().nullable(),
  preferredChannel: z.string().nullable(),
  tone: z.string().nullable(),
  recurringIssues: z.array(z.string()),
  lastResolution: z.string().nullable(),
});
const Receipt = z.object({
  receipt: z.object({ stores: z.array(z.object({ name: z.string(), removed: z.number() })) }),
});
const Archive = z.record(z.string(), z.unknown());

const path = (contactId: string, rest = "") => `/contacts/${encodeURIComponent(contactId)}/memories${rest}`;

function MemoryRow({ m, contactId, onChange }: { m: Memory; contactId: string; onChange: () => void }) {
  const [text, setText] = useState(m.fact);
  const [error, setError] = useState<unknown>(null);
  const patch = (body: Record<string, unknown>) =>
    api(Memory, path(contactId, `/${encodeURIComponent(m.id)}`), { method: "PATCH", body }).then(onChange, setError);
  return (
    <div class="small" data-testid="memory" data-status={m.status} style={{ marginBottom: "6px" }}>
      <span class="badge">{m.category}</span> <span class="badge">{m.status}</span>
      <div class="row">
        <input
          aria-label="Memory"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 0 }}
        />
        {text !== m.fact && (
          <button type="button" onClick={() => void patch({ fact: text })}>
            Save
          </button>
        )}
      </div>
      <div class="row">
        {m.status !== "approved" && (
          <button type="button" onClick={() => void patch({ status: "approved" })}>
            Approve
          </button>
        )}
        {m.status !== "rejected" && (
          <button type="button" onClick={() => void patch({ status: "rejected" })}>
            Reject
          </button>
        )}
        <span class="muted">
          {m.origin}
          {m.sourceConversationId ? ` · ${m.sourceConversationId}` : ""}
        </span>
      </div>
      {error !== null && <ErrorBanner error={error} />}
    </div>
  );
}

function ProfileView({ contactId }: { contactId: string }) {
  const profile = useAsync(() => api(Profile, `/contacts/${encodeURIComponent(contactId)}/profile`), [contactId]);
  const [tone, setTone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const p = profile.data;
  if (!p) return null;
  const save = () =>
    api(Profile, `/contacts/${encodeURIComponent(contactId)}/profile`, {
      method: "PATCH",
      body: { tone: tone?.trim() ? tone.trim() : null },
    }).then(() => (setTone(null), profile.reload()), setError);
  return (
    <div class="small" data-testid="profile">
      <div class="muted">
        {[p.preferredLanguage, p.preferredChannel, ...p.recurringIssues.map((x) => `#${x}`)]
          .filter(Boolean)
          .join(" · ")}
      </div>
      {p.lastResolution && <div class="muted">Last resolution: {p.lastResolution}</div>}
      <div class="row">
        <input
          aria-label="Tone"
          placeholder="Tone (e.g. brief, formal)"
          value={tone ?? p.tone ?? ""}
          onInput={(e) => setTone(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 0 }}
        />
        {tone !== null && tone !== (p.tone ?? "") && (
          <button type="button" onClick={() => void save()}>
            Save
          </button>
        )}
      </div>
      {error !== null && <ErrorBanner error={error} />}
    </div>
  );
}

export function CustomerMemories({ contactId }: { contactId: string }) {
  const list = useAsync(() => api(Memories, path(contactId)), [contactId]);
  return (
    <section data-testid="memories">
      <h3 style={{ marginTop: "10px" }}>Profile</h3>
      <ProfileView contactId={contactId} />
      <h3 style={{ marginTop: "10px" }}>Memory</h3>
      {list.error !== null && <ErrorBanner error={list.error} />}
      {list.data?.items.length === 0 && <div class="small muted">Nothing remembered yet</div>}
      {list.data?.items.map((m) => (
        <MemoryRow key={`${m.id}:${m.fact}:${m.status}`} m={m} contactId={contactId} onChange={list.reload} />
      ))}
    </section>
  );
}

export function DataRights({ contactId, onErased }: { contactId: string; onErased?: () => void }) {
  const session = useStore(sessionStore);
  const [receipt, setReceipt] = useState<z.infer<typeof Receipt>["receipt"] | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!isAdmin(session)) return null;
  const download = async () => {
    try {
      const archive = await api(Archive, `/contacts/${encodeURIComponent(contactId)}/export`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(archive, null, 2)], { type: "application/json" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `contact-${contactId}.json`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e);
    }
  };
  const erase = async () => {
    if (!confirm("Erase this customer everywhere? This cannot be undone.")) return;
    try {
      const res = await api(Receipt, `/contacts/${encodeURIComponent(contactId)}/erase`, { method: "POST" });
      setReceipt(res.receipt);
      onErased?.();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="data-rights">
      <h3 style={{ marginTop: "10px" }}>Data rights</h3>
      <div class="row">
        <button type="button" onClick={() => void download()}>
          Export
        </button>
        <button type="button" class="danger" onClick={() => void erase()} disabled={receipt !== null}>
          Erase
        </button>
      </div>
      {error !== null && <ErrorBanner error={error} />}
      {receipt && (
        <table class="small" data-testid="erase-receipt">
          <tbody>
            {receipt.stores.map((s) => (
              <tr>
                <td>{s.name}</td>
                <td>{s.removed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
