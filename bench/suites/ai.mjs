/**
 * (c) AI: router classifications per second and latency (child process on the held-out
 * set), and the time from a widget send to the first streamed token of the bot's reply
 * (local provider, conversation owned by the bot), next to the plain stored round trip.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { widgetSession } from "../lib/api.mjs";
import { ROOT, childEnv } from "../lib/processes.mjs";
import { summarize } from "../lib/stats.mjs";
import { openWs } from "../lib/ws-load.mjs";

export function routerBench() {
  try {
    const out = execFileSync(process.execPath, [join(ROOT, "bench", "ai", "router.ts")], {
      cwd: ROOT,
      env: childEnv(),
      encoding: "utf8",
      timeout: 120_000,
    });
    return JSON.parse(out.trim().split("\n").pop());
  } catch (err) {
    return { skipped: `router bench failed: ${String(err instanceof Error ? err.message : err).slice(0, 300)}` };
  }
}

const QUESTIONS = [
  "Where is my box? It has not arrived yet.",
  "How do I skip next month's box?",
  "What is in this month's Deluxe box?",
  "Can I change my shipping address?",
  "How much does shipping to Canada cost?",
  "Do you ship to Germany?",
  "How can I pause my subscription?",
  "What payment methods do you accept?",
];

/**
 * One fresh bot-owned conversation per sample: send, then time the first `stream` frame and
 * the bot message. Also per question: the questions take different paths (a knowledge
 * answer, or an email request first for an account matter), and a change in which path a
 * question takes moves the overall figure without any code getting slower or faster.
 */
export async function firstTokenBench(platform, samples = 16) {
  const ttft = [];
  const perQuestion = new Map(QUESTIONS.map((q) => [q, []]));
  const reply = [];
  const notes = new Set();
  for (let i = 0; i < samples; i++) {
    const s = await widgetSession(platform.base);
    const ws = await openWs(
      `${platform.base.replace(/^http/, "ws")}${s.socketPath}?token=${s.visitorToken}`,
      (f) => f.type === "sync",
    );
    const result = await new Promise((resolve) => {
      let t0 = 0;
      let first = null;
      const timer = setTimeout(() => resolve({ first, reply: null }), 10_000);
      ws.on("message", (data) => {
        let f;
        try {
          f = JSON.parse(String(data));
        } catch {
          return;
        }
        if (f.type === "stream" && first === null) first = performance.now() - t0;
        if (f.type === "message" && f.message?.senderType === "bot") {
          clearTimeout(timer);
          resolve({ first, reply: performance.now() - t0, text: f.message.content });
        }
      });
      t0 = performance.now();
      ws.send(
        JSON.stringify({
          type: "send",
          clientId: `ttft_${Date.now().toString(36)}_${i}`,
          text: QUESTIONS[i % QUESTIONS.length],
        }),
      );
    });
    ws.terminate();
    if (result.first !== null) {
      ttft.push(result.first);
      perQuestion.get(QUESTIONS[i % QUESTIONS.length])?.push(result.first);
    } else
      notes.add(
        result.reply === null
          ? "no customer-visible bot reply within 10 s (the gate drafted for an operator or escalated)"
          : "bot replied without stream frames",
      );
    if (result.reply !== null) reply.push(result.reply);
  }
  if (ttft.length === 0)
    return { skipped: [...notes].join("; ") || "no stream frames", botReply: reply.length ? summarize(reply) : null };
  const byQuestion = [...perQuestion]
    .filter(([, xs]) => xs.length > 0)
    .map(([question, xs]) => ({ question, p50: summarize(xs).p50, n: xs.length }));
  return { firstToken: summarize(ttft), botReply: summarize(reply), byQuestion, samples, notes: [...notes] };
}
