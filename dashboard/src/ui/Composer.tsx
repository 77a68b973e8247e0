/**
 * Reply / internal-note composer. "/" at the start opens canned responses, rendered
 * client-side with the contact and operator (`{{contact.name|there}}`) so the operator
 * edits the final text before sending; "@" in a note suggests colleagues' handles.
 * Other screens fill or focus it through `composerBus` (AI draft, shortcuts r / n).
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { renderCanned } from "../../../durable-objects/lib/canned.ts";
import type { Contact } from "../api/endpoints.ts";
import { directoryStore } from "../directory.ts";
import { useT } from "../lib/i18n.ts";
import { createStore, useStore } from "../lib/store.ts";

export type ComposerMode = "reply" | "note";
export type ComposerCommand =
  { kind: "focus"; mode: ComposerMode; seq: number } | { kind: "fill"; text: string; seq: number } | null;
export const composerBus = createStore<ComposerCommand>(null);
let seq = 0;
export const focusComposer = (mode: ComposerMode) => composerBus.set({ kind: "focus", mode, seq: ++seq });
export const fillComposer = (text: string) => composerBus.set({ kind: "fill", text, seq: ++seq });

interface Props {
  contact: Contact | null;
  operatorName: string;
  disabled: boolean;
  onSend: (text: string) => void;
  onNote: (text: string) => void;
  onTyping: (on: boolean) => void;
}

export function Composer({ contact, operatorName, disabled, onSend, onNote, onTyping }: Props) {
  const t = useT();
  const dir = useStore(directoryStore);
  const cmd = useStore(composerBus);
  const [mode, setMode] = useState<ComposerMode>("reply");
  const [text, setText] = useState("");
  const [active, setActive] = useState(0);
  const ref = useRef<HTMLTextAreaElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!cmd) return;
    if (cmd.kind === "focus") setMode(cmd.mode);
    if (cmd.kind === "fill") {
      setMode("reply");
      setText(cmd.text);
    }
    setTimeout(() => ref.current?.focus(), 0);
  }, [cmd]);

  const vars = useMemo(
    () => ({
      contact: { name: contact?.name ?? "", email: contact?.email ?? "", phone: contact?.phone ?? "" },
      operator: { name: operatorName },
    }),
    [contact, operatorName],
  );

  const slash = /^\/(\S*)$/.exec(text);
  const cannedMatches = slash ? dir.canned.filter((c) => c.shortCode.startsWith(slash[1] ?? "")) : [];
  const at = mode === "note" ? /(?:^|\s)@([A-Za-z0-9_.-]*)$/.exec(text) : null;
  const mentionMatches = at ? dir.operators.filter((o) => o.handle.startsWith(at[1] ?? "")) : [];
  const menu: Array<{ label: string; preview: string; apply: () => void }> = [
    ...cannedMatches.map((c) => ({
      label: `/${c.shortCode}`,
      preview: renderCanned(c.content, vars),
      apply: () => setText(renderCanned(c.content, vars)),
    })),
    ...mentionMatches.map((o) => ({
      label: `@${o.handle}`,
      preview: o.name,
      apply: () => setText(text.replace(/@([A-Za-z0-9_.-]*)$/, `@${o.handle} `)),
    })),
  ];

  const submit = () => {
    const body = text.trim();
    if (!body || disabled) return;
    if (mode === "note") onNote(body);
    else onSend(body);
    setText("");
    onTyping(false);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (menu.length) {
      if (e.key === "ArrowDown") return (e.preventDefault(), setActive((a) => (a + 1) % menu.length));
      if (e.key === "ArrowUp") return (e.preventDefault(), setActive((a) => (a - 1 + menu.length) % menu.length));
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        menu[Math.min(active, menu.length - 1)]?.apply();
        setActive(0);
        return;
      }
    }
    if (e.key === "Escape") ref.current?.blur();
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      submit();
    }
  };

  const onInput = (value: string) => {
    setText(value);
    setActive(0);
    if (mode !== "reply") return;
    onTyping(true);
    if (typingTimer.current) clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => onTyping(false), 3000);
  };

  return (
    <div class={`composer${mode === "note" ? " note-mode" : ""}`} data-testid="composer">
      {menu.length > 0 && (
        <div class="canned-menu" role="listbox" data-testid="canned-menu">
          {menu.map((m, i) => (
            <div
              class={i === active ? "active" : ""}
              role="option"
              onMouseDown={(e) => (e.preventDefault(), m.apply())}
            >
              <b>{m.label}</b> <span class="muted small">{m.preview}</span>
            </div>
          ))}
        </div>
      )}
      <div class="row tabs" style={{ marginBottom: "6px" }}>
        <button class={mode === "reply" ? "active" : ""} onClick={() => setMode("reply")} data-testid="mode-reply">
          {t("reply")}
        </button>
        <button class={mode === "note" ? "active" : ""} onClick={() => setMode("note")} data-testid="mode-note">
          {t("note")}
        </button>
      </div>
      <textarea
        ref={ref}
        rows={3}
        name="composer"
        value={text}
        placeholder={mode === "note" ? t("notePlaceholder") : t("composerPlaceholder")}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <div class="row" style={{ justifyContent: "flex-end", marginTop: "6px" }}>
        <button class="primary" disabled={disabled || !text.trim()} onClick={submit} data-testid="composer-send">
          {mode === "note" ? t("addNote") : t("send")}
        </button>
      </div>
    </div>
  );
}
