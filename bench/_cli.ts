// The CLI as a user runs it: `node bin/gemini-cli-proxy.mjs run -c config.json` (the built dist/) in
// its own temporary HOME and working directory, with its default config: fs storage in
// ~/.gemini-cli-proxy, usage ledger and its periodic summary on, the info-level request log (pretty,
// consola's default reporter) on stdout and stderr, which go to a file as under a service manager.
// The config only adds what a user sets too (a client key) and `endpoints` pointing at the fake, the
// way test/cli-run.test.ts does. Accounts are put in the fs storage with `accounts import`, as users do.
// The CLI is not our child over IPC, so its CPU time and peak RSS are read from /proc (Linux).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/gemini-cli-proxy.mjs", import.meta.url));
const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) of a process, from /proc/PID/stat, in µs (resolution 1/CLK_TCK s). */
export function procCpuUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields[0] is field 3 (state)
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

const statusKb = (pid: number, key: string): number =>
  Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);

/** CPU and peak-RSS probe of any process by pid: VmHWM after a reset (clear_refs 5), or sampled VmRSS. */
export function procProbe(pid: number) {
  let cpu0 = 0;
  let sampled = 0;
  let canReset = true;
  const timer = setInterval(() => {
    try {
      sampled = Math.max(sampled, statusKb(pid, "VmRSS") * 1024);
    } catch {}
  }, 50);
  timer.unref();
  return {
    reset() {
      cpu0 = procCpuUs(pid);
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, "5");
      } catch {
        canReset = false;
      }
      sampled = statusKb(pid, "VmRSS") * 1024;
    },
    report() {
      const hwm = canReset ? statusKb(pid, "VmHWM") * 1024 : 0;
      return { cpuUs: procCpuUs(pid) - cpu0, peakRss: Math.max(hwm, sampled), rss: statusKb(pid, "VmRSS") * 1024 };
    },
    stop: () => clearInterval(timer),
  };
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface FakeInfo {
  endpoints: { codeAssist: string; geminiApi: string; oauthToken: string; userinfo: string; tokeninfo: string };
  credential: object;
  apiKeys: string[];
}

export interface CliHome {
  dir: string;
  config: string;
  log: string;
  env: NodeJS.ProcessEnv;
  cleanup: () => void;
}

function cliEnv(home: string): NodeJS.ProcessEnv {
  // The user's environment, minus settings of ours that a developer's shell might carry.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("GEMINI_PROXY_") && !k.startsWith("npm_")),
  );
  return { ...clean, HOME: home };
}

/**
 * A fresh HOME with config.json (client key + endpoints on the fake, nothing else) and the accounts
 * imported into the default fs storage: the one Code Assist account, or the first `apiKeys` API keys.
 */
export function prepareCliHome(
  name: string,
  info: FakeInfo,
  authKey: string,
  accounts: { oauth: true } | { apiKeys: number },
): CliHome {
  const dir = mkdtempSync(join(tmpdir(), `gcp-bench-${name}-`));
  const e = info.endpoints;
  const config = join(dir, "config.json");
  writeFileSync(
    config,
    JSON.stringify({
      auth_keys: [authKey],
      endpoints: {
        code_assist: e.codeAssist,
        gemini_api: e.geminiApi,
        oauth_token: e.oauthToken,
        userinfo: e.userinfo,
        tokeninfo: e.tokeninfo,
      },
    }),
  );
  const file = join(dir, "oauth" in accounts ? "oauth_creds.json" : "api-keys.txt");
  writeFileSync(
    file,
    "oauth" in accounts ? JSON.stringify(info.credential) : `${info.apiKeys.slice(0, accounts.apiKeys).join("\n")}\n`,
  );
  const env = cliEnv(dir);
  const out = execFileSync(process.execPath, [BIN, "accounts", "import", file, "-c", config], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "inherit"],
  }).toString();
  if (!/imported (\d+) of \1 (account|entr)/.test(out))
    throw new Error(`accounts import in ${dir}: ${out.slice(-300)}`);
  mkdirSync(join(dir, "logs"), { recursive: true });
  return {
    dir,
    config,
    log: join(dir, "logs", "gemini-cli-proxy.log"),
    env,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface RunningCli {
  proc: ChildProcess;
  url: string;
  /** From spawn to the first answered (200) request. */
  startupMs: number;
  probe: ReturnType<typeof procProbe>;
  stop: () => Promise<number | null>;
}

function tryOnce(url: string, path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      `${url}${path}`,
      { method: "POST", agent: false, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/**
 * `gemini-cli-proxy run -c config.json --port N`; resolves once a chat request has been answered 200.
 * `cli.bin` runs another build (bench/ab.mts), `cli.args` adds `run` flags.
 */
export async function startCli(
  home: CliHome,
  probeRequest: { path: string; headers: Record<string, string>; body: string },
  execArgv: string[] = [],
  cli: { bin?: string; args?: string[] } = {},
): Promise<RunningCli> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fd = openSync(home.log, "a");
  const t0 = performance.now();
  const args = [...execArgv, cli.bin ?? BIN, "run", "-c", home.config, "--port", String(port), ...(cli.args ?? [])];
  const proc = spawn(process.execPath, args, {
    cwd: home.dir,
    env: home.env,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  let dead = false;
  void exited.then(() => (dead = true));
  for (;;) {
    const status = await tryOnce(url, probeRequest.path, probeRequest.headers, probeRequest.body);
    if (status === 200) break;
    if (dead)
      throw new Error(
        `gemini-cli-proxy run exited during start-up; log ${home.log}:\n${readFileSync(home.log, "utf8").slice(-2000)}`,
      );
    if (status !== 0) throw new Error(`gemini-cli-proxy run answered ${status} to the first request; log ${home.log}`);
    if (performance.now() - t0 > 60_000)
      throw new Error(`gemini-cli-proxy run not answering after 60 s; log ${home.log}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const startupMs = performance.now() - t0;
  const probe = procProbe(proc.pid!);
  return {
    proc,
    url,
    startupMs,
    probe,
    stop: () => {
      probe.stop();
      if (!dead) proc.kill("SIGTERM");
      return exited;
    },
  };
}

/**
 * Resolves once every process has used under `busyPct` % of a core over `windowMs` (at most
 * `maxMs`): what a just-started CLI still does in the background (checking 1,000 imported keys with
 * the fake, for one) would otherwise load the box during the first measured rounds. Returns the wait.
 */
export async function settled(pids: number[], windowMs = 500, busyPct = 5, maxMs = 30_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = pids.map(procCpuUs);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const busy = pids.some((pid, i) => ((procCpuUs(pid) - before[i]!) / (windowMs * 1000)) * 100 > busyPct);
    if (!busy || Date.now() - started > maxMs) return Date.now() - started;
  }
}
