import { describe, expect, it } from "vitest";
import { readMultipartForm } from "../../../workers/api/form.ts";
import { ApiError } from "../../../workers/lib/errors.ts";

const OPTS = { maxBytes: 1000, tooLarge: "Files are limited to 1 KB", notForm: "Send a form" };

async function refusal(req: Request): Promise<{ status: number; code: string; message: string }> {
  try {
    await readMultipartForm(req, OPTS);
  } catch (err) {
    if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error("the form was accepted");
}

describe("readMultipartForm", () => {
  it("reads a multipart form", async () => {
    const fd = new FormData();
    fd.set("file", new File(["a,b\n1,2\n"], "set.csv", { type: "text/csv" }));
    fd.set("name", "Set");
    const form = await readMultipartForm(new Request("http://x/upload", { method: "POST", body: fd }), OPTS);
    const file = form.get("file");
    expect(file instanceof File ? await file.text() : null).toBe("a,b\n1,2\n");
    expect(form.get("name")).toBe("Set");
  });

  it("answers 413 with the route's sentence when the declared length is over the limit, before reading", async () => {
    const req = new Request("http://x/upload", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": "5000" },
      body: "x".repeat(10),
    });
    expect(await refusal(req)).toEqual({ status: 413, code: "payload_too_large", message: OPTS.tooLarge });
    expect(req.bodyUsed).toBe(false);
  });

  it("answers 400 for a body that is not a multipart form, or a broken one", async () => {
    for (const req of [
      new Request("http://x/upload", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      new Request("http://x/upload", { method: "POST", body: "plain text" }),
      new Request("http://x/upload", {
        method: "POST",
        headers: { "content-type": "multipart/form-data; boundary=abc" },
        body: "--abc\r\nnot a part header\r\n",
      }),
    ])
      expect(await refusal(req)).toEqual({ status: 400, code: "bad_request", message: OPTS.notForm });
  });
});
