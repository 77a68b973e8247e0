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
import { dateTime } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { ErrorBanner, useAsync } from "./common.tsx";
import {
  confidencePercent,
  dateInputValue,
  expiryFromDateInput,
  memoryExpiry,
  originKey,
  sourceHref,
} from "./memory-model.ts";

const Memory = z.object({
  id: z.string(),
  category: z.string(),
  fact: z.string(),
  status: z.enum(["proposed", "approved", "rejected"]),
  origin: z.string(),
  confidence: z.number(),
  sourceConversationId: z.string().nullable(),
  sourceMessageId: z.string().nullable(),
  expiresAt: z.number().nullable(),
  createdAt: z.number(),
});
type Memory = z.infer<typeof Memory>;
const Memories = z.object({ items: z.array(Memory) });
const Deleted = z.object({ deleted: z.boolean() });
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

function ExpiryBadge({ m }: { m: Memory }) {
  const t = useT();
  const e = memoryExpiry(m.expiresAt, Date.now());
  return (
    <span class={`badge${e.state === "expired" ? " breached" : ""}`} data-testid="memory-expiry" data-state={e.state}>
      {e.state === "none" ? t("memNoExpiry") : `${t(e.state === "expired" ? "memExpired" : "memExpires")} ${e.date}`}
    </span>
  );
}

function MemoryRow({ m, contactId, onChange }: { m: Memory; contactId: string; onChange: () => void }) {
  const t = useT();
  const [text, setText] = useState(m.fact);
  const [error, setError] = useState<unknown>(null);
  const [dateError, setDateError] = useState(false);
  const memoryPath = path(contactId, `/${encodeURIComponent(m.id)}`);
  const patch = (body: Record<string, unknown>) =>
    api(Memory, memoryPath, { method: "PATCH", body }).then(onChange, setError);
  const forget = () => {
    if (!confirm(t("memForgetConfirm"))) return;
    void api(Deleted, memoryPath, { method: "DELETE" }).then(onChange, setError);
  };
  const setExpiry = (value: string) => {
    const expiresAt = expiryFromDateInput(value);
    setDateError(expiresAt === undefined);
    if (expiresAt !== undefined) void patch({ expiresAt });
  };
  const href = sourceHref(m);
  return (
    <div
      class={`small memory${m.status === "rejected" ? " muted" : ""}`}
      data-testid="memory"
      data-memory-id={m.id}
      data-status={m.status}
      style={{ marginBottom: "8px" }}
    >
      <div class="row" style={{ flexWrap: "wrap", gap: "4px" }}>
        <span class="badge">{m.category}</span>
        <span class={`badge${m.status === "approved" ? " ok" : ""}`}>{t(`memStatus_${m.status}`)}</span>
        <ExpiryBadge m={m} />
        <span class="badge" title={t("memConfidence")}>
          {confidencePercent(m.confidence)}
        </span>
      </div>
      <div class="row">
        <input
          aria-label={t("memFact")}
          data-testid="memory-fact"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 0 }}
        />
        {text !== m.fact && (
          <button type="button" onClick={() => void patch({ fact: text })}>
            {t("memSave")}
          </button>
        )}
      </div>
      <div class="row" style={{ flexWrap: "wrap", gap: "4px" }}>
        {m.status !== "approved" && (
          <button type="button" class="primary" onClick={() => void patch({ status: "approved" })}>
            {t("approve")}
          </button>
        )}
        {m.status !== "rejected" && (
          <button type="button" onClick={() => void patch({ status: "rejected" })}>
            {t("memReject")}
          </button>
        )}
        <button type="button" class="danger" onClick={forget} data-testid="memory-forget">
          {t("memForget")}
        </button>
        <label class="row" style={{ gap: "4px" }}>
          <span class="muted">{t("memExpiryLabel")}</span>
          <input
            type="date"
            value={dateInputValue(m.expiresAt)}
            onChange={(e) => setExpiry(e.currentTarget.value)}
            data-testid="memory-expiry-input"
          />
        </label>
      </div>
      <div class="muted">
        {t(originKey(m.origin))} · {dateTime(m.createdAt)}
        {href && (
          <>
            {" · "}
            <a href={href} data-testid="memory-source">
              {t("memSource")}
            </a>
          </>
        )}
      </div>
      {dateError && (
        <div class="banner error" role="alert">
          {t("memBadDate")}
        </div>
      )}
      {error !== null && <ErrorBanner error={error} />}
    </div>
  );
}

function ProfileView({ contactId }: { contactId: string }) {
  const t = useT();
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
      {p.lastResolution && (
        <div class="muted">
          {t("memLastResolution")}: {p.lastResolution}
        </div>
      )}
      <div class="row">
        <input
          aria-label={t("memTone")}
          placeholder={t("memTone")}
          value={tone ?? p.tone ?? ""}
          onInput={(e) => setTone(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 0 }}
        />
        {tone !== null && tone !== (p.tone ?? "") && (
          <button type="button" onClick={() => void save()}>
            {t("memSave")}
          </button>
        )}
      </div>
      {error !== null && <ErrorBanner error={error} />}
    </div>
  );
}

export function CustomerMemories({ contactId }: { contactId: string }) {
  const t = useT();
  const list = useAsync(() => api(Memories, path(contactId)), [contactId]);
  return (
    <section data-testid="memories">
      <h3 style={{ marginTop: "10px" }}>{t("memProfile")}</h3>
      <ProfileView contactId={contactId} />
      <h3 style={{ marginTop: "10px" }}>{t("memTitle")}</h3>
      {list.error !== null && <ErrorBanner error={list.error} />}
      {list.data?.items.length === 0 && <div class="small muted">{t("memNothing")}</div>}
      {list.data?.items.map((m) => (
        <MemoryRow
          key={`${m.id}:${m.fact}:${m.status}:${m.expiresAt ?? ""}`}
          m={m}
          contactId={contactId}
          onChange={list.reload}
        />
      ))}
    </section>
  );
}

export type EraseReceiptStores = Array<{ name: string; removed: number }>;

/** What an erasure removed, store by store. */
export function EraseReceipt({ stores }: { stores: EraseReceiptStores }) {
  const t = useT();
  return (
    <>
      <p class="small">{t("eraseReceipt")}</p>
      <table class="small" data-testid="erase-receipt">
        <tbody>
          {stores.map((s) => (
            <tr>
              <td>{s.name}</td>
              <td>{s.removed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * Export and erase for admins. When `onErased` is given the host shows the receipt in
 * place of what was erased (a conversation still on screen after its erasure looks as if
 * nothing happened); otherwise the receipt appears here.
 */
export function DataRights({
  contactId,
  onErased,
}: {
  contactId: string;
  onErased?: (stores: EraseReceiptStores) => void;
}) {
  const t = useT();
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
    if (!confirm(t("eraseConfirm"))) return;
    try {
      const res = await api(Receipt, `/contacts/${encodeURIComponent(contactId)}/erase`, { method: "POST" });
      setReceipt(res.receipt);
      onErased?.(res.receipt.stores);
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="data-rights">
      <h3 style={{ marginTop: "10px" }}>{t("dataRights")}</h3>
      <div class="row">
        <button type="button" onClick={() => void download()} data-testid="export-contact">
          {t("exportData")}
        </button>
        <button
          type="button"
          class="danger"
          onClick={() => void erase()}
          disabled={receipt !== null}
          data-testid="erase-contact"
        >
          {t("eraseData")}
        </button>
      </div>
      {error !== null && <ErrorBanner error={error} />}
      {receipt && !onErased && <EraseReceipt stores={receipt.stores} />}
    </section>
  );
}
