/** Customer card: profile, linked identities across channels, account data, past conversations. */
import { displayName } from "../../../workers/protocol/names.ts";
import type { getContact } from "../api/endpoints.ts";
import { dateTime } from "../lib/format.ts";
import { useT } from "../lib/i18n.ts";
import { navigate } from "../router.ts";
import { ErrorBanner } from "./common.tsx";
import { CustomerMemories, DataRights, type EraseReceiptStores } from "./CustomerRights.tsx";

type ContactData = Awaited<ReturnType<typeof getContact>>;

export function CustomerCard({
  data,
  error,
  currentId,
  onErased,
}: {
  data: ContactData | null;
  error: unknown;
  currentId: string;
  onErased?: (stores: EraseReceiptStores) => void;
}) {
  const t = useT();
  if (error)
    return (
      <section>
        <h3>{t("customer")}</h3>
        <ErrorBanner error={error} />
      </section>
    );
  if (!data)
    return (
      <section>
        <h3>{t("customer")}</h3>
        <span class="muted">{t("loading")}</span>
      </section>
    );
  const c = data.contact;
  const account = data.account;
  const money = (cents: number, currency: string) =>
    new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);
  return (
    <section data-testid="customer-card">
      <h3>{t("customer")}</h3>
      <div>
        <b>{displayName(c.id, c)}</b>
      </div>
      <div class="small">{c.email ?? ""}</div>
      <div class="small">{c.phone ?? ""}</div>
      <div class="small muted">
        {c.language ?? ""} {c.customerRef ? `· ${c.customerRef}` : ""}
      </div>
      <div class="row small">
        {c.tags.map((x) => (
          <span class="badge">#{x}</span>
        ))}
      </div>
      <h3 style={{ marginTop: "10px" }}>{t("identities")}</h3>
      {data.identities.map((i) => (
        <div class="small">
          <span class="badge">{i.channel}</span> {i.email ?? i.phone ?? i.externalId} {i.verified ? "✓" : ""}
        </div>
      ))}
      <h3 style={{ marginTop: "10px" }}>{t("subscription")}</h3>
      {account?.subscription ? (
        <div class="small" data-testid="account">
          <div>
            <b>{account.subscription.plan}</b> · {money(account.subscription.priceCents, account.subscription.currency)}{" "}
            · {account.subscription.frequency}
          </div>
          <div>
            <span class="badge">{account.subscription.status}</span>
            {account.subscription.nextBoxDate ? ` next box ${account.subscription.nextBoxDate}` : ""}
            {account.subscription.pausedUntil ? ` · paused until ${account.subscription.pausedUntil}` : ""}
            {account.subscription.skippedMonths.length
              ? ` · skipped ${account.subscription.skippedMonths.join(", ")}`
              : ""}
          </div>
          {account.latestShipment && (
            <div style={{ marginTop: "4px" }}>
              {account.latestShipment.orderNumber}: {account.latestShipment.carrier}{" "}
              <span class="badge">{account.latestShipment.status}</span>{" "}
              <a href={account.latestShipment.trackingUrl} target="_blank" rel="noopener noreferrer">
                {account.latestShipment.trackingNumber}
              </a>
              {account.latestShipment.lastEvent && (
                <div class="muted">
                  {account.latestShipment.lastEvent.status} — {account.latestShipment.lastEvent.location}
                </div>
              )}
            </div>
          )}
          {account.orders.slice(0, 5).map((o) => (
            <div class="muted">
              {o.orderNumber} · {o.boxMonth} · {o.status}
            </div>
          ))}
          {account.latestPayment && account.latestPayment.status !== "succeeded" && (
            <div style={{ color: "var(--danger, #b42318)" }}>
              Payment {account.latestPayment.status}
              {account.latestPayment.failureReason ? `: ${account.latestPayment.failureReason}` : ""}
            </div>
          )}
        </div>
      ) : (
        <div class="small muted">{t("noData")}</div>
      )}
      <h3 style={{ marginTop: "10px" }}>{t("pastConversations")}</h3>
      {data.conversations
        .filter((x) => x.id !== currentId)
        .map((x) => (
          <div class="small">
            <a
              href={`#/inbox/${encodeURIComponent(x.id)}`}
              onClick={(e) => (e.preventDefault(), navigate(`/inbox/${encodeURIComponent(x.id)}`))}
            >
              {x.channel} · {x.status} · {dateTime(x.createdAt)}
            </a>
            <div class="muted">{x.lastMessagePreview}</div>
          </div>
        ))}
      <CustomerMemories contactId={c.id} />
      <DataRights contactId={c.id} {...(onErased ? { onErased } : {})} />
    </section>
  );
}
