import { beforeAll, describe, expect, it } from "vitest";
import { call, loginAdmin, loginOperator, seedDemo } from "./helpers.ts";

beforeAll(seedDemo);

type Team = { id: string; name: string; memberIds: string[] };

describe("PATCH /api/teams/:id", () => {
  it("renames a team and replaces its members", async () => {
    const admin = await loginAdmin();
    const created = await call("/api/teams", {
      method: "POST",
      token: admin,
      json: { name: "Night shift", memberIds: ["op_operator"] },
    });
    expect(created.status).toBe(201);
    const team: Team = await created.json();
    const res = await call(`/api/teams/${team.id}`, {
      method: "PATCH",
      token: admin,
      json: { name: "Night owls", memberIds: ["op_lucia", "op_olga", "op_lucia"] },
    });
    expect(res.status).toBe(200);
    const body: Team = await res.json();
    expect(body.name).toBe("Night owls");
    expect(body.memberIds.sort()).toEqual(["op_lucia", "op_olga"]);
    const list: { items: Team[] } = await (await call("/api/teams", { token: admin })).json();
    expect(list.items.find((x) => x.id === team.id)?.memberIds.sort()).toEqual(["op_lucia", "op_olga"]);
  });

  it("refuses unknown members and fields, operators, and unknown teams; nothing changes", async () => {
    const admin = await loginAdmin();
    const unknown = await call("/api/teams/team_billing", {
      method: "PATCH",
      token: admin,
      json: { memberIds: ["op_ghost"] },
    });
    expect(unknown.status).toBe(400);
    const extra = await call("/api/teams/team_billing", { method: "PATCH", token: admin, json: { color: "red" } });
    expect(extra.status).toBe(400);
    const op = await loginOperator();
    const forbidden = await call("/api/teams/team_billing", { method: "PATCH", token: op, json: { name: "x" } });
    expect(forbidden.status).toBe(403);
    const missing = await call("/api/teams/team_nope", { method: "PATCH", token: admin, json: { name: "x" } });
    expect(missing.status).toBe(404);
    const list: { items: Team[] } = await (await call("/api/teams", { token: admin })).json();
    expect(list.items.find((x) => x.id === "team_billing")?.name).not.toBe("x");
  });
});
