/**
 * The widget UI: launcher bubble (or inline embed), the chat panel with the message
 * log, streamed bot replies, action confirmation cards, quick replies, image upload
 * with preview, typing and read receipts. All conversation logic lives in ChatClient;
 * this module only renders its state and forwards the visitor's intents.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { AttachmentRef, WireMessage } from "../../workers/protocol/frames.ts";
import { linkify } from "../../workers/protocol/linkify.ts";
import type { ChatClient, ChatState, Outgoing } from "./client.ts";
import { DICTS, LANGS, LANG_NAMES, isLang } from "./i18n.ts";
import type { Lang, Texts } from "./i18n.ts";
import { readJson, UPLOAD_MAX_BYTES, UPLOAD_TYPES, writeJson } from "./session.ts";
import { AfterHoursForm, PrechatForm, Survey } from "./forms.tsx";
import { onColor } from "./color.ts";
import { useSubscribe } from "./store.ts";
import type { Store } from "./store.ts";

export type UiState = { open: boolean; lang: Lang };
export type WidgetOptions = {
  mode: "bubble" | "embed";
  position?: "left" | "right";
  colors: { primary?: string };
  texts: Partial<Texts & { title: string; greeting: string }>;
  launcherIcon?: string;
  showPoweredBy?: boolean;
};

const ICONS: Record<string, string> = {
  chat: "M4 4h16v12H7l-3 3z",
  message: "M3 5h18v12H3zm0 0 9 7 9-7",
  close: "M6 6l12 12M18 6 6 18",
  help: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm-2.5 6.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5V14m0 3v.01",
};

function Icon({ name }: { name: string }) {
  if (/^(https?:|data:image\/|\/)/.test(name)) return <img src={name} alt="" width={28} height={28} />;
  return (
    <svg
      viewBox="0 0 24 24"
      width="28"
      height="28"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linejoin="round"
      stroke-linecap="round"
      aria-hidden="true"
    >
      <path d={ICONS[name] ?? ICONS.chat} />
    </svg>
  );
}

function ActionCard({
  client,
  state,
  actionId,
  t,
}: {
  client: ChatClient;
  state: ChatState;
  actionId: string;
  t: Texts;
}) {
  const [sent, setSent] = useState(false);
  const action = state.actions[actionId];
  // "proposed" (held for an operator) never reaches customers (room/visibility.ts); read it as pending.
  const status = action?.status === "proposed" || !action ? "pending" : action.status;
  return (
    <div
      class={`os-action os-${status}`}
      data-action-id={actionId}
      data-status={status}
      role="group"
      aria-label={action?.summary ?? t.pending}
    >
      {action && <p class="os-action-summary">{action.summary}</p>}
      <p class="os-action-status" role="status">
        {t[status]}
      </p>
      {status === "pending" && (
        <div class="os-row">
          <button
            type="button"
            class="os-primary"
            disabled={sent}
            onClick={() => setSent(client.decide(actionId, "confirm"))}
          >
            {t.confirm}
          </button>
          <button
            type="button"
            class="os-ghost"
            disabled={sent}
            onClick={() => setSent(client.decide(actionId, "cancel"))}
          >
            {t.cancel}
          </button>
        </div>
      )}
    </div>
  );
}

/** Text with web addresses and tracking numbers as links (segments, never HTML). */
function Linked({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((seg) =>
        seg.href ? (
          <a href={seg.href} target="_blank" rel="noopener noreferrer">
            {seg.text}
          </a>
        ) : (
          seg.text
        ),
      )}
    </>
  );
}

/** An image attachment: a thumbnail behind a signed link; a click shows it full size inside the panel. */
function Thumb({ client, a, t }: { client: ChatClient; a: AttachmentRef; t: Texts }) {
  const [src, setSrc] = useState<string | null>(null);
  const [big, setBig] = useState(false);
  useEffect(() => {
    let live = true;
    void client.fileUrl(a.key).then((u) => live && setSrc(u));
    return () => {
      live = false;
    };
  }, [a.key]);
  if (!src) return <span class="os-file">📎 {a.name}</span>;
  return (
    <>
      <button type="button" class="os-thumb-btn" aria-label={`${t.enlarge}: ${a.name}`} onClick={() => setBig(true)}>
        <img class="os-thumb" src={src} alt={a.name} data-key={a.key} />
      </button>
      {big && (
        <div class="os-zoom" role="dialog" aria-label={a.name} onClick={() => setBig(false)}>
          <img src={src} alt={a.name} />
        </div>
      )}
    </>
  );
}

function Bubble({
  m,
  mine,
  children,
  note,
  client,
  t,
}: {
  m: { content: string; attachments: AttachmentRef[] };
  mine: boolean;
  children?: ComponentChildren;
  note?: string;
  client?: ChatClient;
  t?: Texts;
}) {
  return (
    <div class={`os-msg ${mine ? "os-me" : "os-them"}`}>
      {m.content && m.content !== "[attachment]" && (
        <div class="os-text" dir="auto">
          <Linked text={m.content} />
        </div>
      )}
      {m.attachments.map((a) =>
        client && t && a.mimeType.startsWith("image/") ? (
          <Thumb client={client} a={a} t={t} />
        ) : (
          <span class="os-file">📎 {a.name}</span>
        ),
      )}
      {children}
      {note && <span class="os-meta">{note}</span>}
    </div>
  );
}

function Message({
  m,
  client,
  state,
  t,
  last,
  seen,
}: {
  m: WireMessage;
  client: ChatClient;
  state: ChatState;
  t: Texts;
  last: boolean;
  seen: boolean;
}) {
  const mine = m.senderType === "contact";
  // Confirm/Cancel of an action are drawn by the action card; the same buttons also travel as payloads for channels without cards.
  const replies = m.actionId ? m.buttons.filter((b) => !b.payload.startsWith("action:")) : m.buttons;
  if (m.type === "activity") return <p class="os-activity">{m.content}</p>;
  return (
    <div class="os-item" data-seq={m.seq} data-sender={m.senderType} data-client-id={m.clientId ?? undefined}>
      {!mine && m.senderName && <span class="os-name">{m.senderName}</span>}
      <Bubble m={m} mine={mine} note={seen ? t.seen : undefined} client={client} t={t}>
        {m.actionId && <ActionCard client={client} state={state} actionId={m.actionId} t={t} />}
      </Bubble>
      {last && !mine && replies.length > 0 && (
        <div class="os-replies">
          {replies.map((b) => (
            <button type="button" class="os-chip" onClick={() => void client.send(b.title)}>
              {b.title}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function Pending({ o, t }: { o: Outgoing; t: Texts }) {
  return (
    <div class="os-item os-pending" data-client-id={o.clientId} data-sender="contact">
      <Bubble
        m={{ content: o.text, attachments: [] }}
        mine
        note={o.failed ? (o.failed === "upload" ? t.uploadFailed : (o.reason ?? t.sendFailed)) : t.sending}
      >
        {o.previews?.map((src) => (
          <img class="os-thumb" src={src} alt="" />
        ))}
      </Bubble>
    </div>
  );
}

function Composer({ client, t }: { client: ChatClient; t: Texts }) {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<{ file: File; url: string }[]>([]);
  const [fileError, setFileError] = useState(false);
  const typingTimer = useRef(0);
  const fileInput = useRef<HTMLInputElement>(null);
  const submit = () => {
    if (!text.trim() && !files.length) return;
    void client.send(
      text,
      files.map((f) => f.file),
    );
    setText("");
    setFiles([]);
  };
  return (
    <form
      class="os-composer"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {files.length > 0 && (
        <div class="os-previews">
          {files.map((f, i) => (
            <span class="os-preview">
              <img src={f.url} alt={f.file.name} />
              <button type="button" aria-label={t.remove} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                ×
              </button>
            </span>
          ))}
        </div>
      )}
      {fileError && (
        <p class="os-error" role="alert">
          {t.fileTooBig}
        </p>
      )}
      <div class="os-row">
        <input
          ref={fileInput}
          type="file"
          accept={UPLOAD_TYPES.join(",")}
          hidden
          onChange={(e) => {
            const picked = Array.from(e.currentTarget.files ?? []);
            const ok = picked.filter((f) => UPLOAD_TYPES.includes(f.type) && f.size <= UPLOAD_MAX_BYTES);
            setFileError(ok.length !== picked.length);
            setFiles([...files, ...ok.map((file) => ({ file, url: URL.createObjectURL(file) }))].slice(0, 5));
            e.currentTarget.value = "";
          }}
        />
        <button type="button" class="os-icon" aria-label={t.attach} onClick={() => fileInput.current?.click()}>
          <svg
            viewBox="0 0 24 24"
            width="20"
            height="20"
            fill="none"
            stroke="currentColor"
            stroke-width="2"
            aria-hidden="true"
          >
            <path d="M21 12 12 21a6 6 0 0 1-8-8l9-9a4 4 0 0 1 6 6l-9 9a2 2 0 0 1-3-3l8-8" />
          </svg>
        </button>
        <textarea
          class="os-input"
          dir="auto"
          rows={1}
          value={text}
          maxLength={8000}
          placeholder={t.placeholder}
          aria-label={t.placeholder}
          onInput={(e) => {
            setText(e.currentTarget.value);
            client.typing(true);
            clearTimeout(typingTimer.current);
            typingTimer.current = window.setTimeout(() => client.typing(false), 2000);
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" class="os-send os-primary" aria-label={t.send}>
          <svg viewBox="0 0 24 24" width="20" height="20" fill="currentColor" aria-hidden="true">
            <path d="M3 20 21 12 3 4v6l12 2-12 2z" />
          </svg>
        </button>
      </div>
    </form>
  );
}

export function App({ client, ui, opts }: { client: ChatClient; ui: Store<UiState>; opts: WidgetOptions }) {
  const state = useSubscribe(client, () => client.state);
  const { open, lang } = useSubscribe(ui, () => ui.value);
  const launcher = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  const embed = opts.mode === "embed";
  const visible = embed || open;
  const t: Texts = { ...DICTS[lang], ...opts.texts };
  const look = state.session?.appearance;
  const primary = opts.colors.primary ?? look?.primaryColor ?? "#0f766e";
  const own = look?.texts[lang];
  const title = opts.texts.title ?? (own?.title || look?.title) ?? "Support";
  const greeting = opts.texts.greeting ?? (own?.greeting || look?.greeting) ?? "";
  const side = opts.position ?? look?.position ?? "right";
  const powered = opts.showPoweredBy ?? look?.showPoweredBy ?? true;
  const hours = state.session?.businessHours;
  const convId = state.session?.conversationId ?? "";

  useEffect(() => {
    if (visible) {
      if (!embed) panel.current?.querySelector<HTMLElement>(".os-input")?.focus();
    } else if (wasOpen.current) launcher.current?.focus();
    wasOpen.current = visible;
  }, [visible]);

  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
    if (visible && document.visibilityState === "visible") client.markRead();
  }, [visible, state.messages.length, state.outbox.length, state.streams, state.typing]);

  useEffect(() => {
    const onVisible = () => ui.value.open && document.visibilityState === "visible" && client.markRead();
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);

  // Unread: replies after the last seq the visitor saw with the panel open (kept across reloads).
  const seenKey = `omnisupport:seen:${convId}`;
  const [seen, setSeen] = useState(-1);
  useEffect(() => setSeen(Number(readJson(seenKey)) || 0), [convId]);
  useEffect(() => {
    if (visible && seen >= 0 && state.lastSeq > seen) {
      setSeen(state.lastSeq);
      writeJson(seenKey, state.lastSeq);
    }
  }, [visible, state.lastSeq, seen]);
  const unread = visible || seen < 0 ? [] : state.messages.filter((m) => m.seq > seen && m.type === "outgoing");
  useEffect(() => {
    if (!unread.length) return;
    const base = document.title;
    const timer = setInterval(
      () => (document.title = document.title === base ? `(${unread.length}) ${title}` : base),
      1500,
    );
    return () => {
      clearInterval(timer);
      document.title = base;
    };
  }, [unread.length]);

  const lastMine = [...state.messages].reverse().find((m) => m.senderType === "contact");
  const statusText =
    state.status === "offline"
      ? t.offline
      : state.status === "connecting"
        ? t.connecting
        : state.status === "error"
          ? state.elsewhere
            ? t.elsewhere
            : (state.notice ?? t.error)
          : "";

  const body = (
    <section
      ref={panel}
      class="os-panel"
      role={embed ? "region" : "dialog"}
      aria-label={title}
      dir={lang === "he" ? "rtl" : "ltr"}
      lang={lang}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !embed) ui.set({ open: false });
      }}
    >
      <header class="os-header">
        <h2>{title}</h2>
        <select
          aria-label={t.language}
          value={lang}
          onChange={(e) => {
            const v = e.currentTarget.value;
            if (isLang(v)) ui.set({ lang: v });
          }}
        >
          {LANGS.map((l) => (
            <option value={l}>{LANG_NAMES[l]}</option>
          ))}
        </select>
        {!embed && (
          <button type="button" class="os-close" aria-label={t.close} onClick={() => ui.set({ open: false })}>
            <svg viewBox="0 0 24 24" width="20" height="20" stroke="currentColor" stroke-width="2" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" />
            </svg>
          </button>
        )}
      </header>
      {statusText && (
        <p class={`os-status os-${state.status}`} role="status">
          {statusText}
        </p>
      )}
      {state.status === "consent" && state.consent && (
        <div class="os-consent" role="group" aria-label={t.consentPolicy}>
          <p dir="auto">{state.consent.text}</p>
          {state.consent.policyUrl && (
            <a href={state.consent.policyUrl} target="_blank" rel="noopener noreferrer">
              {t.consentPolicy}
            </a>
          )}
          <button type="button" class="os-consent-agree" onClick={() => client.agree(state.consent?.version ?? "")}>
            {t.consentAgree}
          </button>
        </div>
      )}
      <div class="os-log" ref={log} role="log" aria-live="polite" aria-label={title}>
        {hours && !hours.open && (
          <AfterHoursForm
            client={client}
            t={t}
            doneKey={`omnisupport:after:${convId}`}
            description={hours.description}
          />
        )}
        {greeting && (
          <div class="os-item">
            <Bubble m={{ content: greeting, attachments: [] }} mine={false} />
          </div>
        )}
        {state.synced && state.messages.length === 0 && hours?.open !== false && state.session && (
          <PrechatForm client={client} t={t} doneKey={`omnisupport:prechat:${state.session.visitorId}`} />
        )}
        {state.messages.map((m, i) => (
          <Message
            m={m}
            client={client}
            state={state}
            t={t}
            last={i === state.messages.length - 1 && !state.outbox.length}
            seen={m === lastMine && state.operatorRead >= m.seq}
          />
        ))}
        {state.streams.map((s) => (
          <div class="os-item os-stream" data-sender="bot" data-stream-id={s.id} aria-busy={!s.done}>
            <Bubble m={{ content: s.text, attachments: [] }} mine={false} />
          </div>
        ))}
        {state.outbox.map((o) => (
          <Pending o={o} t={t} />
        ))}
        {state.typing && (
          <p class="os-typing">
            <span class="os-dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>{" "}
            {state.typing.name ?? ""} {t.typing}
          </p>
        )}
        {state.conv?.csatRequested && <Survey client={client} t={t} doneKey={`omnisupport:csat:${convId}`} />}
      </div>
      <Composer client={client} t={t} />
      {powered && <p class="os-powered">{t.poweredBy}</p>}
    </section>
  );

  return (
    <div
      class={`os-root os-${opts.mode} os-side-${side}`}
      data-conversation-id={convId || undefined}
      data-status={state.status}
      style={{ "--os-primary": primary, "--os-on-primary": onColor(primary) }}
    >
      {visible && body}
      {!embed && (
        <button
          type="button"
          ref={launcher}
          class="os-launcher"
          aria-label={open ? t.close : unread.length ? `${t.open} (${unread.length} ${t.unread})` : t.open}
          aria-expanded={open}
          onClick={() => ui.set({ open: !open })}
        >
          <Icon name={open ? "close" : (opts.launcherIcon ?? look?.launcherIcon ?? "chat")} />
          {unread.length > 0 && (
            <span class="os-badge" aria-hidden="true">
              {unread.length}
            </span>
          )}
        </button>
      )}
      {unread.length > 0 && (
        <button type="button" class="os-peek" dir="auto" onClick={() => ui.set({ open: true })}>
          {unread[unread.length - 1]?.content}
        </button>
      )}
    </div>
  );
}
