/**
 * Login. The API answers every failure the same way (it never says the password was right
 * before the second factor), so after a failed attempt the form also offers the
 * authenticator code field; accounts with TOTP send all three together.
 */
import { useState } from "preact/hooks";
import { ApiError } from "../api/client.ts";
import { useT } from "../lib/i18n.ts";
import { signIn } from "../session.ts";
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
      await signIn(needTotp && totp !== "" ? { email, password, totp } : { email, password });
      if (!location.hash || location.hash === "#/") location.hash = "#/inbox";
    } catch (err) {
      if (err instanceof ApiError && (err.code === "totp_required" || err.code === "invalid_credentials"))
        setNeedTotp(true);
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="login card">
      <h2>OmniSupport</h2>
      <form onSubmit={submit}>
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
        {needTotp && (
          <label>
            {t("totpCode")}
            <input
              name="totp"
              inputMode="numeric"
              pattern="\d{6}"
              maxLength={6}
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
          {t("signIn")}
        </button>
      </form>
    </div>
  );
}
