/**
 * Server-sent events reader for streamed chat completions: yields the `data:` payload
 * of every event (joined across multi-line data fields) until the stream ends or a
 * `[DONE]` sentinel arrives. Works on any ReadableStream of bytes, in Workers and Node.
 */

/** Iterate the data payloads of an SSE byte stream. */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buf += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buf.search(/\r?\n/)) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + (buf[nl] === "\r" ? 2 : 1));
        if (line === "") {
          if (data.length) {
            const payload = data.join("\n");
            data = [];
            if (payload.trim() === "[DONE]") return;
            yield payload;
          }
        } else if (line.startsWith("data:")) {
          data.push(line.slice(5).replace(/^ /, ""));
        }
      }
      if (done) break;
    }
    if (buf.startsWith("data:")) data.push(buf.slice(5).replace(/^ /, ""));
    if (data.length && data.join("\n").trim() !== "[DONE]") yield data.join("\n");
  } finally {
    reader.releaseLock();
  }
}

/** The JSON payloads of an SSE byte stream; events whose data is not JSON are skipped. */
export async function* sseJson(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  for await (const data of sseData(body)) {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      continue;
    }
    yield json;
  }
}
