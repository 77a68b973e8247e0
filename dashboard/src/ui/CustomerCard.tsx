/** Customer card: profile, linked identities across channels, account data, past conversations. */
import { z } from "zod";
import type { getContact } from "../api/endpoints.ts";
import { dateTime } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { navigate } from "../router.ts";
import { ErrorBanner } from "./common.tsx";

type ContactData = Awaited<ReturnType<typeof getContact>>;

/** Account data the commerce connector may attach to a contact's attributes later. */
const AccountInfo = z.object({ subscription: z.unknown().optional(), boxes: z.unknown().optional(), shipments: z.unknown().optional() });

export function CustomerCard({ data, error, currentId }: { data: ContactData | null; error: unknown; currentId: string }) {
  const t = useT();
  if (error) return <section><h3>{t("customer")}</h3><ErrorBanner error={error} /></section>;
  if (!data) return <section><h3>{t("customer")}</h3><span class="muted">{t("loading")}</span></section>;
  const c = data.contact;
  const account = AccountInfo.safeParse(data).data;
  return (
    <section data-testid="customer-card">
      <h3>{t("customer")}</h3>
      <div><b>{c.name ?? "—"}</b></div>
      <div class="small">{c.email ?? ""}</div>
      <div class="small">{c.phone ?? ""}</div>
      <div class="small muted">{c.language ?? ""} {c.customerRef ? `· ${c.customerRef}` : ""}</div>
      <div class="row small">{c.tags.map((x) => <span class="badge">#{x}</span>)}</div>
      <h3 style={{ marginTop: "10px" }}>{t("identities")}</h3>
      {data.identities.map((i) => (
        <div class="small">
          <span class="badge">{i.channel}</span> {i.email ?? i.phone ?? i.externalId} {i.verified ? "✓" : ""}
        </div>
      ))}
      <h3 style={{ marginTop: "10px" }}>{t("subscription")}</h3>
      {account && (account.subscription || account.boxes || account.shipments) ? (
        <pre>{JSON.stringify({ subscription: account.subscription, boxes: account.boxes, shipments: account.shipments }, null, 2)}</pre>
      ) : (
        <div class="small muted">{t("noData")}</div>
      )}
      <h3 style={{ marginTop: "10px" }}>{t("pastConversations")}</h3>
      {data.conversations.filter((x) => x.id !== currentId).map((x) => (
        <div class="small">
          <a href={`#/inbox/${encodeURIComponent(x.id)}`} onClick={(e) => (e.preventDefault(), navigate(`/inbox/${encodeURIComponent(x.id)}`))}>
            {x.channel} · {x.status} · {dateTime(x.createdAt)}
          </a>
          <div class="muted">{x.lastMessagePreview}</div>
        </div>
      ))}
    </section>
  );
}
