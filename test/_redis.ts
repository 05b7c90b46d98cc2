// A real redis-server for the redis suites: on a free loopback port, no persistence unless asked,
// stopped (or killed, to simulate an outage) by the test. Suites skip with a printed reason when
// the binary is missing, and fail instead under REQUIRE_ALL_SUITES=1 (CI installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import redisDriver from "unstorage/drivers/redis";
import type { StorageLike } from "../src/index.ts";

const BIN = process.env.REDIS_SERVER ?? "redis-server";
export const redisAvailable = spawnSync(BIN, ["--version"], { stdio: "ignore" }).status === 0;

/** True when the suite can run; prints why not, or throws when every suite is required. */
export function checkRedis(suite: string): boolean {
  if (redisAvailable) return true;
  if (process.env.REQUIRE_ALL_SUITES === "1")
    throw new Error(`${suite}: redis-server is missing and REQUIRE_ALL_SUITES=1 (apt-get install -y redis-server)`);
  console.warn(
    `${suite}: skipped, redis-server is not installed (apt-get install -y redis-server, or set REDIS_SERVER)`,
  );
  return false;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGKILL simulates a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port (and data dir when persistent). */
  start(): Promise<void>;
  /** Stops it and removes its data dir. */
  close(): Promise<void>;
}

/** Starts redis-server on a free loopback port (or `port`). `persistent`: append-only file fsync'ed on every write. */
export async function startRedis(options: { persistent?: boolean; port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), "gcp-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir, "--daemonize", "no"];
  args.push(...(options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]));
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn(BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on ${port}:\n${output}`)), 10_000);
      proc.stdout!.on("data", (chunk: Buffer) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
  };
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once("exit", () => resolve());
      proc.kill(signal);
    });
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    async close() {
      await stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A storage on the test redis, as one proxy process would open it (its own connection). */
export function redisStorage(server: Pick<RedisServer, "url">, base = "gcp"): StorageLike {
  return createStorage({
    driver: redisDriver({ url: server.url, base, maxRetriesPerRequest: 1, connectTimeout: 1000 }),
  }) as unknown as StorageLike;
}
