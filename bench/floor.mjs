// The floor: about the least a Node proxy can do for the same request, to measure ours against.
// Raw node:http, undici request() over one keep-alive Agent to the same upstream (the fake's Code
// Assist, one account), a trivial wrap (OpenAI chat body -> Code Assist generateContent body, answer ->
// chat.completion JSON), a hand-rolled SSE split that writes one OpenAI chunk per upstream event. No
// pool, no retries, no logging, no usage, no validation beyond a client key compare.
// Started by bench/run.ts (forked, BENCH_FLOOR = {upstream, accessToken, project, authKey}).
// `layers` in BENCH_FLOOR adds, one by one, the least of what the issue and the stack require of the
// proxy, to price each against the bare floor (`FLOORS` in bench/ab.mts): "h3" serves the same
// handler through h3 v2 + srvx (the decided web stack: toNodeHandler, the body from the web request,
// the answer as a FastResponse); "journal" appends a usage line per answered request to a file in
// one write per event-loop turn before the answer ends (issue 17's crash guarantee); "log" adds a
// request log line per request, gathered and written every 50 ms (the CLI's default info log).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "undici";
import { serveReports } from "./_child.mjs";

const { upstream, accessToken, project, authKey, layers = [] } = JSON.parse(process.env.BENCH_FLOOR ?? "{}");
// The same Agent settings as the proxy's upstream client (src/upstream/http-client.ts).
const agent = new Agent({ keepAliveTimeout: 30_000, connections: 1024 });
const upstreamHeaders = { "content-type": "application/json", authorization: `Bearer ${accessToken}` };
const FINISH = { STOP: "stop", MAX_TOKENS: "length", SAFETY: "content_filter" };
let seq = 0;

const toCodeAssist = (chat) =>
  JSON.stringify({
    model: chat.model,
    project,
    request: {
      contents: chat.messages.map((m) => ({
        role: m.role === "assistant" ? "model" : "user",
        parts: [{ text: String(m.content) }],
      })),
    },
  });
const textOf = (candidate) =>
  (candidate?.content?.parts ?? []).reduce((s, p) => (p.text && !p.thought ? s + p.text : s), "");

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function fail(res, status, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message } }));
}

const upstreamCall = (chat, action) =>
  request(`${upstream}/v1internal:${action}`, {
    method: "POST",
    headers: upstreamHeaders,
    body: toCodeAssist(chat),
    dispatcher: agent,
  });

function toCompletion(chat, answer) {
  const r = answer.response;
  const c = r.candidates?.[0];
  const u = r.usageMetadata ?? {};
  return {
    id: `chatcmpl-${++seq}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: chat.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: textOf(c) },
        finish_reason: FINISH[c?.finishReason] ?? "stop",
      },
    ],
    usage: {
      prompt_tokens: u.promptTokenCount ?? 0,
      completion_tokens: u.candidatesTokenCount ?? 0,
      total_tokens: u.totalTokenCount ?? 0,
    },
  };
}

async function complete(chat, res) {
  const up = await upstreamCall(chat, "generateContent");
  const answer = await up.body.json();
  if (up.statusCode !== 200) return fail(res, 502, `upstream ${up.statusCode}`);
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(toCompletion(chat, answer)));
}

async function stream(chat, res) {
  const up = await upstreamCall(chat, "streamGenerateContent?alt=sse");
  if (up.statusCode !== 200) {
    await up.body.dump();
    return fail(res, 502, `upstream ${up.statusCode}`);
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const id = `chatcmpl-${++seq}`;
  const created = Math.floor(Date.now() / 1000);
  let first = true;
  const emit = (block) => {
    let data = "";
    for (const line of block.split(/\r?\n/))
      if (line.startsWith("data:")) data += (data ? "\n" : "") + line.slice(line[5] === " " ? 6 : 5);
    if (!data) return;
    const c = JSON.parse(data).response?.candidates?.[0];
    const delta = first ? { role: "assistant", content: textOf(c) } : { content: textOf(c) };
    first = false;
    res.write(
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: chat.model, choices: [{ index: 0, delta, finish_reason: c?.finishReason ? (FINISH[c.finishReason] ?? "stop") : null }] })}\n\n`,
    );
  };
  const boundary = /\r?\n\r?\n/g;
  let buf = "";
  up.body.setEncoding("utf8");
  for await (const text of up.body) {
    buf += text;
    let start = 0;
    boundary.lastIndex = 0;
    for (let m = boundary.exec(buf); m; m = boundary.exec(buf)) {
      emit(buf.slice(start, m.index));
      start = boundary.lastIndex;
    }
    buf = buf.slice(start);
  }
  if (buf.trim()) emit(buf);
  res.end("data: [DONE]\n\n");
}

// The layers (see the top of this file): the least a proxy can do for each requirement.
const dir = layers.length ? mkdtempSync(join(tmpdir(), "gcp-floor-")) : "";
let journalFd;
let lines = [];
let batch;
const journal = (line) => {
  lines.push(line);
  batch ??= new Promise((resolve) =>
    setImmediate(() => {
      journalFd ??= openSync(join(dir, "usage.jsonl"), "a");
      writeSync(journalFd, lines.join(""));
      lines = [];
      batch = undefined;
      resolve();
    }),
  );
  return batch;
};
let logFd;
let logText = "";
const log = (line) => {
  if (!logText)
    setTimeout(() => (writeSync((logFd ??= openSync(join(dir, "floor.log"), "a")), logText), (logText = "")), 50);
  logText += line;
};

async function layered(chat) {
  const t0 = Date.now();
  const up = await upstreamCall(chat, "generateContent");
  const answer = await up.body.json();
  const body = up.statusCode === 200 ? toCompletion(chat, answer) : undefined;
  if (body && layers.includes("journal"))
    await journal(`${JSON.stringify({ i: body.id, t: t0, m: chat.model, u: body.usage })}\n`);
  if (layers.includes("log"))
    log(
      `${new Date().toISOString()} INFO  [http] POST /v1/chat/completions ${chat.model} ${body ? 200 : 502} ${Date.now() - t0}ms\n`,
    );
  return body;
}

async function handle(req, res) {
  try {
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") return fail(res, 404, "not found");
    if (req.headers.authorization !== `Bearer ${authKey}`) return fail(res, 401, "bad key");
    const chat = JSON.parse(await readBody(req));
    if (chat.stream) return await stream(chat, res);
    if (!layers.length) return await complete(chat, res);
    const body = await layered(chat);
    if (!body) return fail(res, 502, "upstream failed");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  } catch (error) {
    if (!res.headersSent) fail(res, 500, String(error));
    else res.destroy();
  }
}

async function h3Handler() {
  const { H3, toNodeHandler } = await import("h3");
  const { FastResponse } = await import("srvx");
  const app = new H3();
  app.post("/v1/chat/completions", async (event) => {
    if (event.req.headers.get("authorization") !== `Bearer ${authKey}`)
      return FastResponse.json({ error: { message: "bad key" } }, { status: 401 });
    const body = await layered(JSON.parse(await event.req.text()));
    return body
      ? FastResponse.json(body)
      : FastResponse.json({ error: { message: "upstream failed" } }, { status: 502 });
  });
  return toNodeHandler(app);
}

const server = http.createServer(layers.includes("h3") ? await h3Handler() : handle);
server.listen(0, "127.0.0.1", () =>
  process.send?.({ type: "ready", url: `http://127.0.0.1:${server.address().port}` }),
);
serveReports(() => {
  server.closeAllConnections();
  server.close();
  for (const fd of [journalFd, logFd]) if (fd !== undefined) closeSync(fd);
  if (dir) rmSync(dir, { recursive: true, force: true });
  return agent.close();
});
