/** The unified inbox: filters, REST pages merged with live rows from the presence socket. */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { listConversations } from "../api/endpoints.ts";
import { contactNames, directoryStore, ensureContactNames } from "../directory.ts";
import { timeAgo } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { useStore } from "../lib/store.ts";
import { liveItems } from "../realtime/presence.ts";
import { navigate } from "../router.ts";
import { ErrorBanner } from "./common.tsx";
import { Avatar } from "./Avatar.tsx";
import { displayName } from "../../../workers/protocol/names.ts";
import { noteActivity, unreadStore } from "../lib/unread.ts";
import { loadFilters, matches, mergeRows, rowFromConversation, rowSla, type Filters, type Row } from "./inbox-model.ts";
import { CHANNELS, CONVERSATION_STATUSES } from "../../../workers/protocol/vocabulary.ts";

export function Inbox({
  me,
  selectedId,
  onRows,
}: {
  me: string;
  selectedId: string | null;
  onRows: (rows: Row[]) => void;
}) {
  const t = useT();
  const dir = useStore(directoryStore);
  const live = useStore(liveItems);
  const names = useStore(contactNames);
  const [filters, setFilters] = useState<Filters>(() => loadFilters(sessionStorage.getItem("os.filters")));
  const [rest, setRest] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(Date.now());
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const seen = useRef(new Set<string>());
  const unread = useStore(unreadStore);

  // Full-text search (FTS5 on the server) once a word has 3 characters; typing is debounced.
  useEffect(() => {
    const next = search.trim().length >= 3 ? search.trim() : "";
    const timer = setTimeout(() => setQ(next), 250);
    return () => clearTimeout(timer);
  }, [search]);

  // Server-side filters go to the API; SLA risk and "mine/none" are applied locally too.
  const serverQuery = useMemo(
    () => ({
      status: filters.status || undefined,
      channel: filters.channel || undefined,
      assigneeId:
        filters.assignee === "me" ? me : filters.assignee && filters.assignee !== "none" ? filters.assignee : undefined,
      teamId: filters.team || undefined,
      category: filters.category || undefined,
      tag: filters.tag || undefined,
      q: q || undefined,
      limit: 50,
    }),
    [filters, me, q],
  );

  useEffect(() => {
    sessionStorage.setItem("os.filters", JSON.stringify(filters));
    let live = true;
    listConversations(serverQuery).then(
      (page) => {
        if (!live) return;
        setRest(page.items.map(rowFromConversation));
        setCursor(page.nextCursor);
        setError(null);
      },
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [serverQuery]);

  useEffect(() => {
    const i = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(i);
  }, []);

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await listConversations({ ...serverQuery, cursor });
      setRest((r) => [...r, ...page.items.map(rowFromConversation)]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(e);
    }
  };

  const rows = useMemo(() => {
    // While searching, only the server's matches are shown (live rows update them but add none).
    const ids = new Set(rest.map((r) => r.conversationId));
    return mergeRows(rest, live).filter((r) => (!q || ids.has(r.conversationId)) && matches(r, filters, me, now));
  }, [rest, live, filters, me, now, q]);
  useEffect(() => noteActivity(rows, selectedId), [rows, selectedId]);
  useEffect(() => onRows(rows), [rows]);
  useEffect(
    () =>
      ensureContactNames(
        rows
          .filter((r) => !r.contactName)
          .slice(0, 30)
          .map((r) => r.contactId),
      ),
    [rows, names],
  );
  const fresh = new Set(
    rows.filter((r) => !seen.current.has(r.conversationId) && live.has(r.conversationId)).map((r) => r.conversationId),
  );
  useEffect(() => {
    for (const r of rows) seen.current.add(r.conversationId);
  }, [rows]);

  const set = (k: keyof Filters) => (e: Event) => {
    const target = e.currentTarget;
    if (target instanceof HTMLSelectElement || target instanceof HTMLInputElement)
      setFilters({ ...filters, [k]: target.value });
  };
  const tags = [...new Set(rest.flatMap((r) => r.tags))].sort();
  const rowName = (r: Row): string =>
    r.contactName ??
    (r.contactId ? names.get(r.contactId) : null) ??
    displayName(r.contactId ?? r.conversationId, null);

  return (
    <div class="inbox" data-testid="inbox">
      <div class="search">
        <input
          type="search"
          id="inbox-search"
          data-testid="search"
          aria-label={t("search")}
          placeholder={t("searchPlaceholder")}
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Escape" && (setSearch(""), e.currentTarget.blur())}
        />
      </div>
      <div class="filters">
        <select aria-label={t("status")} value={filters.status} onChange={set("status")}>
          <option value="">
            {t("status")}: {t("all")}
          </option>
          {CONVERSATION_STATUSES.map((s) => (
            <option value={s}>{t(s)}</option>
          ))}
        </select>
        <select aria-label={t("channel")} value={filters.channel} onChange={set("channel")}>
          <option value="">
            {t("channel")}: {t("all")}
          </option>
          {CHANNELS.map((c) => (
            <option value={c}>{c}</option>
          ))}
        </select>
        <select aria-label={t("assignee")} value={filters.assignee} onChange={set("assignee")}>
          <option value="">
            {t("assignee")}: {t("any")}
          </option>
          <option value="me">{t("mine")}</option>
          <option value="none">{t("unassigned")}</option>
          {dir.operators.map((o) => (
            <option value={o.id}>{o.name}</option>
          ))}
        </select>
        <select aria-label={t("team")} value={filters.team} onChange={set("team")}>
          <option value="">
            {t("team")}: {t("any")}
          </option>
          {dir.teams.map((x) => (
            <option value={x.id}>{x.name}</option>
          ))}
        </select>
        <select aria-label={t("category")} value={filters.category} onChange={set("category")}>
          <option value="">
            {t("category")}: {t("any")}
          </option>
          {dir.categories.map((c) => (
            <option value={c.key}>{c.name}</option>
          ))}
        </select>
        <select aria-label={t("slaRisk")} value={filters.sla} onChange={set("sla")}>
          <option value="">
            {t("slaRisk")}: {t("any")}
          </option>
          <option value="at_risk">{t("atRisk")}</option>
          <option value="breached">{t("breached")}</option>
        </select>
        <input aria-label={t("tag")} list="os-tags" placeholder={t("tag")} value={filters.tag} onChange={set("tag")} />
        <datalist id="os-tags">
          {tags.map((x) => (
            <option value={x} />
          ))}
        </datalist>
      </div>
      <ErrorBanner error={error} />
      <div class="conv-list" role="listbox">
        {rows.length === 0 && (
          <p class="muted" style={{ padding: "10px" }}>
            {q ? t("noResults") : t("noConversations")}
          </p>
        )}
        {rows.map((r) => {
          const risk = rowSla(r, now);
          return (
            <div
              key={r.conversationId}
              role="option"
              aria-selected={r.conversationId === selectedId}
              data-conversation-id={r.conversationId}
              class={`conv-item${r.conversationId === selectedId ? " selected" : ""}${fresh.has(r.conversationId) ? " fresh" : ""}`}
              onClick={() => navigate(`/inbox/${encodeURIComponent(r.conversationId)}`)}
            >
              <div class="top">
                <span class="name">
                  <Avatar name={rowName(r)} />
                  {rowName(r)}
                </span>
                {(unread[r.conversationId] ?? 0) > 0 && (
                  <span
                    class="unread"
                    data-testid="unread-count"
                    aria-label={`${unread[r.conversationId]} ${t("unread")}`}
                  >
                    {unread[r.conversationId]}
                  </span>
                )}
                <span class="small muted">{timeAgo(r.lastMessageAt, now)}</span>
              </div>
              <div class="preview">{r.preview ?? "—"}</div>
              <div class="row small">
                <span class="badge">{r.channel}</span>
                <span class="badge">{t(r.status)}</span>
                {r.owner === "bot" && <span class="badge">{t("bot")}</span>}
                {r.priority !== "normal" && <span class={`badge ${r.priority}`}>{r.priority}</span>}
                {(risk === "at_risk" || risk === "breached") && (
                  <span class={`badge ${risk}`}>SLA {risk === "breached" ? t("breached") : t("atRisk")}</span>
                )}
                {r.category && <span class="badge">{r.category}</span>}
                {r.tags.map((x) => (
                  <span class="badge">#{x}</span>
                ))}
              </div>
            </div>
          );
        })}
        {cursor && (
          <button style={{ margin: "8px" }} onClick={loadMore}>
            {t("loadMore")}
          </button>
        )}
      </div>
    </div>
  );
}
