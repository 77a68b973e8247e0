/**
 * One conversation: header with the operator commands, the timeline (earlier
 * conversations of the same contact on any channel above, notes visibly distinct,
 * streamed bot replies as they arrive), the composer, the AI panel and customer card.
 * Commands and messages go over the ConversationRoom socket.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { AttachmentRef, type OperatorCommand } from "../../../workers/protocol/frames.ts";
import { Attachment, Linked } from "./Attachment.tsx";
import { Avatar } from "./Avatar.tsx";
import { displayName } from "../../../workers/protocol/names.ts";
import { markRead } from "../lib/unread.ts";
import { navigate } from "../router.ts";
import { useMedia } from "../lib/media.ts";
import { getContact, getConversation, listMessages, type Message } from "../api/endpoints.ts";
import { directoryStore, operatorName } from "../directory.ts";
import { dateTime } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { useStore } from "../lib/store.ts";
import { useConversationRoom, type TimelineMessage } from "../realtime/conversation.ts";
import type { Session } from "../session.ts";
import { AiPanel } from "./AiPanel.tsx";
import { ErrorBanner, Modal, useAsync } from "./common.tsx";
import { Composer } from "./Composer.tsx";
import { CustomerCard } from "./CustomerCard.tsx";
import { EraseReceipt, type EraseReceiptStores } from "./CustomerRights.tsx";
import { PRIORITIES } from "../../../workers/protocol/vocabulary.ts";

function fromRest(m: Message, names: Map<string, string>): TimelineMessage {
  return {
    key: m.id,
    seq: m.seq,
    type: m.type,
    senderType: m.senderType,
    senderName: m.senderId ? (names.get(m.senderId) ?? null) : null,
    content: m.content,
    createdAt: m.createdAt,
    actionId: null,
    pending: false,
    clientId: null,
    attachments: m.attachments.flatMap((a) => {
      const ok = AttachmentRef.safeParse(a);
      return ok.success ? [ok.data] : [];
    }),
  };
}

/** Highlights @handles in notes. */
function NoteText({ text }: { text: string }) {
  const parts = text.split(/((?:^|(?<=\s))@[A-Za-z0-9_.-]+)/g);
  return <>{parts.map((p) => (p.startsWith("@") ? <mark class="mention">{p}</mark> : <Linked text={p} />))}</>;
}

function Bubble({
  m,
  history,
  label,
  conversationId,
  focused = false,
}: {
  m: TimelineMessage;
  history?: boolean;
  focused?: boolean;
  label: (m: TimelineMessage) => string;
  conversationId: string;
}) {
  const t = useT();
  const cls = [
    "msg",
    m.type,
    m.senderType === "bot" ? "bot" : "",
    m.pending ? "pending" : "",
    history ? "history" : "",
    focused ? "focused" : "",
  ].join(" ");
  return (
    <div
      class={cls}
      data-testid={`msg-${m.type}`}
      data-seq={m.seq}
      data-message-id={m.key}
      data-focused={focused ? "true" : undefined}
    >
      <div class="meta">
        {m.type === "note" && <b>{t("noteLabel")} · </b>}
        {label(m)} · {dateTime(m.createdAt)}
      </div>
      {m.type === "note" ? (
        <NoteText text={m.content} />
      ) : m.content === "[attachment]" && m.attachments.length ? null : (
        <Linked text={m.content} />
      )}
      {m.attachments.length > 0 && (
        <div class="attachments">
          {m.attachments.map((a) => (
            <Attachment conversationId={conversationId} a={a} />
          ))}
        </div>
      )}
    </div>
  );
}

export function ConversationView({
  id,
  session,
  focus = null,
}: {
  id: string;
  session: Session;
  focus?: string | null;
}) {
  const t = useT();
  const dir = useStore(directoryStore);
  const conv = useAsync(() => getConversation(id), [id]);
  const contactId = conv.data?.contactId ?? null;
  const contact = useAsync(() => (contactId ? getContact(contactId) : Promise.resolve(null)), [contactId]);
  const opNames = new Map(dir.operators.map((o) => [o.id, o.name]));
  const [room, api] = useConversationRoom(id, session.operator.name);
  const [transferOpen, setTransferOpen] = useState(false);
  const [allHistory, setAllHistory] = useState(false);
  const [erased, setErased] = useState<EraseReceiptStores | null>(null);
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    listMessages(id).then(
      (r) => api.seed(r.items.map((m) => fromRest(m, opNames))),
      () => undefined,
    );
  }, [id, dir.operators.length]);

  useEffect(() => {
    // A linked message (a memory's source) is scrolled to instead of the newest one.
    const target = focus ? document.querySelector(`[data-message-id="${CSS.escape(focus)}"]`) : null;
    if (target) target.scrollIntoView({ block: "center" });
    else bottom.current?.scrollIntoView({ block: "end" });
    const last = room.messages.filter((m) => !m.pending).at(-1);
    if (last && room.conn === "open") api.read(last.seq);
  }, [room.messages.length, room.streams.length, contact.data, focus]);

  const history = useMemo(() => {
    const d = contact.data;
    if (!d) return [];
    return d.timeline
      .filter((m) => m.conversationId !== id)
      .map((m) => ({
        m: fromRest(m, opNames),
        conversationId: m.conversationId,
        channel: d.conversations.find((c) => c.id === m.conversationId)?.channel ?? "",
      }));
  }, [contact.data, id]);

  const label = (m: TimelineMessage): string => {
    if (m.senderName) return m.senderName;
    if (m.senderType === "contact") return contactName;
    if (m.senderType === "bot") return t("bot");
    if (m.senderType === "system") return t("system_");
    return t("operator");
  };

  const contactName = conv.data ? displayName(conv.data.contactId, contact.data?.contact ?? null) : "…";
  const isMobile = useMedia("(max-width: 720px)");
  // Analysts read everything and change nothing: write controls are disabled, the composer is replaced by a notice.
  const readOnly = session.operator.role === "analyst";
  useEffect(() => markRead(id), [id, room.messages.length]);

  const state = room.state;
  const status = state?.status ?? conv.data?.status ?? "open";
  const priority = state?.priority ?? conv.data?.priority ?? "normal";
  const tags = state?.tags ?? conv.data?.tags ?? [];
  const assigneeId = state?.assigneeId ?? conv.data?.assigneeId ?? null;
  const cmd = (c: OperatorCommand) => api.command(c);

  // Shortcut "e" (resolve) is dispatched here through a window event from the workspace.
  useEffect(() => {
    const onResolve = () => cmd({ command: "resolve" });
    addEventListener("os:resolve", onResolve);
    return () => removeEventListener("os:resolve", onResolve);
  }, [room.conn]);

  // After an erasure nothing of the customer stays on screen: only what was removed.
  if (erased)
    return (
      <div class="conversation page col" data-testid="erased">
        <h2>{t("erasedTitle")}</h2>
        <EraseReceipt stores={erased} />
        <a href="#/inbox" onClick={(e) => (e.preventDefault(), navigate("/inbox"))}>
          {t("backToInbox")}
        </a>
      </div>
    );

  return (
    <>
      <div class="conversation" data-testid="conversation" data-conversation-id={id}>
        <div class="conv-header">
          {isMobile && (
            <button class="back" data-testid="back" aria-label={t("inbox")} onClick={() => navigate("/inbox")}>
              ←
            </button>
          )}
          <Avatar name={contactName} size={28} />
          <span class="contact-head">
            <b data-testid="contact-name">{contactName}</b>
            {(contact.data?.contact.email ?? contact.data?.contact.phone) && (
              <span class="small muted">{contact.data?.contact.email ?? contact.data?.contact.phone}</span>
            )}
          </span>
          <span class="badge">{conv.data?.channel}</span>
          <span class="badge" data-testid="conv-status">
            {t(status)}
          </span>
          <span class={`dot ${room.conn}`} title={room.conn} />
          <span class="small muted">{state?.assigneeName ?? operatorName(dir, assigneeId)}</span>
          {session.operator.role !== "operator" && (
            <a class="small" href={`#/admin/traces/${encodeURIComponent(id)}`} data-testid="open-trace">
              {t("traces")}
            </a>
          )}
          <span style={{ flex: 1 }} />
          <fieldset class="plain conv-actions" disabled={readOnly}>
            <select
              aria-label={t("priority")}
              value={priority}
              onChange={(e) => {
                const v = e.currentTarget.value;
                if (v === "low" || v === "normal" || v === "high" || v === "urgent")
                  cmd({ command: "set_priority", priority: v });
              }}
            >
              {PRIORITIES.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
            <TagEditor tags={tags} readOnly={readOnly} onChange={(next) => cmd({ command: "set_tags", tags: next })} />
            {assigneeId !== session.operator.id && (
              <button onClick={() => cmd({ command: "assign", operatorId: session.operator.id })}>
                {t("assignToMe")}
              </button>
            )}
            <button onClick={() => setTransferOpen(true)} data-testid="transfer">
              {t("transfer")}
            </button>
            <select
              aria-label={t("snooze")}
              value=""
              onChange={(e) => {
                const hours = Number(e.currentTarget.value);
                if (hours > 0) cmd({ command: "snooze", until: Date.now() + hours * 3_600_000 });
              }}
            >
              <option value="">{t("snooze")}…</option>
              <option value="1">1 h</option>
              <option value="4">4 h</option>
              <option value="24">24 h</option>
            </select>
            <button onClick={() => cmd({ command: "return_to_bot" })}>{t("returnToBot")}</button>
            {status === "resolved" ? (
              <button onClick={() => cmd({ command: "reopen" })}>{t("reopen")}</button>
            ) : (
              <button class="primary" onClick={() => cmd({ command: "resolve" })} data-testid="resolve">
                {t("resolve")} <kbd>e</kbd>
              </button>
            )}
          </fieldset>
        </div>
        <ErrorBanner error={conv.error} />
        {room.error && (
          <div class="banner error" role="alert" data-testid="room-error">
            {room.error}
          </div>
        )}
        <div class="timeline" data-testid="timeline">
          {history.length > 0 && (
            <>
              {history.length > 6 && !allHistory && (
                <button class="history-sep" data-read-safe onClick={() => setAllHistory(true)}>
                  {t("pastConversations")}: +{history.length - 6}
                </button>
              )}
              {(allHistory ? history : history.slice(-6)).map(({ m, channel, conversationId }) => (
                <Bubble m={m} history label={(x) => `${label(x)} · ${channel}`} conversationId={conversationId} />
              ))}
              <div class="history-sep">{t("pastConversations")} ↑</div>
            </>
          )}
          {room.messages.map((m) => (
            <Bubble key={m.key} m={m} label={label} conversationId={id} focused={focus !== null && m.key === focus} />
          ))}
          {room.streams.map((s) => (
            <div class="msg outgoing bot stream" data-testid="msg-stream">
              <div class="meta">
                {t("bot")} · {t("streaming")}
              </div>
              {s.text}
            </div>
          ))}
          {room.typing && (
            <div class="small muted">
              {room.typing.name ?? room.typing.from} {t("typing")}
            </div>
          )}
          <div ref={bottom} />
        </div>
        {readOnly ? (
          <p class="read-only-note muted" data-testid="read-only">
            {t("readOnly")}
          </p>
        ) : (
          <Composer
            contact={contact.data?.contact ?? null}
            operatorName={session.operator.name}
            disabled={false}
            onSend={api.send}
            onNote={api.note}
            onTyping={api.typing}
          />
        )}
      </div>
      <div class="side">
        <AiPanel conversationId={id} room={room} api={api} readOnly={readOnly} />
        <CustomerCard data={contact.data} error={contact.error} currentId={id} onErased={setErased} />
      </div>
      {transferOpen && (
        <TransferDialog onClose={() => setTransferOpen(false)} onTransfer={(c) => (cmd(c), setTransferOpen(false))} />
      )}
    </>
  );
}

function TagEditor({
  tags,
  onChange,
  readOnly,
}: {
  tags: string[];
  onChange: (tags: string[]) => void;
  readOnly: boolean;
}) {
  const t = useT();
  const [draft, setDraft] = useState("");
  return (
    <span class="row" data-testid="tags">
      {tags.map((x) => (
        <span class="badge">
          #{x}{" "}
          {!readOnly && (
            <a href="#" onClick={(e) => (e.preventDefault(), onChange(tags.filter((y) => y !== x)))}>
              ×
            </a>
          )}
        </span>
      ))}
      <input
        size={8}
        aria-label={t("tags")}
        placeholder={`+ ${t("tag")}`}
        value={draft}
        onInput={(e) => setDraft(e.currentTarget.value)}
        onKeyDown={(e) => {
          const v = draft.trim();
          if (e.key === "Enter" && v && !tags.includes(v)) {
            onChange([...tags, v]);
            setDraft("");
          }
        }}
      />
    </span>
  );
}

function TransferDialog({ onClose, onTransfer }: { onClose: () => void; onTransfer: (c: OperatorCommand) => void }) {
  const t = useT();
  const dir = useStore(directoryStore);
  const [target, setTarget] = useState("");
  const [note, setNote] = useState("");
  const submit = () => {
    const [kind, targetId] = target.split(":");
    if (!targetId) return;
    onTransfer(
      kind === "team"
        ? { command: "transfer", teamId: targetId, note: note || undefined }
        : { command: "transfer", operatorId: targetId, note: note || undefined },
    );
  };
  return (
    <Modal title={t("transfer")} onClose={onClose}>
      <label>
        {t("transferTo")}
        <select value={target} onChange={(e) => setTarget(e.currentTarget.value)} name="transfer-target">
          <option value="">—</option>
          <optgroup label={t("operators")}>
            {dir.operators.map((o) => (
              <option value={`op:${o.id}`}>
                {o.name} (@{o.handle})
              </option>
            ))}
          </optgroup>
          <optgroup label={t("teams")}>
            {dir.teams.map((x) => (
              <option value={`team:${x.id}`}>{x.name}</option>
            ))}
          </optgroup>
        </select>
      </label>
      <label>
        {t("noteForColleague")}
        <textarea rows={3} name="transfer-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      </label>
      <div class="row" style={{ justifyContent: "flex-end" }}>
        <button onClick={onClose}>{t("cancel")}</button>
        <button class="primary" disabled={!target} onClick={submit} data-testid="transfer-confirm">
          {t("transfer")}
        </button>
      </div>
    </Modal>
  );
}
