/** Entry: theme first (no flash), then the app. */
import { render } from "preact";
import { initTheme } from "./lib/theme.ts";
import { App } from "./ui/App.tsx";
import "./styles.css";

initTheme();
const root = document.getElementById("app");
if (root) render(<App />, root);
