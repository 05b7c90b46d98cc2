// The one scenario every host test drives through its host (node:http, Express 5, h3 v2, Nitro v3,
// h3 v1): OpenAI streaming chat with the official SDK, a native Gemini call, an admin call with
// HTTP Basic, a client abort that must cancel the upstream request, and the host's own route.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GeminiProxyOptions } from "../src/index.ts";
import { CLIENT_KEY, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

export const ADMIN = { username: "host-admin", password: "host-admin-password" } as const;
export const HOST_ACCOUNT = "host@example.com";

export interface StartedHost {
  /** Where the proxy is reachable, without a trailing slash (e.g. `http://127.0.0.1:1234/gemini`). */
  proxyUrl: string;
  /** A route of the host itself, and a string its answer must contain. */
  ownRoute: { url: string; init?: RequestInit; expect: string };
  close: () => Promise<void>;
}

/** The proxy options every host uses: the fake's endpoints, one OAuth account, Basic admin auth. */
export function hostProxyOptions(fake: FakeGoogle, extra: GeminiProxyOptions = {}): GeminiProxyOptions {
  return proxyOptionsFor(fake, {
    credentials: [fake.simpleCredential(HOST_ACCOUNT) as never],
    admin: { ...ADMIN },
    ...extra,
  });
}

/** A fake Google with the one account the scenario uses. */
export async function createHostFake(): Promise<FakeGoogle> {
  const fake = await createFakeGoogle();
  fake.addAccount({ email: HOST_ACCOUNT, scenario: "onboarded" });
  return fake;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

export function describeHostScenario(title: string, start: (fake: FakeGoogle) => Promise<StartedHost>): void {
  describe(title, () => {
    let fake: FakeGoogle;
    let host: StartedHost;
    beforeAll(async () => {
      fake = await createHostFake();
      host = await start(fake);
    }, 120_000);
    afterAll(async () => {
      await host?.close();
      await fake?.close();
    });

    it("streams an OpenAI chat completion through the official SDK", async () => {
      const client = new OpenAI({ baseURL: `${host.proxyUrl}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: "gemini-2.5-flash",
        messages: [{ role: "user", content: "hello from the openai sdk" }],
        stream: true,
      });
      let text = "";
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      // The fake echoes the last user message: proves the body reached Google intact.
      expect(text).toBe("Echo from gemini-2.5-flash: hello from the openai sdk");
      expect(finish).toBe("stop");
      expect(fake.last({ action: "streamGenerateContent" })?.email).toBe(HOST_ACCOUNT);
    });

    it("answers a native Gemini generateContent call", async () => {
      const res = await fetch(`${host.proxyUrl}/v1beta/models/gemini-2.5-flash:generateContent`, {
        method: "POST",
        headers: { "x-goog-api-key": CLIENT_KEY, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "native hello" }] }] }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { candidates: { content: { parts: { text?: string }[] } }[] };
      const text = body.candidates[0]!.content.parts.map((p) => p.text ?? "").join("");
      expect(text).toContain("Echo from gemini-2.5-flash: native hello");
    });

    it("serves the admin API with HTTP Basic and refuses without it", async () => {
      const ok = await fetch(`${host.proxyUrl}/admin/credentials`, {
        headers: { authorization: basic(ADMIN.username, ADMIN.password) },
      });
      expect(ok.status).toBe(200);
      const list = (await ok.json()) as unknown[];
      expect(list).toHaveLength(1);
      expect(JSON.stringify(list)).not.toContain(fake.account(HOST_ACCOUNT).refreshToken);
      const refused = await fetch(`${host.proxyUrl}/admin/credentials`, {
        headers: { authorization: basic(ADMIN.username, "wrong") },
      });
      expect(refused.status).toBe(401);
      await refused.body?.cancel();
    });

    it("serves the admin page and its login page at the mount path", async () => {
      const auth = { authorization: basic(ADMIN.username, ADMIN.password) };
      for (const path of ["/", ""]) {
        const page = await fetch(`${host.proxyUrl}${path}`, { headers: auth });
        expect(page.status, `GET ${host.proxyUrl}${path}`).toBe(200);
        expect(page.headers.get("content-type")).toContain("text/html");
        expect(await page.text()).toContain("/admin/ui/app.js");
      }
      const login = await fetch(`${host.proxyUrl}/login`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain("<form");
    });

    it("cancels the upstream request when the client goes away", async () => {
      // A slow stream: 40 events 150 ms apart, so it could not finish within the wait below.
      fake.inject({
        match: { action: "streamGenerateContent" },
        stream: { text: "x".repeat(400), deltaChars: 10, chunkDelayMs: 150 },
      });
      const before = fake.requests.length;
      const controller = new AbortController();
      const res = await fetch(`${host.proxyUrl}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
        method: "POST",
        headers: { "x-goog-api-key": CLIENT_KEY, "content-type": "application/json" },
        body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "a long story" }] }] }),
        signal: controller.signal,
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read(); // the upstream stream is running
      expect(first.done).toBe(false);
      controller.abort();
      await reader.cancel().catch(() => {});
      const upstream = () => fake.requests.slice(before).find((r) => r.action === "streamGenerateContent");
      await fake.waitFor(() => upstream()?.aborted === true, 3000);
      expect(upstream()?.status ?? 200).toBe(200);
    });

    it("leaves the host's own route answering", async () => {
      const res = await fetch(host.ownRoute.url, host.ownRoute.init);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(host.ownRoute.expect);
    });
  });
}
