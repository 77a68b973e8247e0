/** Inbound email handler (placeholder). */
export async function handleEmail(message: ForwardableEmailMessage, _env: Env, _ctx: ExecutionContext): Promise<void> {
  message.setReject("Email channel not configured");
}
