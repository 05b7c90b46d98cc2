// The fake Google every bench script runs in a child process, and the floor's settings for it.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The fake's coordinates as bench/_fake.ts prints them (url, endpoints, credential, token, project, API keys). */
export type FakeInfo = any;

/** Forks bench/_fake.ts (`apiKeys` API keys; its own default when omitted) and waits for its coordinates. */
export async function startFake(apiKeys?: number): Promise<{ info: FakeInfo; proc: ChildProcess }> {
  const proc = fork(fileURLToPath(new URL("./_fake.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    env: apiKeys === undefined ? process.env : { ...process.env, BENCH_API_KEYS: String(apiKeys) },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const info = await new Promise<FakeInfo>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)));
    });
    proc.once("exit", (c) => reject(new Error(`fake exited ${c}`)));
  });
  return { info, proc };
}

/**
 * BENCH_FLOOR for bench/floor.mjs: the fake's Code Assist account, the client key it accepts, and
 * the floor's `layers` to add (h3, journal, log).
 */
export const floorEnv = (info: FakeInfo, authKey: string, layers: string[] = []): { BENCH_FLOOR: string } => ({
  BENCH_FLOOR: JSON.stringify({
    upstream: info.endpoints.codeAssist,
    accessToken: info.accessToken,
    project: info.project,
    authKey,
    layers,
  }),
});
