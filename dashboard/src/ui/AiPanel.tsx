/**
 * The AI side panel: draft reply ("use draft" moves it into the composer for editing),
 * summary, sentiment, category and gate decision — live from the room's `ai` frames
 * or on demand from POST /suggest — and pending actions to approve or reject.
 */
import { useEffect, useState } from "preact/hooks";
import type { WireAction } from "../../../workers/protocol/frames.ts";
import { ApiError } from "../api/client.ts";
import { decideAction, listActions, suggest } from "../api/endpoints.ts";
import { useT } from "../lib/i18n.ts";
import type { RoomApi, RoomState } from "../realtime/conversation.ts";
import { ErrorBanner } from "./common.tsx";
import { fillComposer } from "./Composer.tsx";

interface Insight {
  draft: string | null;
  summary: string | null;
  sentiment: string | null;
  category: string | null;
  gate: string | null;
}

export function AiPanel({
  conversationId,
  room,
  api,
  readOnly = false,
}: {
  conversationId: string;
  room: RoomState;
  api: RoomApi;
  readOnly?: boolean;
}) {
  const t = useT();
  const [fetched, setFetched] = useState<Insight | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [decided, setDecided] = useState<Record<string, string>>({});
  const [restActions, setRestActions] = useState<WireAction[]>([]);
  useEffect(() => {
    listActions(conversationId).then(
      (r) => setRestActions(r.items),
      () => undefined,
    );
  }, [conversationId]);

  const live = room.ai;
  // A draft the gate held back is also stored as a bot note: use it when no `ai` frame arrived while we watched.
  const noteDraft =
    [...room.messages].reverse().find((m) => m.type === "note" && m.senderType === "bot")?.content ?? null;
  const info: Insight = {
    draft: live?.draft ?? fetched?.draft ?? noteDraft,
    summary: live?.summary ?? fetched?.summary ?? null,
    sentiment: live?.sentiment ?? fetched?.sentiment ?? null,
    category: live?.category ?? fetched?.category ?? room.state?.category ?? null,
    gate: live?.gate ?? fetched?.gate ?? null,
  };

  const refresh = async () => {
    setBusy(true);
    try {
      const r = await suggest(conversationId);
      setFetched({
        draft: r.draft ?? null,
        summary: r.summary ?? null,
        sentiment: r.sentiment ?? null,
        category: r.category ?? null,
        gate: r.gate.decision,
      });
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const decide = async (actionId: string, decision: "approve" | "reject") => {
    try {
      const r = await decideAction(conversationId, actionId, decision);
      setRestActions(r.items);
      setDecided((d) => ({ ...d, [actionId]: decision }));
    } catch (e) {
      // Until the REST route ships, the room's own action.decide frame does the same.
      if (e instanceof ApiError && e.notAvailable) {
        api.decide(actionId, decision === "approve" ? "confirm" : "cancel");
        setDecided((d) => ({ ...d, [actionId]: decision }));
      } else setError(e);
    }
  };

  // Room frames are the freshest; REST fills in what the socket has not sent (yet).
  const byId = new Map<string, WireAction>();
  for (const a of restActions) byId.set(a.id, a);
  for (const a of room.actions) byId.set(a.id, a);
  const actions = [...byId.values()];
  const pending = actions.filter((a) => a.status === "pending");
  return (
    <fieldset class="plain" disabled={readOnly} data-testid="ai-panel">
      <div class="row" style={{ justifyContent: "space-between" }}>
        <h3>{t("aiAssistant")}</h3>
        <button onClick={refresh} disabled={busy} data-testid="ai-refresh">
          {t("refresh")}
        </button>
      </div>
      <ErrorBanner error={error} />
      <div class="col">
        <div>
          <div class="small muted">{t("draft")}</div>
          {info.draft ? (
            <>
              <div class="msg bot" data-testid="ai-draft" style={{ maxWidth: "none" }}>
                {info.draft}
              </div>
              <button
                class="primary"
                style={{ marginTop: "4px" }}
                onClick={() => info.draft && fillComposer(info.draft)}
                data-testid="use-draft"
              >
                {t("useDraft")}
              </button>
            </>
          ) : (
            <div class="small muted">{t("noDraft")}</div>
          )}
        </div>
        {info.summary && (
          <div>
            <div class="small muted">{t("summary")}</div>
            <div data-testid="ai-summary">{info.summary}</div>
          </div>
        )}
        <div class="row small">
          {info.sentiment && (
            <span class="badge" data-testid="ai-sentiment">
              {t("sentiment")}: {info.sentiment}
            </span>
          )}
          {info.category && (
            <span class="badge">
              {t("category")}: {info.category}
            </span>
          )}
          {info.gate && (
            <span class="badge">
              {t("gate")}: {info.gate}
            </span>
          )}
        </div>
        {pending.length > 0 && (
          <div data-testid="pending-actions">
            <div class="small muted">{t("pendingActions")}</div>
            {pending.map((a) => (
              <div class="card" style={{ padding: "8px", marginTop: "4px" }} data-action-id={a.id}>
                <div>
                  <b>{a.tool}</b>
                </div>
                <div class="small">{a.summary}</div>
                {decided[a.id] ? (
                  <span class="badge">{decided[a.id]}</span>
                ) : (
                  <div class="row" style={{ marginTop: "4px" }}>
                    <button class="primary" onClick={() => decide(a.id, "approve")} data-testid="approve-action">
                      {t("approve")}
                    </button>
                    <button class="danger" onClick={() => decide(a.id, "reject")}>
                      {t("reject")}
                    </button>
                  </div>
                )}
              </div>
            ))}
          </div>
        )}
        {actions
          .filter((a) => a.status !== "pending")
          .map((a) => (
            <div class="small muted">
              {a.tool}: {a.status}
            </div>
          ))}
      </div>
    </fieldset>
  );
}
