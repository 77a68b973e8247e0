/** Presence: one Durable Object per workspace (placeholder until the realtime core lands). */
import { Server } from "partyserver";

export class Presence extends Server<Env> {
  static override options = { hibernate: true };
}
