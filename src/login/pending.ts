// Pending web logins, kept in the shared storage under `oauth:<state>` so a callback may land on
// another instance than the one that started the login. One record per login: concurrent logins
// never share anything, and a record is removed when it is used.
import { createHash, randomBytes } from "node:crypto";
import type { StorageLike } from "../storage/types.ts";
import type { LoginMode } from "./modes.ts";

export interface PendingLogin {
  mode: LoginMode;
  redirectUri: string;
  /** PKCE verifier (S256); sent only to Google's token endpoint. */
  verifier: string;
  /** The admin user who started the login. */
  owner: string;
  /** sha256 of the browser-binding cookie set when the login started. */
  browser?: string;
  createdAt: number;
  /** Epoch ms after which the login is refused as expired. */
  expiresAt: number;
}

export interface PendingLogins {
  /** Stores a new login and returns its random state. */
  create(login: Omit<PendingLogin, "createdAt" | "expiresAt">): Promise<{ state: string; login: PendingLogin }>;
  /** Reads without consuming (to decide who may complete it). */
  peek(state: string): Promise<PendingLogin | undefined>;
  /** Consumes a login: a second take of the same state finds nothing. */
  take(state: string): Promise<PendingLogin | undefined>;
}

/** Ten minutes: enough to sign in, short enough that a leaked state is soon worthless. */
export const LOGIN_TTL_MS = 10 * 60_000;
/** Expired records stay a little longer so the page can say "expired" rather than "unknown". */
const GRACE_MS = 60 * 60_000;
const STATE_RE = /^[0-9a-f]{64}$/;

const key = (state: string) => `oauth:${state}`;

export function hashToken(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function createPendingLogins(
  storage: StorageLike,
  ttlMs: number = LOGIN_TTL_MS,
  now: () => number = Date.now,
): PendingLogins {
  let lastSweep = 0;
  // Drivers without TTL support (memory, fs) would keep abandoned logins forever.
  const sweep = async () => {
    const t = now();
    if (t - lastSweep < 60_000) return;
    lastSweep = t;
    for (const k of await storage.getKeys("oauth")) {
      if (!/^oauth:[0-9a-f]{64}$/.test(k)) continue; // only our own records
      const item = await storage.getItem<PendingLogin>(k).catch(() => null);
      if (!item || typeof item.expiresAt !== "number" || item.expiresAt + GRACE_MS < t)
        await storage.removeItem(k).catch(() => {});
    }
  };
  const read = async (state: string): Promise<PendingLogin | undefined> => {
    if (!STATE_RE.test(state)) return undefined;
    const item = await storage.getItem<PendingLogin>(key(state));
    return item && typeof item === "object" && typeof item.redirectUri === "string" ? item : undefined;
  };
  return {
    async create(input) {
      await sweep().catch(() => {});
      const state = randomBytes(32).toString("hex");
      const createdAt = now();
      const login: PendingLogin = { ...input, createdAt, expiresAt: createdAt + ttlMs };
      await storage.setItem(key(state), login, { ttl: Math.ceil((ttlMs + GRACE_MS) / 1000) });
      return { state, login };
    },
    peek: read,
    async take(state) {
      const login = await read(state);
      // get-then-remove is not atomic across instances; Google's single-use code closes that gap.
      if (login) await storage.removeItem(key(state));
      return login;
    },
  };
}
