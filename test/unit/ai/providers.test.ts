/**
 * Providers against a fake OpenAI chat-completions server on 127.0.0.1 (tool calls,
 * streaming SSE, 429/500/400, timeouts → retry → fallback) and Workers AI against a
 * fake binding speaking its real input/output shapes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAiCompatibleProvider } from "../../../workers/ai/providers/openai-compatible.ts";
import {
  backoffMs,
  chatWithFallback,
  DEFAULT_RETRY,
  FallbackExhaustedError,
  type RetryPolicy,
} from "../../../workers/ai/providers/resilient.ts";
import { WorkersAiProvider, type AiRunner } from "../../../workers/ai/providers/workers-ai.ts";
import { LocalProvider } from "../../../workers/ai/providers/local.ts";
import { costOf } from "../../../workers/ai/providers/pricing.ts";
import { ProviderError } from "../../../workers/ai/providers/types.ts";

type Handler = (body: Record<string, unknown>, res: ServerResponse) => void;
const script: Handler[] = [];
const seen: Array<{ body: Record<string, unknown>; auth: string | undefined }> = [];
let server: Server;
let base = "";

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = "";
    req.on("data", (c: Buffer) => (s += c.toString()));
    req.on("end", () => resolve(s));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const parsed: unknown = JSON.parse(raw);
    const body = typeof parsed === "object" && parsed !== null ? Object.fromEntries(Object.entries(parsed)) : {};
    seen.push({ body, auth: req.headers.authorization });
    const next = script.shift();
    if (!next) {
      res.writeHead(500).end();
      return;
    }
    next(body, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
  (_b, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };
const completion = (content: string | null, toolCalls?: unknown[]) =>
  json(200, {
    model: "gpt-4o-mini",
    choices: [
      {
        message: { content, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: toolCalls ? "tool_calls" : "stop",
      },
    ],
    usage: { prompt_tokens: 120, completion_tokens: 30 },
  });
const noWait: RetryPolicy = {
  ...DEFAULT_RETRY,
  retries: 2,
  timeoutMs: 300,
  sleep: async () => undefined,
  random: () => 0.5,
};
const provider = () => new OpenAiCompatibleProvider({ baseUrl: base, apiKey: "sk-test-key-123" });

describe("openai-compatible provider", () => {
  it("sends tools in the chat-completions format and parses tool calls and usage", async () => {
    seen.length = 0;
    script.push(
      completion(null, [
        { id: "call_1", type: "function", function: { name: "track_shipment", arguments: '{"orderId":"LH-1"}' } },
      ]),
    );
    const res = await provider().chat({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "s" },
        { role: "user", content: "where?" },
      ],
      tools: [{ name: "track_shipment", description: "d", parameters: { type: "object" } }],
    });
    expect(res.toolCalls).toEqual([{ id: "call_1", name: "track_shipment", arguments: '{"orderId":"LH-1"}' }]);
    expect(res.usage).toEqual({ inputTokens: 120, outputTokens: 30 });
    expect(seen[0]?.auth).toBe("Bearer sk-test-key-123");
    expect(seen[0]?.body.tools).toEqual([
      { type: "function", function: { name: "track_shipment", description: "d", parameters: { type: "object" } } },
    ]);
    expect(costOf("gpt-4o-mini", res.usage).costUsd).toBeCloseTo((120 * 0.15 + 30 * 0.6) / 1e6, 12);
  });

  it("streams SSE deltas, stitches streamed tool-call fragments and stops at [DONE]", async () => {
    seen.length = 0;
    script.push((_b, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunks = [
        { choices: [{ delta: { content: "Your box " } }] },
        { choices: [{ delta: { content: "is on its way." } }] },
        {
          choices: [
            { delta: { tool_calls: [{ index: 0, id: "c9", function: { name: "get_sub", arguments: '{"a":' } }] } },
          ],
        },
        {
          choices: [
            {
              delta: { tool_calls: [{ index: 0, function: { name: "scription", arguments: "1}" } }] },
              finish_reason: "tool_calls",
            },
          ],
        },
        { choices: [], usage: { prompt_tokens: 50, completion_tokens: 9 } },
      ];
      for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
      res.end("data: [DONE]\n\n");
    });
    const deltas: string[] = [];
    const res = await provider().chat({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      onDelta: (d) => deltas.push(d),
    });
    expect(deltas).toEqual(["Your box ", "is on its way."]);
    expect(res.text).toBe("Your box is on its way.");
    expect(res.toolCalls).toEqual([{ id: "c9", name: "get_subscription", arguments: '{"a":1}' }]);
    expect(res.usage).toEqual({ inputTokens: 50, outputTokens: 9 });
    expect(seen[0]?.body.stream).toBe(true);
  });

  it("retries 429 and 500 with backoff, then succeeds", async () => {
    script.push(
      json(429, { error: { message: "rate limited" } }, { "retry-after": "1" }),
      json(500, { error: { message: "boom" } }),
      completion("ok"),
    );
    const delays: number[] = [];
    const policy: RetryPolicy = { ...noWait, sleep: async (ms) => void delays.push(ms) };
    const { response, attempts } = await chatWithFallback(
      [{ provider: provider(), model: "gpt-4o-mini" }],
      { model: "", messages: [{ role: "user", content: "x" }] },
      policy,
    );
    expect(response.text).toBe("ok");
    expect(attempts.map((a) => [a.ok, a.status ?? null])).toEqual([
      [false, 429],
      [false, 500],
      [true, null],
    ]);
    expect(delays[0]).toBeGreaterThanOrEqual(1000);
    expect(delays[1]).toBe(backoffMs(1, policy, null, () => 0.5));
  });

  it("fails fast on 400 without retrying, and never leaks the key in the error", async () => {
    script.push(json(400, { error: { message: "Invalid 'messages'", code: "invalid_request" } }));
    const err = await provider()
      .chat({ model: "m", messages: [] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err instanceof ProviderError && err.retryable).toBe(false);
    expect(err instanceof Error && err.message).toContain("invalid_request");
    expect(err instanceof Error && err.message).not.toContain("sk-test");
  });

  it("times out, retries, then falls back to the second provider", async () => {
    const hang: Handler = (_b, res) => void setTimeout(() => res.writeHead(200).end("{}"), 2000);
    script.push(hang, hang, hang);
    const fallback: AiRunner = {
      run: async () => ({ response: "from fallback", usage: { prompt_tokens: 3, completion_tokens: 2 } }),
    };
    const { response, attempts } = await chatWithFallback(
      [
        { provider: provider(), model: "gpt-4o-mini" },
        { provider: new WorkersAiProvider(fallback), model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" },
      ],
      { model: "", messages: [{ role: "user", content: "x" }] },
      noWait,
    );
    expect(response.text).toBe("from fallback");
    expect(response.provider).toBe("workers-ai");
    expect(attempts.filter((a) => !a.ok).map((a) => a.error)).toEqual([
      "request timed out",
      "request timed out",
      "request timed out",
    ]);
  });

  it("reports exhaustion when every provider fails", async () => {
    const failing: AiRunner = { run: async () => Promise.reject(new Error("3040: Capacity temporarily exceeded")) };
    const err = await chatWithFallback(
      [{ provider: new WorkersAiProvider(failing), model: "m" }],
      { model: "", messages: [] },
      noWait,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FallbackExhaustedError);
    expect(err instanceof FallbackExhaustedError && err.attempts).toHaveLength(3);
  });
});

describe("workers-ai provider", () => {
  it("sends messages and tools, reads legacy and OpenAI-style tool calls", async () => {
    const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
    const ai: AiRunner = {
      run: async (model, inputs) => {
        calls.push({ model, inputs });
        return calls.length === 1
          ? {
              response: null,
              tool_calls: [{ name: "track_shipment", arguments: { orderId: "LH-2" } }],
              usage: { prompt_tokens: 10, completion_tokens: 4 },
            }
          : {
              response: "",
              tool_calls: [{ id: "x1", type: "function", function: { name: "skip_next_box", arguments: "{}" } }],
            };
      },
    };
    const p = new WorkersAiProvider(ai);
    const first = await p.chat({
      model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ name: "track_shipment", description: "d", parameters: {} }],
    });
    expect(first.toolCalls).toEqual([{ id: "call_0", name: "track_shipment", arguments: '{"orderId":"LH-2"}' }]);
    expect(first.usage).toEqual({ inputTokens: 10, outputTokens: 4 });
    expect(calls[0]?.inputs.tools).toEqual([
      { type: "function", function: { name: "track_shipment", description: "d", parameters: {} } },
    ]);
    const second = await p.chat({ model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(second.toolCalls[0]).toEqual({ id: "x1", name: "skip_next_box", arguments: "{}" });
  });

  it("reads a stream: true SSE body", async () => {
    const enc = new TextEncoder();
    const ai: AiRunner = {
      run: async (_m, inputs) => {
        expect(inputs.stream).toBe(true);
        return new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(enc.encode('data: {"response":"Sha"}\n\ndata: {"respo'));
            c.enqueue(
              enc.encode(
                'nse":"lom"}\n\ndata: {"response":"","usage":{"prompt_tokens":7,"completion_tokens":2}}\n\ndata: [DONE]\n\n',
              ),
            );
            c.close();
          },
        });
      },
    };
    const deltas: string[] = [];
    const res = await new WorkersAiProvider(ai).chat({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      onDelta: (d) => deltas.push(d),
    });
    expect(deltas).toEqual(["Sha", "lom"]);
    expect(res.text).toBe("Shalom");
    expect(res.usage).toEqual({ inputTokens: 7, outputTokens: 2 });
  });

  it("marks capacity errors retryable and malformed output not", async () => {
    const busy = new WorkersAiProvider({
      run: async () => Promise.reject(new Error("AiError: 429 Too many requests")),
    });
    const e1 = await busy.chat({ model: "m", messages: [] }).catch((e: unknown) => e);
    expect(e1 instanceof ProviderError && e1.retryable).toBe(true);
    const odd = new WorkersAiProvider({ run: async () => 42 });
    const e2 = await odd.chat({ model: "m", messages: [] }).catch((e: unknown) => e);
    expect(e2 instanceof ProviderError && e2.retryable).toBe(false);
  });
});

describe("local provider", () => {
  it("answers extractively from the context and calls no tools", async () => {
    const res = await new LocalProvider().chat({
      model: "local",
      messages: [
        {
          role: "system",
          content: "Boxes ship between the 10th and the 18th. Gift subscriptions never renew automatically.",
        },
        { role: "user", content: "Do gift subscriptions renew?" },
      ],
    });
    expect(res.text).toBe("Gift subscriptions never renew automatically.");
    expect(res.toolCalls).toEqual([]);
    expect(costOf(res.model, res.usage)).toEqual({ costUsd: 0, priced: true });
  });
});
