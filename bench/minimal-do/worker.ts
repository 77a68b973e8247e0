/**
 * Minimal partyserver room: stores each text frame in the object's SQLite and
 * broadcasts it to every socket in the room (sender included, as its ack). No auth,
 * no parsing beyond JSON, no D1 mirror: the floor the ConversationRoom is compared to.
 */
import { Server, routePartykitRequest, type Connection } from "partyserver";

// partyserver types env as the repository-wide Cloudflare.Env; at runtime this worker
// has one binding, MINIMAL_ROOM (see ./wrangler.toml), which routePartykitRequest finds by name.
export class MinimalRoom extends Server {
  static override options = { hibernate: true };
  #seq = -1;

  /** Creates the message table once per object. */
  override onStart(): void {
    this.ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, client_id TEXT, body TEXT NOT NULL, created_at INTEGER NOT NULL)",
    );
  }

  /** Durable insert, then broadcast with the assigned sequence number. */
  override onMessage(_conn: Connection, raw: string | ArrayBuffer | ArrayBufferView): void {
    if (typeof raw !== "string") return;
    let frame: unknown;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    const clientId =
      typeof frame === "object" && frame !== null && "clientId" in frame && typeof frame.clientId === "string"
        ? frame.clientId
        : null;
    const text =
      typeof frame === "object" && frame !== null && "text" in frame && typeof frame.text === "string"
        ? frame.text
        : "";
    if (this.#seq < 0)
      this.#seq = Number(
        this.ctx.storage.sql.exec<{ s: number }>("SELECT COALESCE(MAX(seq), 0) AS s FROM messages").one().s,
      );
    const seq = ++this.#seq;
    this.ctx.storage.sql.exec(
      "INSERT INTO messages (seq, client_id, body, created_at) VALUES (?, ?, ?, ?)",
      seq,
      clientId,
      text,
      Date.now(),
    );
    this.broadcast(JSON.stringify({ type: "message", message: { seq, clientId, content: text } }));
  }
}

export default {
  async fetch(request: Request, env: Cloudflare.Env): Promise<Response> {
    return (await routePartykitRequest(request, env)) ?? new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Cloudflare.Env>;
