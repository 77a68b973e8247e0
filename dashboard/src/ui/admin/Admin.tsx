/** Admin console: a side menu of sections, each its own module. */
import { useT, type MsgKey } from "../../lib/i18n.ts";
import { AuditLog, DeadLetters } from "./Logs.tsx";
import { Categories } from "./Categories.tsx";
import { Flows, Rules } from "./Flows.tsx";
import { Inboxes } from "./Inboxes.tsx";
import { Knowledge } from "./Knowledge.tsx";
import { Playground } from "./Playground.tsx";
import { Routing } from "./Routing.tsx";
import { Team } from "./Team.tsx";
import { Traces } from "./Traces.tsx";
import { WidgetSettings } from "./Widget.tsx";

const SECTIONS: Array<[string, MsgKey]> = [
  ["team", "operators"],
  ["routing", "routing"],
  ["categories", "categories"],
  ["inboxes", "inboxes"],
  ["widget", "widget"],
  ["knowledge", "knowledge"],
  ["flows", "flows"],
  ["rules", "rules"],
  ["playground", "playground"],
  ["traces", "traces"],
  ["audit", "audit"],
  ["dead-letters", "deadLetters"],
];

export function Admin({ sub, arg }: { sub: string; arg: string | null }) {
  const t = useT();
  return (
    <div class="admin">
      <aside>
        {SECTIONS.map(([key, label]) => (
          <a href={`#/admin/${key}`} class={sub === key ? "active" : ""}>
            {t(label)}
          </a>
        ))}
      </aside>
      <div class="page">
        {sub === "team" && <Team />}
        {sub === "routing" && <Routing />}
        {sub === "categories" && <Categories selected={arg} />}
        {sub === "inboxes" && <Inboxes />}
        {sub === "widget" && <WidgetSettings />}
        {sub === "knowledge" && <Knowledge selected={arg} />}
        {sub === "flows" && <Flows selected={arg} />}
        {sub === "rules" && <Rules />}
        {sub === "playground" && <Playground />}
        {sub === "traces" && <Traces conversationId={arg} />}
        {sub === "audit" && <AuditLog />}
        {sub === "dead-letters" && <DeadLetters />}
      </div>
    </div>
  );
}
