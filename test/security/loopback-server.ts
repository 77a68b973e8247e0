/**
 * vitest globalSetup (runs in Node) for the security project: one HTTP listener on
 * 127.0.0.1 playing a hostile site for the crawler and media tests. Its port reaches the
 * workerd tests through `inject("loopbackPort")`; `/stats` tells how much was sent.
 */
import { createServer, type Server } from "node:http";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    loopbackPort: number;
  }
}

const HUGE_BYTES = 60 * 1024 * 1024;
let server: Server | undefined;
let hugeBytesSent = 0;

const page = (body: string) => `<!doctype html><html><head><title>Hostile</title></head><body>${body}</body></html>`;

export async function setup(project: TestProject): Promise<void> {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const redirect = (to: string) => {
      res.writeHead(302, { location: to });
      res.end();
    };
    if (path === "/robots.txt") return void res.writeHead(404).end();
    if (path === "/stats") return void res.writeHead(200).end(JSON.stringify({ hugeBytesSent }));
    if (path === "/to-metadata") return redirect("http://169.254.169.254/latest/meta-data/");
    if (path === "/to-private") return redirect("http://10.255.255.1/admin");
    if (path === "/to-decimal") return redirect("http://2852039166/latest/meta-data/");
    if (path === "/to-mapped") return redirect("http://[::ffff:a9fe:a9fe]/latest/meta-data/");
    if (path === "/huge") {
      res.writeHead(200, { "content-type": "text/html" });
      const chunk = Buffer.alloc(256 * 1024, "a");
      const write = () => {
        while (hugeBytesSent < HUGE_BYTES) {
          hugeBytesSent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      res.on("error", () => undefined);
      write();
      return;
    }
    if (path === "/media.jpg") {
      res.writeHead(200, { "content-type": "image/jpeg" });
      return void res.end(Buffer.alloc(1024, 1));
    }
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      page(
        `<h1>Welcome</h1><p>Our help centre.</p><a href="/to-metadata">a</a> <a href="/to-private">b</a> <a href="/to-decimal">c</a> <a href="/to-mapped">d</a> <a href="/huge">e</a>`,
      ),
    );
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  project.provide("loopbackPort", address.port);
}

export async function teardown(): Promise<void> {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
}
