/**
 * The AI engine's entry point for one conversation turn (placeholder until the engine
 * lands: it refuses, so the room hands the conversation to a human).
 */
import type { Streamer, TurnRequest, TurnResult } from "./turn-types.ts";

export async function runTurn(_env: Env, _req: TurnRequest, _stream: Streamer): Promise<TurnResult> {
  throw new Error("AI engine not available");
}
