// Request lifecycle hooks: a start hook refuses (returned or thrown), failing or hanging hooks are
// skipped after their timeout, end hooks get the finished record exactly once, streams included.
import { expect, it } from "vitest";
import { RequestDeniedError, type RequestStartEvent } from "../src/http/hooks.ts";
import type { RequestRecord } from "../src/usage/record.ts";
import { authHeaders, describeMatrix, waitFor } from "./_setup.ts";
import { generateBody } from "./_admin.ts";

const ended: RequestRecord[] = [];
const started: RequestStartEvent[] = [];
const warnings: string[] = [];

describeMatrix(
  "request hooks",
  (fake) => {
    fake.addAccount({ email: "hooks@example.com" });
    ended.length = 0;
    return {
      credentials: [fake.simpleCredential("hooks@example.com")],
      logger: { error() {}, info() {}, debug() {}, warn: (...a: unknown[]) => warnings.push(a.map(String).join(" ")) },
      hooks: {
        timeoutMs: 100,
        onRequestStart: [
          (event) => {
            started.push(event);
            const policy = event.request.headers.get("x-policy");
            if (policy === "return") return { status: 429, message: "Over your team budget" };
            if (policy === "throw") throw new RequestDeniedError("Model not allowed for this key");
            if (policy === "crash") throw new Error("hook bug");
            if (policy === "hang") return new Promise<void>(() => {});
          },
        ],
        onRequestEnd: [
          (record) => void ended.push(record),
          () => {
            throw new Error("end hook bug");
          },
          () => new Promise<void>(() => {}),
        ],
      },
    };
  },
  (h) => {
    const generate = (policy?: string, stream = false) =>
      h.request(`/v1beta/models/gemini-2.5-flash:${stream ? "streamGenerateContent?alt=sse" : "generateContent"}`, {
        method: "POST",
        headers: authHeaders(policy ? { "x-policy": policy } : {}),
        body: generateBody("hook me"),
      });

    it("refuses with the status and message a start hook returns (Google shape on /v1beta)", async () => {
      const before = h.fake.count({ action: "generateContent" });
      const res = await generate("return");
      expect(res.status).toBe(429);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe("Over your team budget");
      expect(h.fake.count({ action: "generateContent" })).toBe(before);
    });

    it("refuses with RequestDeniedError (403, OpenAI shape on /v1)", async () => {
      const res = await h.request("/v1/chat/completions", {
        method: "POST",
        headers: authHeaders({ "x-policy": "throw" }),
        body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: { message: "Model not allowed for this key", code: "request_denied" },
      });
    });

    it("lets the request through when a start hook crashes or hangs", async () => {
      expect((await generate("crash")).status).toBe(200);
      const t0 = Date.now();
      expect((await generate("hang")).status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(warnings.some((w) => /onRequestStart hook failed/.test(w))).toBe(true);
      expect(warnings.some((w) => /onRequestStart hook timed out/.test(w))).toBe(true);
    });

    it("gives end hooks the finished record once, for streams too, despite failing hooks", async () => {
      ended.length = 0;
      expect((await generate()).status).toBe(200);
      const stream = await generate(undefined, true);
      await stream.text();
      await waitFor(() => ended.length >= 2);
      await new Promise((r) => setTimeout(r, 150));
      expect(ended).toHaveLength(2);
      const [plain, streamed] = ended as [RequestRecord, RequestRecord];
      expect(plain).toMatchObject({
        surface: "gemini",
        model: "gemini-2.5-flash",
        outcome: "success",
        status: 200,
        stream: false,
        clientKey: expect.stringMatching(/^key-/),
      });
      expect(plain.usage!.total).toBeGreaterThan(0);
      expect(streamed).toMatchObject({ stream: true, outcome: "success" });
      expect(streamed.firstByteAt).toBeGreaterThanOrEqual(streamed.startedAt);
      expect(warnings.some((w) => /onRequestEnd hook failed/.test(w))).toBe(true);
      expect(warnings.some((w) => /onRequestEnd hook timed out/.test(w))).toBe(true);
    });

    it("records refused requests in the ledger as request_denied", async () => {
      const summary = await h.proxy.usage.summary();
      expect(summary["-"]?.failed_requests.request_denied ?? 0).toBeGreaterThan(0);
    });

    it("does not run hooks for admin and health routes", async () => {
      const count = started.length;
      ended.length = 0;
      await h.request("/health");
      await h.request("/admin/usage");
      await new Promise((r) => setTimeout(r, 50));
      expect(started.length).toBe(count);
      expect(ended).toEqual([]);
    });
  },
);
