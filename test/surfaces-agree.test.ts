// The three OpenAI-family surfaces (chat, Anthropic Messages, Responses) read Google's answer through
// the same core, so they agree on the edge cases: a reply without a finish reason, generated images,
// and Gemini's limit of 5 stop sequences.
import { expect, it } from "vitest";
import { authHeaders, describeMatrix } from "./_setup.ts";

describeMatrix(
  "surfaces agree",
  (fake) => {
    fake.addAccount({ email: "agree@example.com", scenario: "onboarded" });
    return {
      credentials: [fake.simpleCredential("agree@example.com")],
      pool: { maxAttempts: 1, waitForCooldownMs: 0 },
    };
  },
  (h) => {
    const post = (path: string, body: unknown) =>
      h.request(path, { method: "POST", headers: authHeaders(), body: JSON.stringify(body) });
    const model = "gemini-2.5-flash";
    const chat = (extra = {}) =>
      post("/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }], ...extra });
    const messages = (extra = {}) =>
      post("/v1/messages", { model, max_tokens: 64, messages: [{ role: "user", content: "hi" }], ...extra });
    const responses = (extra = {}) => post("/v1/responses", { model, input: "hi", ...extra });

    it("every surface's answer carries the request id, CORS and its JSON type, once each", async () => {
      const send = (path: string, body: unknown, id: string) =>
        h.request(path, {
          method: "POST",
          headers: authHeaders({ "x-request-id": id }),
          body: JSON.stringify(body),
        });
      const answers = await Promise.all([
        send("/v1/chat/completions", { model, messages: [{ role: "user", content: "hi" }] }, "id-chat"),
        send("/v1/messages", { model, max_tokens: 64, messages: [{ role: "user", content: "hi" }] }, "id-messages"),
        send("/v1/responses", { model, input: "hi" }, "id-responses"),
        send(`/v1beta/models/${model}:generateContent`, { contents: [{ parts: [{ text: "hi" }] }] }, "id-native"),
      ]);
      for (const [res, id] of answers.map(
        (r, i) => [r, ["id-chat", "id-messages", "id-responses", "id-native"][i]] as const,
      )) {
        expect(res.status).toBe(200);
        expect(res.headers.get("x-request-id")).toBe(id);
        expect(res.headers.get("access-control-allow-origin")).toBe("*");
        expect(res.headers.get("access-control-expose-headers")).toBe("*");
        expect(res.headers.get("content-type")).toBe("application/json");
        const length = res.headers.get("content-length"); // node:http sets it; a web Response has none
        if (length !== null) expect(Number(length)).toBe(Buffer.byteLength(await res.text()));
        else expect(h.kind).toBe("fetch");
      }
      expect(answers[1]!.headers.get("request-id")).toBe("id-messages"); // Anthropic's own name for it
    });

    it("a whole (unary) reply without a finish reason is a normal end everywhere", async () => {
      h.fake.inject({ stream: { finishReason: null }, times: 3 });
      const c = await chat();
      const m = await messages();
      const r = await responses();
      expect([c.status, m.status, r.status]).toEqual([200, 200, 200]);
      expect(((await c.json()) as any).choices[0].finish_reason).toBe("stop");
      expect(((await m.json()) as any).stop_reason).toBe("end_turn");
      expect(((await r.json()) as any).status).toBe("completed");
    });

    it("a stream that ends without a finish reason is an in-band error everywhere, never a fake end", async () => {
      h.fake.inject({ stream: { finishReason: null }, times: 3 });
      const c = await (await chat({ stream: true })).text();
      const m = await (await messages({ stream: true })).text();
      const r = await (await responses({ stream: true })).text();
      expect(c).toContain('"code":"stream_incomplete"');
      expect(c).not.toContain('"finish_reason":"stop"');
      expect(m).toContain("event: error");
      expect(m).not.toContain("event: message_stop");
      expect(r).toContain("event: response.failed");
      expect(r).toContain("stream_incomplete");
    });

    it("generated images reach chat clients as message.images / delta.images data URLs", async () => {
      const image = { mimeType: "image/png", data: "iVBORw0KGgo=" };
      h.fake.inject({ stream: { text: "Here.", images: [image] }, times: 2 });
      const plain = (await (await chat()).json()) as any;
      expect(plain.choices[0].message).toMatchObject({
        content: "Here.",
        images: [{ type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }],
      });
      const streamed = await (await chat({ stream: true })).text();
      const deltas = streamed
        .split("\n\n")
        .filter((l) => l.startsWith("data: {"))
        .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta ?? {});
      expect(deltas.find((d) => d.images)).toEqual({
        images: [{ index: 0, type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } }],
      });
    });

    it("stop: up to 5 sequences go to Gemini; 6 are a 400 naming `stop`", async () => {
      const five = await chat({ stop: ["a1", "b2", "c3", "d4", "e5"] });
      expect(five.status).toBe(200);
      const six = await chat({ stop: ["a1", "b2", "c3", "d4", "e5", "f6"] });
      expect(six.status).toBe(400);
      expect(((await six.json()) as any).error).toMatchObject({ type: "invalid_request_error", param: "stop" });
    });
  },
);
