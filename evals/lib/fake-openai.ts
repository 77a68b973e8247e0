/**
 * A scripted OpenAI-compatible chat-completions endpoint as a `fetch` function, so the
 * LLM path can be exercised inside workerd (where no local HTTP server can be opened)
 * and in the answers eval. A script maps each request to a reply (text and/or tool
 * calls); streamed requests get real SSE chunks, others a JSON completion. Requests to
 * any other URL go to `passthrough`. Every request is recorded for assertions.
 */
import { z } from "zod";

const WireMessage = z.object({
  role: z.string(),
  content: z.string().nullish(),
  tool_call_id: z.string().optional(),
});
const WireRequest = z.object({
  model: z.string(),
  messages: z.array(WireMessage),
  tools: z.array(z.object({ function: z.object({ name: z.string() }) })).optional(),
  stream: z.boolean().optional(),
  response_format: z.object({ type: z.string() }).optional(),
});

/** What the script sees of one request. */
export interface FakeRequest {
  model: string;
  system: string;
  /** The last user message (the customer's text for a first step). */
  user: string;
  /** Tool results already in the conversation (a later step of the tool loop). */
  toolResults: string[];
  tools: string[];
  json: boolean;
  stream: boolean;
}

/** A scripted reply: text, tool calls, or an HTTP failure. */
export interface FakeReply {
  text?: string;
  toolCalls?: Array<{ name: string; args: Record<string, unknown> }>;
  status?: number;
  /** Milliseconds to wait before answering (a slow or hung provider). */
  delayMs?: number;
}

export type FakeScript = (req: FakeRequest) => FakeReply;

export interface FakeOpenAi {
  fetch: typeof fetch;
  requests: FakeRequest[];
}

const sleep = (ms: number, signal?: AbortSignal | null) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new DOMException("aborted", "AbortError"));
    });
  });

/** A fetch that answers `${baseUrl}/chat/completions` from the script. */
export function fakeOpenAi(baseUrl: string, script: FakeScript, passthrough: typeof fetch): FakeOpenAi {
  const requests: FakeRequest[] = [];
  const handler = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(baseUrl)) return passthrough(input, init);
    const raw = typeof init?.body === "string" ? init.body : input instanceof Request ? await input.text() : "";
    const parsed = WireRequest.safeParse(JSON.parse(raw || "{}"));
    if (!parsed.success) return Response.json({ error: { message: "bad request" } }, { status: 400 });
    const body = parsed.data;
    const req: FakeRequest = {
      model: body.model,
      system: body.messages.find((m) => m.role === "system")?.content ?? "",
      user: [...body.messages].reverse().find((m) => m.role === "user")?.content ?? "",
      toolResults: body.messages.filter((m) => m.role === "tool").map((m) => m.content ?? ""),
      tools: (body.tools ?? []).map((t) => t.function.name),
      json: body.response_format?.type === "json_object",
      stream: body.stream === true,
    };
    requests.push(req);
    const reply = script(req);
    if (reply.delayMs) await sleep(reply.delayMs, init?.signal);
    if (reply.status && reply.status >= 400)
      return Response.json({ error: { message: "scripted failure" } }, { status: reply.status });
    const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
      id: `call_${requests.length}_${i}`,
      type: "function",
      function: { name: c.name, arguments: JSON.stringify(c.args) },
    }));
    const usage = {
      prompt_tokens: Math.ceil(raw.length / 4),
      completion_tokens: Math.ceil((reply.text ?? "").length / 4),
    };
    if (!req.stream)
      return Response.json({
        model: body.model,
        choices: [
          {
            message: { content: reply.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
            finish_reason: toolCalls.length ? "tool_calls" : "stop",
          },
        ],
        usage,
      });
    const chunks: unknown[] = [];
    for (const piece of (reply.text ?? "").match(/\S+\s*/g) ?? [])
      chunks.push({ choices: [{ delta: { content: piece } }] });
    toolCalls.forEach((c, index) => chunks.push({ choices: [{ delta: { tool_calls: [{ index, ...c }] } }] }));
    chunks.push({ choices: [{ delta: {}, finish_reason: toolCalls.length ? "tool_calls" : "stop" }], usage });
    const sse = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
    return new Response(sse, { headers: { "content-type": "text/event-stream" } });
  };
  return { fetch: handler, requests };
}
