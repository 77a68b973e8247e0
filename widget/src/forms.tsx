/**
 * The widget's cards that are not messages: the optional pre-chat form, the
 * after-hours form, and the CSAT + NPS survey shown when the conversation ends.
 * Each card remembers in localStorage that it was answered so it shows once.
 */
import { useState } from "preact/hooks";
import type { ChatClient } from "./client.ts";
import type { Texts } from "./i18n.ts";
import { readJson, writeJson } from "./session.ts";

type CardProps = { client: ChatClient; t: Texts; doneKey: string };

const str = (form: HTMLFormElement, name: string): string | undefined => {
  const v = new FormData(form).get(name);
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
};

function useDone(key: string): [boolean, () => void] {
  const [done, setDone] = useState(() => readJson(key) === true);
  return [done, () => (writeJson(key, true), setDone(true))];
}

export function PrechatForm({ client, t, doneKey }: CardProps) {
  const [done, finish] = useDone(doneKey);
  if (done) return null;
  return (
    <form
      class="os-card"
      aria-label={t.prechatTitle}
      onSubmit={(e) => {
        e.preventDefault();
        const f = e.currentTarget;
        const name = str(f, "name");
        const email = str(f, "email");
        if ((name || email) && !client.form("prechat", { ...(name ? { name } : {}), ...(email ? { email } : {}) }))
          return;
        finish();
      }}
    >
      <p class="os-card-title">{t.prechatTitle}</p>
      <label>
        {t.name}
        <input name="name" autocomplete="name" maxLength={120} />
      </label>
      <label>
        {t.email}
        <input name="email" type="email" autocomplete="email" maxLength={254} />
      </label>
      <div class="os-row">
        <button type="submit" class="os-primary">
          {t.start}
        </button>
        <button type="button" class="os-ghost" onClick={finish}>
          {t.skip}
        </button>
      </div>
    </form>
  );
}

export function AfterHoursForm({ client, t, doneKey, description }: CardProps & { description: string }) {
  const [done, finish] = useDone(doneKey);
  const [missing, setMissing] = useState(false);
  if (done)
    return (
      <p class="os-card os-note" role="status">
        {t.thanks}
      </p>
    );
  return (
    <form
      class="os-card"
      aria-label={t.afterTitle}
      onSubmit={(e) => {
        e.preventDefault();
        const f = e.currentTarget;
        const email = str(f, "email");
        const phone = str(f, "phone");
        if (!email && !phone) return setMissing(true);
        const name = str(f, "name");
        const question = str(f, "question");
        const callback = new FormData(f).get("callback") === "on";
        if (
          client.form("after_hours", {
            ...(name ? { name } : {}),
            ...(email ? { email } : {}),
            ...(phone ? { phone } : {}),
            ...(question ? { question } : {}),
            callback,
          })
        )
          finish();
      }}
    >
      <p class="os-card-title">{t.afterTitle}</p>
      {description && <p class="os-muted">{description}</p>}
      <label>
        {t.name}
        <input name="name" autocomplete="name" maxLength={120} />
      </label>
      <label>
        {t.email}
        <input name="email" type="email" autocomplete="email" maxLength={254} aria-invalid={missing} />
      </label>
      <label>
        {t.phone}
        <input name="phone" type="tel" autocomplete="tel" maxLength={40} aria-invalid={missing} />
      </label>
      <label>
        {t.question}
        <textarea name="question" rows={2} maxLength={4000} />
      </label>
      <label class="os-check">
        <input name="callback" type="checkbox" /> {t.callback}
      </label>
      {missing && <p class="os-error" role="alert">{`${t.email} / ${t.phone}`}</p>}
      <button type="submit" class="os-primary">
        {t.submit}
      </button>
    </form>
  );
}

export function Survey({ client, t, doneKey }: CardProps) {
  const [done, finish] = useDone(doneKey);
  const [step, setStep] = useState<"csat" | "nps">("csat");
  const [score, setScore] = useState(0);
  if (done)
    return (
      <p class="os-card os-note" role="status">
        {t.thanks}
      </p>
    );
  if (step === "nps")
    return (
      <div class="os-card" role="group" aria-label={t.npsTitle}>
        <p class="os-card-title">{t.npsTitle}</p>
        <div class="os-scale">
          {Array.from({ length: 11 }, (_, n) => (
            <button type="button" class="os-chip" aria-label={`${n} / 10`} onClick={() => client.nps(n) && finish()}>
              {n}
            </button>
          ))}
        </div>
      </div>
    );
  return (
    <form
      class="os-card"
      aria-label={t.csatTitle}
      onSubmit={(e) => {
        e.preventDefault();
        if (score && client.csat(score, str(e.currentTarget, "comment") ?? "")) setStep("nps");
      }}
    >
      <p class="os-card-title">{t.csatTitle}</p>
      <div class="os-scale" role="radiogroup" aria-label={t.csatTitle}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            type="button"
            role="radio"
            aria-checked={score === n}
            aria-label={`${n} / 5`}
            class={`os-star${n <= score ? " on" : ""}`}
            onClick={() => setScore(n)}
          >
            ★
          </button>
        ))}
      </div>
      <label>
        {t.comment}
        <textarea name="comment" rows={2} maxLength={2000} />
      </label>
      <button type="submit" class="os-primary" disabled={!score}>
        {t.submit}
      </button>
    </form>
  );
}
