/** Hono environment shared by every sub-app. */
import type { TenantDb } from "../db/client.ts";
import type { AppConfig } from "../lib/config.ts";
import type { Role } from "../lib/tokens.ts";

export interface AuthContext {
  operatorId: string;
  workspaceId: string;
  role: Role;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    config: AppConfig;
    auth: AuthContext;
    tdb: TenantDb;
  };
}
