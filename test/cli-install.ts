// The CLI as users get it: the package is built into a staging folder, `npm pack`ed, and installed
// into a temporary project; commands then run as `npx gemini-cli-proxy ...`. Servers are spawned from
// the installed bin directly, because npx does not forward SIGTERM to its child.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliServer {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

export interface CliInstall {
  /** The consumer project (has node_modules/gemini-cli-proxy). */
  dir: string;
  /** An empty HOME, so the default data directory lands in the sandbox. */
  home: string;
  bin: string;
  env: (extra?: Record<string, string>) => NodeJS.ProcessEnv;
  npx: (args: string[], options?: { env?: Record<string, string>; cwd?: string }) => Promise<CliResult>;
  start: (args: string[], options?: { env?: Record<string, string>; cwd?: string }) => Promise<CliServer>;
  /** Kills servers a failed test left running and removes the install. */
  cleanup: () => void;
}

export async function installCli(): Promise<CliInstall> {
  const stage = await mkdtemp(join(tmpdir(), "gcp-pack-"));
  await run("npx", ["tsdown", "--out-dir", join(stage, "dist"), "--no-dts", "--log-level", "error"], { cwd: ROOT });
  await cp(join(ROOT, "package.json"), join(stage, "package.json"));
  await cp(join(ROOT, "bin"), join(stage, "bin"), { recursive: true });
  await run("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", stage], { cwd: stage });
  const tgz = (await readdir(stage)).find((f) => f.endsWith(".tgz"))!;
  const dir = await mkdtemp(join(tmpdir(), "gcp-consumer-"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", join(stage, tgz)], {
    cwd: dir,
  });
  const home = join(dir, "home");
  await mkdir(home);
  const bin = join(dir, "node_modules", ".bin", "gemini-cli-proxy");

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GEMINI_PROXY_")));
    return { ...clean, HOME: home, CI: "true", NO_COLOR: "1", ...extra };
  };

  const npx: CliInstall["npx"] = (args, options = {}) =>
    new Promise((resolve) => {
      // --prefix finds the installed package from any working directory.
      const child = spawn("npx", ["--prefix", dir, "--no-install", "gemini-cli-proxy", ...args], {
        cwd: options.cwd ?? dir,
        env: env(options.env),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });

  const children = new Set<ChildProcess>();
  const start: CliInstall["start"] = (args, options = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(bin, args, {
        cwd: options.cwd ?? dir,
        env: env(options.env),
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.add(child);
      let output = "";
      const exited = new Promise<number | null>((r) =>
        child.once("exit", (code) => {
          children.delete(child);
          r(code);
        }),
      );
      const onData = (data: Buffer) => {
        output += data.toString();
        const match = /listening on (http:\/\/[\w.:[\]-]+)/.exec(output);
        if (match && /usable credential\(s\) of \d+/.test(output)) {
          child.stdout!.off("data", onData);
          child.stderr!.off("data", onData);
          child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
          child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
          resolve({
            child,
            url: match[1]!,
            output: () => output,
            exited,
            stop: (signal = "SIGTERM") => {
              child.kill(signal);
              return exited;
            },
          });
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      void exited.then((code) => reject(new Error(`CLI exited with ${code} before listening:\n${output}`)));
    });

  const cleanup = () => {
    for (const child of children) child.kill("SIGKILL");
    for (const path of [stage, dir]) rmSync(path, { recursive: true, force: true });
  };
  return { dir, home, bin, env, npx, start, cleanup };
}

/** Runs the installed bin to completion (for commands that need another cwd than the consumer). */
export function runBin(
  install: CliInstall,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(install.bin, args, {
      cwd: options.cwd ?? install.dir,
      env: install.env(options.env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
