/** LocalVectorIndex: the embedded SQLite-backed vector + keyword index (placeholder). */
import { DurableObject } from "cloudflare:workers";

export class LocalVectorIndex extends DurableObject<Env> {}
