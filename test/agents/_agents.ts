// Shared harness of the agent suites: the real, unmodified agent programs (installed as pinned
// devDependencies) run against a proxy on a real node:http listener, in front of the fake Google.
// Every client request and the proxy's answer are captured (for assertions and for the fixtures in
// test/fixtures/agents/). Each run gets its own temporary HOME and an environment that keeps the
// program offline (no telemetry, update checks or auto-updates). A suite skips with a printed
// reason when its program is missing, and fails instead under REQUIRE_ALL_SUITES=1.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createGeminiProxy, type GeminiProxy, type GeminiProxyOptions } from "../../src/index.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "../_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "../fake-google/index.ts";

export { CLIENT_KEY };

/** How long one program run may take before its process group is killed (a loaded 2-core box included). */
export const RUN_TIMEOUT_MS = 60_000;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES = join(ROOT, "test/fixtures/agents");

/** Path of an installed program in node_modules/.bin, when it is there and answers `--version`. */
export function agentBin(name: string): string | undefined {
  const bin = join(ROOT, "node_modules/.bin", name);
  if (!existsSync(bin)) return undefined;
  const home = tempDir(`probe-${name}`);
  try {
    mkdirSync(join(home.dir, "tmp"));
    const probe = spawnSync(bin, ["--version"], {
      stdio: "ignore",
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...offlineEnv(home.dir) },
    });
    return probe.status === 0 ? bin : undefined;
  } finally {
    home.cleanup();
  }
}

/** True when the suite can run; prints why not, or throws when every suite is required. */
export function checkAgent(suite: string, bin: string | undefined, pkg: string): bin is string {
  if (bin) return true;
  const why = `${suite}: the ${pkg} binary is missing or does not start (npm ci installs it as a devDependency)`;
  if (process.env.REQUIRE_ALL_SUITES === "1") throw new Error(`${why}, and REQUIRE_ALL_SUITES=1`);
  console.warn(`${why}: skipped`);
  return false;
}

/** Environment shared by every program: no telemetry, update checks, auto-updaters or colours. */
export function offlineEnv(home: string): Record<string, string> {
  return {
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, ".config"),
    XDG_DATA_HOME: join(home, ".local/share"),
    XDG_STATE_HOME: join(home, ".local/state"),
    XDG_CACHE_HOME: join(home, ".cache"),
    TMPDIR: join(home, "tmp"), // created by runAgent: sockets, error reports and the like stay in the run's HOME
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    TERM: "dumb",
    CI: "1",
    DO_NOT_TRACK: "1",
    NO_UPDATE_NOTIFIER: "1",
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: "127.0.0.1,localhost",
  };
}

export interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
  /** The proxy's answer: parsed JSON, or the raw text (SSE streams stay text). */
  response?: unknown;
  /** The body the proxy got instead, when a capture shim rewrote it (fixture capture only). */
  rewrittenBody?: unknown;
}

/** Returns a replacement body for the proxy, or undefined to pass the client's body through. */
export type Rewrite = (request: Captured) => unknown;

export interface AgentProxy {
  fake: FakeGoogle;
  proxy: GeminiProxy;
  url: string;
  /** Every request a client sent to the proxy, with the proxy's answer, oldest first. */
  captured: Captured[];
  close(): Promise<void>;
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Wraps the proxy's node listener: buffers the body (handed on as `rawBody`) and tees the answer. */
function recording(handler: http.RequestListener, captured: Captured[], rewrite?: Rewrite): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const entry: Captured = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers,
        body: parse(raw.toString("utf8")),
      };
      captured.push(entry);
      const out: Buffer[] = [];
      const write = res.write.bind(res) as (...a: unknown[]) => boolean;
      const end = res.end.bind(res) as (...a: unknown[]) => http.ServerResponse;
      const keep = (chunk: unknown) => {
        if (typeof chunk === "string") out.push(Buffer.from(chunk));
        else if (chunk instanceof Uint8Array) out.push(Buffer.from(chunk));
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        keep(chunk);
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (typeof chunk !== "function") keep(chunk);
        entry.status = res.statusCode;
        entry.response = parse(Buffer.concat(out).toString("utf8"));
        return end(chunk, ...rest);
      }) as typeof res.end;
      res.on("close", () => {
        entry.status ??= res.statusCode;
        entry.response ??= parse(Buffer.concat(out).toString("utf8"));
      });
      if (req.method !== "GET" && req.method !== "HEAD") {
        const next = rewrite?.(entry);
        if (next !== undefined) {
          entry.rewrittenBody = next;
          const buf = Buffer.from(JSON.stringify(next));
          req.headers["content-length"] = String(buf.length);
          (req as { rawBody?: Buffer }).rawBody = buf;
        } else (req as { rawBody?: Buffer }).rawBody = raw;
      }
      handler(req, res);
    });
  };
}

/** Fake Google with one Gemini API key (or one OAuth account), the proxy in front on a real listener. */
export async function startAgentProxy(
  options: { pool?: "api_key" | "oauth"; extra?: GeminiProxyOptions; rewrite?: Rewrite } = {},
): Promise<AgentProxy> {
  const fake = await createFakeGoogle();
  let seed: GeminiProxyOptions;
  if (options.pool === "oauth") {
    fake.addAccount({ email: "agent@example.com" });
    seed = { credentials: [fake.simpleCredential("agent@example.com")] };
  } else {
    seed = { geminiApiKeys: [fake.addApiKey()] };
  }
  const proxy = createGeminiProxy(
    proxyOptionsFor(fake, { ...seed, pool: { maxAttempts: 1, waitForCooldownMs: 0 }, ...options.extra }),
  );
  await proxy.ready();
  const captured: Captured[] = [];
  const server = await listen(recording(proxy.node, captured, options.rewrite));
  return {
    fake,
    proxy,
    url: server.url,
    captured,
    async close() {
      await server.close();
      await proxy.close();
      await fake.close();
    },
  };
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Runs a program to its end (or kills its process group at the timeout). */
export function runAgent(
  bin: string,
  args: string[],
  opts: { env: Record<string, string>; cwd: string; timeoutMs?: number; input?: string },
): Promise<RunResult> {
  const start = Date.now();
  // PATH (node, sh, rg…) and locale come from the test process; the rest is the run's own.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    LANG: process.env.LANG ?? "C.UTF-8",
    ...opts.env,
  };
  if (env.TMPDIR) mkdirSync(env.TMPDIR, { recursive: true });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { cwd: opts.cwd, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill("SIGTERM");
      setTimeout(() => kill("SIGKILL"), 2000).unref();
    }, opts.timeoutMs ?? RUN_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      kill("SIGKILL"); // helpers the program left behind (MCP servers, shells)
      resolvePromise({ code, signal, stdout, stderr, timedOut, ms: Date.now() - start });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** A fresh temporary directory (HOME, a project dir); removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `gcp-agent-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface FixtureRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  status?: number;
  response?: unknown;
}

/**
 * Writes test/fixtures/agents/<program>-<name>.json with the captured requests (only with
 * AGENTS_WRITE_FIXTURES=1, so that test runs leave the tree clean). Keys are test keys: nothing is redacted.
 */
export function writeFixture(program: string, name: string, meta: Record<string, unknown>, requests: Captured[]): void {
  if (process.env.AGENTS_WRITE_FIXTURES !== "1") return;
  mkdirSync(FIXTURES, { recursive: true });
  const file = join(FIXTURES, `${program}-${name}.json`);
  const out = { program, case: name, ...meta, requests: requests.map((r) => ({ ...r })) };
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
}

/** A short description of a run for assertion messages: exit, tail of both streams, proxy answers. */
export function describeRun(run: RunResult, captured: Captured[]): string {
  const answers = captured.map(
    (c) =>
      `${c.method} ${c.url} → ${c.status}${c.status && c.status >= 400 ? ` ${JSON.stringify(c.response).slice(0, 300)}` : ""}`,
  );
  return [
    `exit ${run.code}${run.signal ? ` (${run.signal})` : ""}${run.timedOut ? " (timed out)" : ""} after ${run.ms} ms`,
    `stdout: ${run.stdout.slice(-1500)}`,
    `stderr: ${run.stderr.slice(-1500)}`,
    `proxy saw:\n  ${answers.join("\n  ")}`,
  ].join("\n");
}

/**
 * Fixture-capture shim (never used by the assertions): folds Anthropic `role: "system"` messages in
 * the middle of `messages` into the user turn they belong to, so that a capture run gets past the
 * proxy's current 400 and records the program's later requests (tool results) too.
 */
export const foldSystemMessages: Rewrite = (request) => {
  const body = request.body as { messages?: { role: string; content: unknown }[] } | undefined;
  if (!body || !Array.isArray(body.messages) || !body.messages.some((m) => m.role === "system")) return undefined;
  const blocks = (c: unknown) => (typeof c === "string" ? [{ type: "text", text: c }] : Array.isArray(c) ? c : []);
  const out: { role: string; content: unknown[] }[] = [];
  for (const m of body.messages) {
    const role = m.role === "system" ? "user" : m.role;
    const content =
      m.role === "system"
        ? blocks(m.content).map((b: { text?: string }) => ({ type: "text", text: `<system>${b.text ?? ""}</system>` }))
        : blocks(m.content);
    const prev = out[out.length - 1];
    if (prev && prev.role === role) prev.content.push(...content);
    else out.push({ role, content: [...content] });
  }
  return { ...body, messages: out };
};

export interface AgentSuite {
  p: AgentProxy;
  home: ReturnType<typeof tempDir>;
  project: ReturnType<typeof tempDir>;
}

/**
 * The lifecycle every agent suite shares: one proxy per suite, a clean fake and capture log, and a
 * fresh HOME and project folder per test. `use` receives the current set after each setup step.
 */
export function useAgentSuite(
  name: string,
  use: (suite: AgentSuite) => void,
  options?: Parameters<typeof startAgentProxy>[0],
): void {
  const suite = {} as AgentSuite;
  beforeAll(async () => {
    suite.p = await startAgentProxy(options);
    use(suite);
  });
  afterAll(async () => {
    await suite.p?.close();
  });
  beforeEach(() => {
    suite.p.fake.reset();
    suite.p.captured.length = 0;
    suite.home = tempDir(`${name}-home`);
    suite.project = tempDir(`${name}-project`);
    use(suite);
  });
  afterEach(() => {
    suite.home.cleanup();
    suite.project.cleanup();
  });
}
