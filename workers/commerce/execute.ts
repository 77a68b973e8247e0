/** Executes a confirmed account action through the commerce connector (placeholder). */
export async function executeAction(_env: Env, _workspaceId: string, _customerRef: string | null, tool: string, _args: Record<string, unknown>): Promise<Record<string, unknown>> {
  throw new Error(`No commerce connector for ${tool}`);
}
