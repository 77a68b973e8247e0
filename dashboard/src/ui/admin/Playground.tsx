/** Playground: chat with the AI as a customer and see the route, actions, gate and trace. */
import { useState } from "preact/hooks";
import { playgroundChat } from "../../api/endpoints.ts";
import { useT } from "../../lib/i18n.ts";
import { ErrorBanner } from "../common.tsx";

type Turn = { role: "customer" | "bot"; text: string };

export function Playground() {
  const t = useT();
  const [turns, setTurns] = useState<Turn[]>([]);
  const [text, setText] = useState("");
  const [email, setEmail] = useState("");
  const [last, setLast] = useState<Awaited<ReturnType<typeof playgroundChat>> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const send = async (e: Event) => {
    e.preventDefault();
    if (!text.trim()) return;
    const next: Turn[] = [...turns, { role: "customer", text: text.trim() }];
    setTurns(next);
    setText("");
    setBusy(true);
    try {
      const res = await playgroundChat(
        next.filter((x) => x.role === "customer").map((x) => ({ role: "customer" as const, text: x.text })),
        email || undefined,
      );
      setLast(res);
      setTurns([...next, ...res.replies.map((r): Turn => ({ role: "bot", text: r.text }))]);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="grid2" data-testid="admin-playground">
      <div class="col">
        <h2>{t("playground")}</h2>
        <label>
          Customer email (optional)
          <input type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <div class="card col" style={{ minHeight: "240px" }}>
          {turns.map((x) => (
            <div class={`msg ${x.role === "bot" ? "outgoing bot" : ""}`}>{x.text}</div>
          ))}
        </div>
        <form class="row" onSubmit={send}>
          <input style={{ flex: 1 }} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <button class="primary" type="submit" disabled={busy}>
            {t("send")}
          </button>
          <button type="button" onClick={() => (setTurns([]), setLast(null))}>
            ↺
          </button>
        </form>
        <ErrorBanner error={error} />
      </div>
      <div class="col">
        <h3>Route · {t("gate")} · Actions</h3>
        {last && <pre>{JSON.stringify({ route: last.route, gate: last.gate, actions: last.actions }, null, 2)}</pre>}
        <h3>{t("traces")}</h3>
        {last && <pre>{JSON.stringify(last.trace, null, 2)}</pre>}
      </div>
    </div>
  );
}
