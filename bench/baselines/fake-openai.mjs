#!/usr/bin/env node
/**
 * A local fake OpenAI-compatible endpoint for the evals bench: POST /v1/chat/completions
 * answers a fixed judge verdict (JSON) after DELAY_MS (default 300 ms), like a remote
 * model's latency, so a run's throughput is bound by concurrency, not by CPU.
 * Usage: node fake-openai.mjs PORT [DELAY_MS]; prints "ready PORT".
 */
import { createServer } from "node:http";

const port = Number(process.argv[2] ?? 0);
const delay = Number(process.argv[3] ?? 300);
let calls = 0;
const server = createServer((req, res) => {
  if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
    res.writeHead(req.url === "/calls" ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify({ calls }));
    return;
  }
  req.resume();
  req.on("end", () => {
    calls++;
    setTimeout(() => {
      const content = JSON.stringify({
        scores: { accuracy: 4, tone: 5, safety: 5, completeness: 4 },
        rationale: "fake judge",
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          model: "gpt-4o-mini",
          choices: [{ message: { role: "assistant", content }, finish_reason: "stop" }],
          usage: { prompt_tokens: 600, completion_tokens: 40 },
        }),
      );
    }, delay);
  });
});
server.listen(port, "127.0.0.1", () => {
  const addr = server.address();
  console.log(`ready ${typeof addr === "object" && addr ? addr.port : port}`);
});
