/** The operator workspace: inbox + conversation + side panels, and keyboard shortcuts. */
import { useEffect, useRef, useState } from "preact/hooks";
import { useT } from "../lib/i18n.ts";
import { navigate } from "../router.ts";
import type { Session } from "../session.ts";
import { Modal } from "./common.tsx";
import { focusComposer } from "./Composer.tsx";
import { ConversationView } from "./Conversation.tsx";
import { Inbox } from "./Inbox.tsx";
import type { Row } from "./inbox-model.ts";

function typingInField(e: KeyboardEvent): boolean {
  const el = e.target;
  return el instanceof HTMLElement && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
}

export function Workspace({
  session,
  selectedId,
  focusMessageId = null,
}: {
  session: Session;
  selectedId: string | null;
  /** A message to scroll to and mark (#/inbox/<conversation>/<message>, e.g. a memory's source). */
  focusMessageId?: string | null;
}) {
  const t = useT();
  const rows = useRef<Row[]>([]);
  const [cursorId, setCursorId] = useState<string | null>(selectedId);
  const [help, setHelp] = useState(false);

  useEffect(() => setCursorId(selectedId), [selectedId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e)) return;
      const list = rows.current;
      const idx = list.findIndex((r) => r.conversationId === (cursorId ?? selectedId));
      const go = (i: number) => {
        const r = list[Math.max(0, Math.min(list.length - 1, i))];
        if (r) navigate(`/inbox/${encodeURIComponent(r.conversationId)}`);
      };
      switch (e.key) {
        case "j":
          go(idx + 1);
          break;
        case "k":
          go(idx < 0 ? 0 : idx - 1);
          break;
        case "Enter":
          if (idx < 0) go(0);
          break;
        case "r":
          if (selectedId) {
            e.preventDefault();
            focusComposer("reply");
          }
          break;
        case "n":
          if (selectedId) {
            e.preventDefault();
            focusComposer("note");
          }
          break;
        case "e":
          if (selectedId) dispatchEvent(new Event("os:resolve"));
          break;
        case "?":
          setHelp((h) => !h);
          break;
        case "/": {
          const box = document.getElementById("inbox-search");
          if (box instanceof HTMLInputElement) {
            e.preventDefault();
            if (selectedId && matchMedia("(max-width: 720px)").matches) navigate("/inbox");
            box.focus();
            box.select();
          }
          break;
        }
        default:
          return;
      }
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, [cursorId, selectedId]);

  return (
    <div class={`workspace${selectedId ? "" : " no-side"}`}>
      <Inbox me={session.operator.id} selectedId={selectedId} onRows={(r) => (rows.current = r)} />
      {selectedId ? (
        <ConversationView key={selectedId} id={selectedId} session={session} focus={focusMessageId} />
      ) : (
        <div class="page muted">
          {t("selectConversation")} <kbd>?</kbd>
        </div>
      )}
      {help && (
        <Modal title={t("shortcuts")} onClose={() => setHelp(false)}>
          <table data-testid="shortcuts-help">
            <tr>
              <td>
                <kbd>j</kbd> / <kbd>k</kbd>
              </td>
              <td>{t("shortcutNav")}</td>
            </tr>
            <tr>
              <td>
                <kbd>r</kbd>
              </td>
              <td>{t("shortcutReply")}</td>
            </tr>
            <tr>
              <td>
                <kbd>n</kbd>
              </td>
              <td>{t("shortcutNote")}</td>
            </tr>
            <tr>
              <td>
                <kbd>e</kbd>
              </td>
              <td>{t("shortcutResolve")}</td>
            </tr>
            <tr>
              <td>
                <kbd>/</kbd>
              </td>
              <td>{t("search")}</td>
            </tr>
            <tr>
              <td>
                <kbd>?</kbd>
              </td>
              <td>{t("shortcutHelp")}</td>
            </tr>
          </table>
          <button onClick={() => setHelp(false)}>{t("close")}</button>
        </Modal>
      )}
    </div>
  );
}
