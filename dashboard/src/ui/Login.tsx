/** Login with the TOTP second step (the API answers 401 `totp_required`). */
import { useState } from "preact/hooks";
import { ApiError } from "../api/client.ts";
import { login } from "../api/endpoints.ts";
import { useT } from "../lib/i18n.ts";
import { sessionStore } from "../session.ts";
import { errorText } from "./common.tsx";

export function Login() {
  const t = useT();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await login(needTotp ? { email, password, totp } : { email, password });
      sessionStore.set({ token: res.token, operator: res.operator, expiresAt: Date.now() + res.expiresIn * 1000 });
      if (!location.hash || location.hash === "#/") location.hash = "#/inbox";
    } catch (err) {
      if (err instanceof ApiError && err.code === "totp_required") setNeedTotp(true);
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login card">
      <h2>OmniSupport</h2>
      <form onSubmit={submit}>
        {!needTotp ? (
          <>
            <label>
              {t("email")}
              <input
                name="email"
                type="email"
                autocomplete="username"
                required
                value={email}
                onInput={(e) => setEmail(e.currentTarget.value)}
              />
            </label>
            <label>
              {t("password")}
              <input
                name="password"
                type="password"
                autocomplete="current-password"
                required
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
              />
            </label>
          </>
        ) : (
          <label>
            {t("totpCode")}
            <input
              name="totp"
              inputMode="numeric"
              pattern="\d{6}"
              maxLength={6}
              autoFocus
              required
              value={totp}
              onInput={(e) => setTotp(e.currentTarget.value)}
            />
          </label>
        )}
        {error && (
          <div class="banner error" role="alert">
            {error}
          </div>
        )}
        <button class="primary" type="submit" disabled={busy}>
          {needTotp ? t("verify") : t("signIn")}
        </button>
      </form>
    </div>
  );
}
