/**
 * Test support for channel adapter tests: fixture loading from the vendored webhook payloads
 * (test/fixtures/webhooks, see its README and SOURCE.txt files for provenance) and a fake
 * provider HTTP server on 127.0.0.1 that records real requests.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

/** Vendored webhook payloads (never edited by tests). */
export const WEBHOOKS_DIR = fileURLToPath(new URL("../../fixtures/webhooks", import.meta.url));

/** Repository fixtures directory for generated .eml files. */
export const EMAIL_FIXTURES_DIR = fileURLToPath(new URL("../../fixtures/email/", import.meta.url));

/** JSON fixture names (without directory) for one provider. */
export function fixtureNames(provider: "telegram" | "whatsapp" | "messenger"): string[] {
  return readdirSync(`${WEBHOOKS_DIR}/${provider}`)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

/** Parsed JSON of one provider fixture. */
export function loadFixture(provider: "telegram" | "whatsapp" | "messenger", name: string): unknown {
  const parsed: unknown = JSON.parse(readFileSync(`${WEBHOOKS_DIR}/${provider}/${name}`, "utf8"));
  return parsed;
}

/** Raw bytes of a generated email fixture. */
export function loadEml(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${EMAIL_FIXTURES_DIR}${name}`));
}

/** One request the fake server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** What a route handler returns: status, JSON (or raw bytes) body and extra headers. */
export interface FakeResponse {
  status: number;
  json?: unknown;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
}

export type FakeHandler = (req: RecordedRequest, baseUrl: string) => FakeResponse;

/** A running fake provider. */
export interface FakeServer {
  baseUrl: string;
  requests: RecordedRequest[];
  handle(handler: FakeHandler): void;
  close(): Promise<void>;
}

/** Start an HTTP server on a random local port; the handler can be swapped per test. */
export async function startFakeServer(): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  let handler: FakeHandler = () => ({ status: 404, json: { error: "no handler" } });
  let baseUrl = "";
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const out = handler(recorded, baseUrl);
      if (out.bytes) {
        res.writeHead(out.status, { "content-type": "application/octet-stream", ...out.headers });
        res.end(Buffer.from(out.bytes));
        return;
      }
      res.writeHead(out.status, { "content-type": "application/json", ...out.headers });
      res.end(out.json === undefined ? "" : JSON.stringify(out.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr: AddressInfo | string | null = server.address();
  if (addr === null || typeof addr === "string") throw new Error("fake server has no TCP address");
  baseUrl = `http://127.0.0.1:${addr.port}`;
  return {
    baseUrl,
    requests,
    handle(h) {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Parse a recorded JSON body; tests then navigate it with `expect(...).toMatchObject`. */
export function jsonBody(req: RecordedRequest | undefined): unknown {
  if (!req) throw new Error("no request recorded");
  const parsed: unknown = JSON.parse(req.body);
  return parsed;
}
