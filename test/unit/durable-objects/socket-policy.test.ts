/** Issue 21, item 4: who may send which socket frame, for every frame of every object. */
import { describe, expect, it } from "vitest";
import {
  mayRun,
  PRESENCE_POLICY,
  roomRole,
  ROOM_POLICY,
  staffRole,
  type SocketRole,
} from "../../../durable-objects/lib/socket-policy.ts";

const ROLES: SocketRole[] = ["contact", "admin", "operator", "analyst"];

const ROOM_EXPECTED: Record<keyof typeof ROOM_POLICY, SocketRole[]> = {
  ping: ["contact", "admin", "operator", "analyst"],
  resume: ["contact", "admin", "operator", "analyst"],
  typing: ["contact", "admin", "operator"],
  read: ["contact", "admin", "operator"],
  send: ["contact", "admin", "operator"],
  note: ["admin", "operator"],
  "action.decide": ["contact", "admin", "operator"],
  csat: ["contact"],
  nps: ["contact"],
  form: ["contact"],
  command: ["admin", "operator"],
};

const PRESENCE_EXPECTED: Record<keyof typeof PRESENCE_POLICY, SocketRole[]> = {
  heartbeat: ["admin", "operator", "analyst"],
  status: ["admin", "operator"],
  pick: ["admin", "operator"],
};

describe("socket policy", () => {
  for (const [frame, allowed] of Object.entries(ROOM_EXPECTED) as Array<[keyof typeof ROOM_POLICY, SocketRole[]]>)
    for (const role of ROLES)
      it(`room: ${role} ${allowed.includes(role) ? "may" : "may not"} send ${frame}`, () => {
        expect(mayRun(ROOM_POLICY, frame, role)).toBe(allowed.includes(role));
      });

  for (const [frame, allowed] of Object.entries(PRESENCE_EXPECTED) as Array<
    [keyof typeof PRESENCE_POLICY, SocketRole[]]
  >)
    for (const role of ROLES)
      it(`presence: ${role} ${allowed.includes(role) ? "may" : "may not"} send ${frame}`, () => {
        expect(mayRun(PRESENCE_POLICY, frame, role)).toBe(allowed.includes(role));
      });

  it("refuses a frame type the table does not list", () => {
    expect(mayRun<string>(ROOM_POLICY, "delete_everything", "admin")).toBe(false);
  });

  it("maps token roles: the owner acts as an admin, anything unknown only reads", () => {
    expect(staffRole("owner")).toBe("admin");
    expect(staffRole("operator")).toBe("operator");
    expect(staffRole("intern")).toBe("analyst");
    expect(roomRole({ role: "contact", operatorRole: null })).toBe("contact");
  });
});
