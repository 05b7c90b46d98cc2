// Starts a built Nitro node-server output on a free loopback port and waits until it answers.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface StartedNitro {
  url: string;
  child: ChildProcess;
  /** Output of the server so far (for error messages). */
  output: () => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startNitroServer(
  entry: string,
  env: Record<string, string>,
  fixedPort?: number,
): Promise<StartedNitro> {
  const port = fixedPort ?? (await freePort());
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env, NITRO_PORT: String(port), NITRO_HOST: "127.0.0.1", NITRO_SHUTDOWN_TIMEOUT: "2000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk) => (log += chunk));
  child.stderr?.on("data", (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  // Polled, not read from the log: newer srvx prints no "Listening on" line under a test runner.
  const answers = () =>
    fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
  while (!(await answers())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the Nitro server did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    child,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
