/**
 * Contacts: search (names, emails, phones and message text through the FTS API), a
 * profile that staff can edit (name, email, phone, tags), the contact's conversations,
 * and merge of a duplicate into this contact. Anonymous visitors show their generated
 * name and avatar. Analysts see everything read-only.
 */
import { useEffect, useState } from "preact/hooks";
import { displayName } from "../../../workers/protocol/names.ts";
import { getContact, listContacts, mergeContact, patchContact, type Contact } from "../api/endpoints.ts";
import { timeAgo } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { navigate } from "../router.ts";
import type { Session } from "../session.ts";
import { Avatar } from "./Avatar.tsx";
import { ErrorBanner, Modal, useAsync } from "./common.tsx";

export function Contacts({ session, selectedId }: { session: Session; selectedId: string | null }) {
  const t = useT();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const list = useAsync(() => listContacts(q), [q]);
  const readOnly = session.operator.role === "analyst";
  return (
    <div class={`workspace contacts${selectedId ? "" : " no-side"}`} data-testid="contacts">
      <div class="inbox">
        <div class="search">
          <input
            type="search"
            data-testid="contact-search"
            aria-label={t("search")}
            placeholder={t("searchPlaceholder")}
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <ErrorBanner error={list.error} />
        <div class="conv-list" role="listbox">
          {list.data?.items.length === 0 && (
            <p class="muted" style={{ padding: "10px" }}>
              {t("noResults")}
            </p>
          )}
          {list.data?.items.map((c) => (
            <div
              role="option"
              aria-selected={c.id === selectedId}
              data-contact-id={c.id}
              class={`conv-item${c.id === selectedId ? " selected" : ""}`}
              onClick={() => navigate(`/contacts/${encodeURIComponent(c.id)}`)}
            >
              <div class="top">
                <span class="name">
                  <Avatar name={displayName(c.id, c)} />
                  {displayName(c.id, c)}
                </span>
              </div>
              <div class="preview">{[c.email, c.phone].filter(Boolean).join(" · ") || "—"}</div>
            </div>
          ))}
        </div>
      </div>
      {selectedId ? (
        <ContactProfile key={selectedId} id={selectedId} readOnly={readOnly} onChanged={list.reload} />
      ) : (
        <div class="page muted">{t("contacts")}</div>
      )}
    </div>
  );
}

function ContactProfile({ id, readOnly, onChanged }: { id: string; readOnly: boolean; onChanged: () => void }) {
  const t = useT();
  const data = useAsync(() => getContact(id), [id]);
  const [form, setForm] = useState({ name: "", email: "", phone: "", tags: "" });
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [merging, setMerging] = useState(false);
  const c = data.data?.contact;
  useEffect(() => {
    if (c) setForm({ name: c.name ?? "", email: c.email ?? "", phone: c.phone ?? "", tags: c.tags.join(", ") });
  }, [c?.id, c?.name, c?.email, c?.phone]);
  if (!c) return <div class="page">{data.error ? <ErrorBanner error={data.error} /> : t("loading")}</div>;
  const save = async () => {
    setSaved(false);
    try {
      await patchContact(id, {
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
        ...(form.email.trim() ? { email: form.email.trim() } : {}),
        ...(form.phone.trim() ? { phone: form.phone.replace(/[\s()-]/g, "") } : {}),
        tags: form.tags
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      });
      setError(null);
      setSaved(true);
      data.reload();
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const field = (k: "name" | "email" | "phone" | "tags", label: string) => (
    <label>
      {label}
      <input
        inputMode={k === "email" ? "email" : k === "phone" ? "tel" : "text"}
        name={`contact-${k}`}
        value={form[k]}
        onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })}
      />
    </label>
  );
  return (
    <div class="page contact-profile" data-testid="contact-profile">
      <a class="mobile-only" href="#/contacts">
        ← {t("contacts")}
      </a>
      <div class="row">
        <Avatar name={displayName(c.id, c)} size={44} />
        <h2 style={{ margin: 0 }}>{displayName(c.id, c)}</h2>
      </div>
      <fieldset class="plain col" disabled={readOnly} style={{ maxWidth: "520px", marginTop: "12px" }}>
        {field("name", t("name"))}
        {field("email", t("email"))}
        {field("phone", t("phone"))}
        {field("tags", t("tags"))}
        <ErrorBanner error={error} />
        <div class="row">
          <button class="primary" data-testid="contact-save" onClick={save}>
            {t("save")}
          </button>
          <button data-testid="contact-merge" onClick={() => setMerging(true)}>
            {t("merge")}…
          </button>
          {saved && <span class="small muted">{t("saved")}</span>}
        </div>
      </fieldset>
      <h3>{t("conversations")}</h3>
      <ul class="plain-list">
        {data.data?.conversations.map((x) => (
          <li>
            <a href={`#/inbox/${encodeURIComponent(x.id)}`}>
              {x.channel} · {t(x.status)} · {timeAgo(x.lastMessageAt ?? x.createdAt, Date.now())}
            </a>{" "}
            <span class="small muted">{x.lastMessagePreview ?? ""}</span>
          </li>
        ))}
      </ul>
      {merging && (
        <MergeDialog
          target={c}
          onClose={() => setMerging(false)}
          onMerged={() => (setMerging(false), data.reload(), onChanged())}
        />
      )}
    </div>
  );
}

/** Pick a duplicate (search) and merge it into `target`; the duplicate's conversations and identities move over. */
function MergeDialog({ target, onClose, onMerged }: { target: Contact; onClose: () => void; onMerged: () => void }) {
  const t = useT();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const found = useAsync(
    () => (q.length >= 3 ? listContacts(q) : Promise.resolve({ items: [], nextCursor: null })),
    [q],
  );
  return (
    <Modal title={`${t("merge")} → ${displayName(target.id, target)}`} onClose={onClose}>
      <input
        type="search"
        aria-label={t("search")}
        placeholder={t("searchPlaceholder")}
        value={search}
        onInput={(e) => setSearch(e.currentTarget.value)}
      />
      <ErrorBanner error={error ?? found.error} />
      <ul class="plain-list">
        {found.data?.items
          .filter((x) => x.id !== target.id)
          .map((x) => (
            <li class="row">
              <Avatar name={displayName(x.id, x)} />
              <span style={{ flex: 1 }}>
                {displayName(x.id, x)} <span class="small muted">{[x.email, x.phone].filter(Boolean).join(" · ")}</span>
              </span>
              <button
                data-testid="merge-confirm"
                onClick={async () => {
                  try {
                    await mergeContact(target.id, x.id);
                    onMerged();
                  } catch (e) {
                    setError(e);
                  }
                }}
              >
                {t("merge")}
              </button>
            </li>
          ))}
      </ul>
    </Modal>
  );
}
