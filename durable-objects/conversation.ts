/** ConversationRoom: one Durable Object per conversation (placeholder until the realtime core lands). */
import { Server } from "partyserver";

export class ConversationRoom extends Server<Env> {
  static override options = { hibernate: true };
}
