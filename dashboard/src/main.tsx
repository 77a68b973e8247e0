/** Entry: theme first (no flash), then the app. */
import { render } from "preact";
import { initTheme } from "./lib/theme.ts";
import { restoreSession } from "./session.ts";
import { App } from "./ui/App.tsx";
import "./styles.css";

initTheme();
// The shell renders nothing until the server says whether the session cookie is live.
void restoreSession();
const root = document.getElementById("app");
if (root) render(<App />, root);
