/** Channel webhooks (placeholder until the channel wiring lands). */
import { Hono } from "hono";

export const webhooksApp = new Hono<{ Bindings: Env }>();
