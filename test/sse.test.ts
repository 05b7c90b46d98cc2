import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { parseSSE, parseSSEText } from "../src/gemini/sse.ts";

const FIXTURES = new URL("./fixtures/gemini-api-recorded", import.meta.url).pathname;
const encoder = new TextEncoder();

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const cuts = [0, ...offsets, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.slice(cuts[i], end));
}

// Deterministic PRNG (mulberry32) so random chunking is reproducible.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(bytes: Uint8Array, seed: number): Uint8Array[] {
  const rand = prng(seed);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(rand() * 97);
    out.push(bytes.slice(at, at + size));
    at += size;
  }
  return out;
}

interface FramingCase {
  name: string;
  text: string;
  expected: unknown[];
  invalid?: string[];
}

const hello = { text: "héllo 👋 世界" };
const framing: FramingCase[] = [
  { name: "LF", text: 'data: {"a":1}\n\ndata: {"a":2}\n\n', expected: [{ a: 1 }, { a: 2 }] },
  { name: "CRLF", text: 'data: {"a":1}\r\n\r\ndata: {"a":2}\r\n\r\n', expected: [{ a: 1 }, { a: 2 }] },
  { name: "CR", text: 'data: {"a":1}\r\rdata: {"a":2}\r\r', expected: [{ a: 1 }, { a: 2 }] },
  {
    name: "mixed line endings",
    text: 'data: {"a":1}\r\n\ndata: {"a":2}\r\rdata: {"a":3}\n\r\n',
    expected: [{ a: 1 }, { a: 2 }, { a: 3 }],
  },
  { name: "multi-byte characters", text: `data: ${JSON.stringify(hello)}\r\n\r\n`, expected: [hello] },
  {
    name: "multi-line data joined with \\n",
    text: 'data: {\ndata:   "a": "x",\ndata:   "b": [1,\ndata: 2]\ndata: }\n\n',
    expected: [{ a: "x", b: [1, 2] }],
  },
  {
    name: "multi-line data is joined with a real newline (raw newline inside a JSON string is invalid)",
    text: 'data: ["line1\ndata: "]\n\n',
    invalid: ['["line1\n"]'],
    expected: [],
  },
  {
    name: "comments, id, retry, event and unknown fields ignored",
    text: ': keep-alive\nid: 7\nretry: 1000\nevent: message\nfoo: bar\ndata: {"a":1}\n\n:another\n\n',
    expected: [{ a: 1 }],
  },
  {
    name: "malformed JSON skipped",
    text: 'data: {"a":\n\ndata: {"b":2}\n\n',
    expected: [{ b: 2 }],
    invalid: ['{"a":'],
  },
  { name: "[DONE] ignored", text: 'data: {"a":1}\n\ndata: [DONE]\n\n', expected: [{ a: 1 }] },
  {
    name: "missing trailing blank line (LF)",
    text: 'data: {"a":1}\n\ndata: {"a":2}\n',
    expected: [{ a: 1 }, { a: 2 }],
  },
  {
    name: "missing trailing newline entirely",
    text: 'data: {"a":1}\r\n\r\ndata: {"a":2}',
    expected: [{ a: 1 }, { a: 2 }],
  },
  { name: "stream ending in a lone CR", text: 'data: {"a":1}\r', expected: [{ a: 1 }] },
  {
    name: "truncated last event reported, not thrown",
    text: 'data: {"a":1}\n\ndata: {"a":',
    expected: [{ a: 1 }],
    invalid: ['{"a":'],
  },
  { name: "empty stream", text: "", expected: [] },
  { name: "only blank lines and comments", text: "\r\n\r\n: ping\r\n\r\n", expected: [] },
  { name: "data without a space", text: 'data:{"a":1}\n\n', expected: [{ a: 1 }] },
  { name: "UTF-8 BOM", text: '\uFEFFdata: {"a":1}\n\n', expected: [{ a: 1 }] },
];

describe("parseSSEText framing", () => {
  it.each(framing)("$name", async ({ text, expected, invalid = [] }) => {
    const onInvalid = vi.fn();
    expect(await collect(parseSSEText([text], { onInvalid }))).toEqual(expected);
    expect(onInvalid.mock.calls.map((call) => call[0])).toEqual(invalid);
  });

  it("accepts an async iterable of strings split mid-line", async () => {
    async function* parts() {
      yield 'data: {"a"';
      yield ":1}\r";
      yield "\n\r\n";
    }
    expect(await collect(parseSSEText(parts()))).toEqual([{ a: 1 }]);
  });
});

describe("parseSSE byte splitting", () => {
  it.each(framing)("$name: split at every byte offset", async ({ text, expected }) => {
    const bytes = encoder.encode(text);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = await collect(parseSSE(streamOf(splitAt(bytes, [cut])), { onInvalid: () => {} }));
      expect(got, `cut at ${cut}`).toEqual(expected);
    }
  });

  it("multi-byte text survives every pair of cut points and one-byte reads", async () => {
    const values = [hello, { text: "second 🚀 événement" }];
    const bytes = encoder.encode(values.map((v) => `data: ${JSON.stringify(v)}\r\n\r\n`).join(""));
    for (let a = 1; a < bytes.length; a++) {
      for (let b = a + 1; b < bytes.length; b += 3) {
        expect(await collect(parseSSE(streamOf(splitAt(bytes, [a, b]))))).toEqual(values);
      }
    }
    const single = Array.from(bytes, (byte) => Uint8Array.of(byte));
    expect(await collect(parseSSE(streamOf(single)))).toEqual(values);
  });

  it("an incomplete UTF-8 sequence at the end of the body becomes U+FFFD (decoder flushed)", async () => {
    const bytes = encoder.encode('data: "xé');
    const onInvalid = vi.fn();
    expect(await collect(parseSSE(streamOf([bytes.slice(0, -1)]), { onInvalid }))).toEqual([]);
    expect(onInvalid.mock.calls.map((call) => call[0])).toEqual(['"x\uFFFD']);
  });

  it("accepts an AsyncIterable<Uint8Array> body", async () => {
    async function* body() {
      const bytes = encoder.encode(`data: ${JSON.stringify(hello)}\n\n`);
      for (const chunk of splitAt(bytes, [9, 10, 11])) yield chunk;
    }
    expect(await collect(parseSSE(body()))).toEqual([hello]);
  });
});

describe("recorded Gemini API fixtures", () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith(".chunks.txt"));

  it("has fixtures to test", () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
  });

  describe.each(files)("%s", (file) => {
    const lines = readFileSync(join(FIXTURES, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const cases = [
      { shape: "native", payloads: lines, expected: lines.map((l) => JSON.parse(l) as unknown) },
      {
        shape: "Code Assist wrapped",
        payloads: lines.map((l) => `{"response":${l},"traceId":"t"}`),
        expected: lines.map((l) => ({ response: JSON.parse(l) as unknown, traceId: "t" })),
      },
    ];
    it.each(cases)("$shape, CRLF, random chunks", async ({ payloads, expected }) => {
      const bytes = encoder.encode(payloads.map((p) => `data: ${p}\r\n\r\n`).join(""));
      for (const seed of [1, 2, 3, 42]) {
        const onInvalid = vi.fn();
        const got = await collect(parseSSE(streamOf(randomChunks(bytes, seed)), { onInvalid }));
        expect(got).toEqual(expected);
        expect(onInvalid).not.toHaveBeenCalled();
      }
    });
  });
});

describe("stream lifecycle", () => {
  it("cancels the underlying stream when the consumer breaks early", async () => {
    const cancel = vi.fn();
    let n = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode(`data: {"n":${n++}}\r\n\r\n`));
      },
      cancel,
    });
    const got: unknown[] = [];
    for await (const value of parseSSE(body)) {
      got.push(value);
      if (got.length === 2) break;
    }
    expect(got).toEqual([{ n: 0 }, { n: 1 }]);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(body.locked).toBe(false);
  });

  it("cancels on return() even before the first event", async () => {
    const cancel = vi.fn();
    const body = new ReadableStream<Uint8Array>({
      pull: (c) => c.enqueue(encoder.encode('data: {"x":1}\n\n')),
      cancel,
    });
    const it = parseSSE(body);
    await it.next();
    await it.return(undefined);
    expect(cancel).toHaveBeenCalledTimes(1);
  });

  it("closes an AsyncIterable body when the consumer breaks early", async () => {
    let closed = false;
    async function* body() {
      try {
        for (let n = 0; ; n++) yield encoder.encode(`data: {"n":${n}}\n\n`);
      } finally {
        closed = true;
      }
    }
    for await (const value of parseSSE(body())) {
      expect(value).toEqual({ n: 0 });
      break;
    }
    expect(closed).toBe(true);
  });

  it("does not cancel a stream that completed normally", async () => {
    const cancel = vi.fn();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: {"a":1}\n\n'));
        controller.close();
      },
      cancel,
    });
    expect(await collect(parseSSE(body))).toEqual([{ a: 1 }]);
    expect(cancel).not.toHaveBeenCalled();
  });

  it("propagates a body error after delivering earlier events", async () => {
    let step = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (step++ === 0) controller.enqueue(encoder.encode('data: {"a":1}\r\n\r\ndata: {"a":'));
        else controller.error(Object.assign(new Error("terminated"), { code: "ERR_STREAM_PREMATURE_CLOSE" }));
      },
    });
    const got: unknown[] = [];
    const run = async () => {
      for await (const value of parseSSE(body)) got.push(value);
    };
    await expect(run()).rejects.toMatchObject({ message: "terminated", code: "ERR_STREAM_PREMATURE_CLOSE" });
    expect(got).toEqual([{ a: 1 }]);
  });

  it("propagates an error thrown by an AsyncIterable body", async () => {
    async function* body() {
      yield encoder.encode('data: {"a":1}\n\n');
      throw new Error("socket hang up");
    }
    await expect(collect(parseSSE(body()))).rejects.toThrow("socket hang up");
  });
});

describe("parseSSE on a Node readable (undici's body)", () => {
  /** A readable fed by hand: `push` bytes, then `end` or `fail`. */
  function nodeBody() {
    const body = new Readable({ read() {} });
    return {
      body,
      push: (text: string) => body.push(Buffer.from(text)),
      end: () => body.push(null),
      fail: (error: Error) => body.destroy(error),
    };
  }

  it("yields every event across chunk boundaries, in order, and the last unterminated one", async () => {
    const { body, end } = nodeBody();
    const bytes = Buffer.from(`data: ${JSON.stringify(hello)}\r\n\r\ndata: {"a":1}\n\ndata: {"a":2}`);
    for (const cut of splitAt(bytes, [3, 17, 23, 24, 30, 40])) body.push(Buffer.from(cut)); // 17..30 split characters
    end();
    expect(await collect(parseSSE(body))).toEqual([hello, { a: 1 }, { a: 2 }]);
  });

  it("pauses the body once 64 KB of parsed events wait for the consumer, resumes when it asks", async () => {
    const { body, push } = nodeBody();
    const events = parseSSE(body);
    const event = `data: {"a":"${"x".repeat(1000)}"}\n\n`;
    push(event);
    expect(await events.next()).toMatchObject({ done: false });
    for (let i = 0; i < 40; i++) push(event + event); // 80 events, about 80 KB, nobody asking
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).toBe(true);
    for (let i = 0; i < 80; i++) expect(await events.next()).toMatchObject({ done: false });
    const more = events.next(); // nothing parsed is left: asking resumes the body
    expect(body.isPaused()).toBe(false);
    push(event);
    expect(await more).toMatchObject({ done: false });
    await events.return(undefined);
  });

  it("leaving early destroys the body (which aborts the upstream request)", async () => {
    const { body, push } = nodeBody();
    push('data: {"a":1}\n\n');
    for await (const value of parseSSE(body)) {
      expect(value).toEqual({ a: 1 });
      break;
    }
    expect(body.destroyed).toBe(true);
  });

  it("a body error reaches the consumer after the earlier events, through wrapError", async () => {
    const { body, push, fail } = nodeBody();
    const events = parseSSE(body, { wrapError: (error) => new Error(`wrapped: ${(error as Error).message}`) });
    push('data: {"a":1}\n\ndata: {"a":');
    expect(await events.next()).toEqual({ done: false, value: { a: 1 } });
    const pending = events.next();
    fail(new Error("other side closed"));
    await expect(pending).rejects.toThrow("wrapped: other side closed");
    expect(await events.next()).toEqual({ done: true, value: undefined });
  });

  it("a body closed before its end is an error, not a quiet end", async () => {
    const { body, push } = nodeBody();
    push('data: {"a":1}\n\n');
    const got: unknown[] = [];
    const run = async () => {
      for await (const value of parseSSE(body)) {
        got.push(value);
        body.destroy(); // closed without an error and without its end
      }
    };
    await expect(run()).rejects.toMatchObject({ code: "ERR_STREAM_PREMATURE_CLOSE" });
    expect(got).toEqual([{ a: 1 }]);
  });
});
