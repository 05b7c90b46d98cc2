// The slice of ioredis the coordinator uses, typed structurally: ioredis stays an optional peer the
// user installs, and our published types never name it.

export interface RedisClientLike {
  status: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ...args: (string | number)[]): Promise<string | null>;
  del(...keys: string[]): Promise<number>;
  exists(key: string): Promise<number>;
  pttl(key: string): Promise<number>;
  incrby(key: string, by: number): Promise<number>;
  hincrby(key: string, field: string, by: number): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  sadd(key: string, ...members: string[]): Promise<number>;
  smembers(key: string): Promise<string[]>;
  srem(key: string, ...members: string[]): Promise<number>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(...channels: string[]): Promise<unknown>;
  unsubscribe(...channels: string[]): Promise<unknown>;
  multi(): RedisPipelineLike;
  duplicate(override?: Record<string, unknown>): RedisClientLike;
  on(event: string, fn: (...args: never[]) => void): unknown;
  off(event: string, fn: (...args: never[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

export interface RedisPipelineLike {
  hincrby(key: string, field: string, by: number): RedisPipelineLike;
  sadd(key: string, ...members: string[]): RedisPipelineLike;
  del(...keys: string[]): RedisPipelineLike;
  srem(key: string, ...members: string[]): RedisPipelineLike;
  exec(): Promise<[Error | null, unknown][] | null>;
}

/** The redis mount of an unstorage instance: its ioredis client and the driver's key base. */
export interface RedisMount {
  client: RedisClientLike;
  /** `${base}:` (or "" without a base): every unstorage key is stored under it. */
  prefix: string;
}

interface MountLike {
  driver?: { name?: string; options?: { base?: string }; getInstance?: () => unknown };
}

/**
 * The ioredis client behind a storage's root mount, when it is unstorage's redis driver (found
 * through `storage.getMount("")`, as docs/hosts.md#no-atomic-operations describes). Anything else: undefined.
 */
export function redisMountOf(storage: unknown): RedisMount | undefined {
  const getMount = (storage as { getMount?: (key?: string) => MountLike } | null)?.getMount;
  if (typeof getMount !== "function") return undefined;
  let mount: MountLike | undefined;
  try {
    mount = getMount.call(storage, "");
  } catch {
    return undefined;
  }
  const driver = mount?.driver;
  if (!driver || driver.name !== "redis" || typeof driver.getInstance !== "function") return undefined;
  const client = driver.getInstance() as RedisClientLike;
  if (!client || typeof client.duplicate !== "function" || typeof client.eval !== "function") return undefined;
  const base = (driver.options?.base ?? "").replace(/:$/, "");
  // ioredis adds its own keyPrefix (if any) to every key, ours included.
  return { client, prefix: base ? `${base}:` : "" };
}
