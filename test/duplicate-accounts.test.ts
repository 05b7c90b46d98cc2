// An account's identity must not depend on reaching Google: a start while Google is unreachable
// (the email cannot be learned) finds the account by its refresh token instead of adding it a
// second time, in the pool and in credentials.json. Duplicates an earlier version stored are
// merged at start (cooldowns by the later end, counters summed) and the file is rewritten once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStorage } from "unstorage";
import fsLiteDriver from "unstorage/drivers/fs-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy, type StorageLike } from "../src/index.ts";
import { credentialId } from "../src/pool/credential.ts";
import { createCredentialStore } from "../src/pool/store.ts";
import { proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

const EMAIL = "dup@example.com";
const PRO = "gemini-2.5-pro";
const FLASH = "gemini-2.5-flash";

/** Endpoints on a port where nothing listens: Google is unreachable. */
async function deadEndpoints(): Promise<FakeGoogle["endpoints"]> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const base = `http://127.0.0.1:${port}`;
  return {
    codeAssist: base,
    geminiApi: base,
    oauthAuthorize: `${base}/o/oauth2/v2/auth`,
    oauthToken: `${base}/token`,
    userinfo: `${base}/userinfo`,
    tokeninfo: `${base}/tokeninfo`,
    revoke: `${base}/revoke`,
  };
}

describe("duplicated accounts", () => {
  let fake: FakeGoogle;
  let dir: string;
  let file: string;
  const storageAt = () =>
    createStorage({ driver: fsLiteDriver({ base: join(dir, "data") }) }) as unknown as StorageLike;
  const open = async (endpoints?: FakeGoogle["endpoints"]): Promise<GeminiProxy> => {
    const proxy = createGeminiProxy(
      proxyOptionsFor(fake, {
        storage: storageAt(),
        credentialsFile: file,
        pool: { healthCheck: { enabled: false } },
        ...(endpoints ? { endpoints } : {}),
        requestTimeouts: { connect: 1, read: 1 },
      }),
    );
    opened.push(proxy);
    await proxy.ready();
    return proxy;
  };
  const opened: GeminiProxy[] = [];
  const cleanUp = async () => {
    for (const proxy of opened.splice(0)) await proxy.close();
    await rm(dir, { recursive: true, force: true });
  };
  const fileEntries = async () => JSON.parse(await readFile(file, "utf8")) as { refresh_token: string }[];

  beforeAll(async () => {
    fake = await createFakeGoogle();
    fake.addAccount({ email: EMAIL });
  });
  afterAll(async () => {
    await fake.close();
  });

  it("a start with Google unreachable finds the account by its refresh token: no second copy", async () => {
    dir = await mkdtemp(join(tmpdir(), "gcp-dup-"));
    file = join(dir, "credentials.json");
    await writeFile(file, JSON.stringify([fake.simpleCredential(EMAIL)], null, 2));
    try {
      const first = await open();
      expect(first.pool.list().map((c) => c.email)).toEqual([EMAIL]);
      const id = first.pool.list()[0]!.id;
      await first.close();

      const offline = await open(await deadEndpoints());
      expect(offline.pool.list().map((c) => c.id)).toEqual([id]);
      expect(offline.pool.list()[0]!.email).toBe(EMAIL);
      await offline.close();
      expect(await fileEntries()).toHaveLength(1);

      const again = await open();
      expect(again.pool.list().map((c) => c.id)).toEqual([id]);
      expect((await again.pool.list()[0]!).state.status).toBe("active");
      await again.close();
      expect(await fileEntries()).toHaveLength(1);
    } finally {
      await cleanUp();
    }
  });

  it("duplicates already stored are merged at start, and credentials.json is rewritten once", async () => {
    dir = await mkdtemp(join(tmpdir(), "gcp-dup-"));
    file = join(dir, "credentials.json");
    const legacy = fake.simpleCredential(EMAIL);
    await writeFile(file, JSON.stringify([legacy, legacy], null, 2));
    try {
      // What the bug left behind: the account under its email id and again under its token's hash.
      const store = createCredentialStore(storageAt());
      const token = legacy.refresh_token as string;
      const now = Date.now();
      const realId = credentialId("oauth", EMAIL);
      const dupId = credentialId("oauth", token);
      await store.put({ id: realId, kind: "oauth", refreshToken: token, email: EMAIL, createdAt: now - 10_000 });
      await store.putState(realId, {
        status: "rate_limited",
        cooldowns: { [PRO]: { until: now + 3_600_000, reason: "quota exhausted" } },
        usageCount: 5,
        failures: 0,
      });
      await store.put({ id: dupId, kind: "oauth", refreshToken: token, createdAt: now });
      await store.putState(dupId, {
        status: "suspected",
        reason: "fetch failed",
        cooldowns: {
          [PRO]: { until: now + 7_200_000, reason: "quota exhausted (later)" },
          [FLASH]: { until: now + 60_000, reason: "rate limited" },
        },
        usageCount: 3,
        failures: 2,
      });

      const proxy = await open();
      const list = proxy.pool.list();
      expect(list.map((c) => c.id)).toEqual([realId]);
      const state = list[0]!.state;
      expect(state.usageCount).toBe(8);
      expect(state.cooldowns[PRO]!.until).toBe(now + 7_200_000);
      expect(state.cooldowns[FLASH]!.until).toBe(now + 60_000);
      expect(await createCredentialStore(storageAt()).get(dupId)).toBeNull();
      await proxy.close();
      const entries = await fileEntries();
      expect(entries).toHaveLength(1);
      expect(entries[0]!.refresh_token).toBe(token);
    } finally {
      await cleanUp();
    }
  });
});
