// Contract tests of the fake Google itself, over real HTTP (native fetch).
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createFakeGoogle,
  GEMINI_CLI_CLIENT_ID,
  GEMINI_CLI_CLIENT_SECRET,
  SKIP_SIGNATURE,
  type AccountScenario,
  type FakeAccountInit,
  type FakeGoogle,
} from "./fake-google/index.ts";

let fake: FakeGoogle;
let n = 0;

beforeAll(async () => {
  fake = await createFakeGoogle({
    clients: [
      {
        id: "own-client.apps.googleusercontent.com",
        secret: "own-secret",
        redirectUris: ["https://proxy.example.com/oauth2/callback"],
      },
    ],
  });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const SCOPES = [
  "https://www.googleapis.com/auth/cloud-platform",
  "https://www.googleapis.com/auth/userinfo.email",
  "https://www.googleapis.com/auth/userinfo.profile",
].join(" ");

function account(scenario: AccountScenario = "onboarded", extra: Partial<FakeAccountInit> = {}) {
  n += 1;
  return fake.addAccount({ email: `user${n}.${scenario}@example.com`, scenario, ...extra });
}

function post(path: string, body: unknown, token?: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function ca(method: string, body: unknown, token?: string): Promise<Response> {
  return post(`/v1internal:${method}`, body, token);
}

function form(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${fake.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

function userTurn(text: string) {
  return { role: "user", parts: [{ text }] };
}

function wrapper(model: string, text: string, extra: Record<string, unknown> = {}, project?: string) {
  return { model, project, user_prompt_id: "p-1", request: { contents: [userTurn(text)], ...extra } };
}

async function chunksOf(res: Response): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(Buffer.from(value));
  }
}

/** Parses SSE the way Gemini CLI does: `data: ` lines, flush on blank line, skip broken JSON. */
function parseSse(text: string): { events: any[]; broken: number } {
  const events: any[] = [];
  let buf: string[] = [];
  let broken = 0;
  const lines = text.split(/\r?\n/);
  const rest = lines.pop(); // text after the last line break is a line only when non-empty (readline)
  if (rest) lines.push(rest);
  for (const line of lines) {
    if (line.startsWith("data: ")) buf.push(line.slice(6).trim());
    else if (line === "" && buf.length > 0) {
      try {
        events.push(JSON.parse(buf.join("\n")));
      } catch {
        broken += 1;
      }
      buf = [];
    }
  }
  return { events, broken };
}

async function stream(
  a: { accessToken: string; project?: string },
  model: string,
  text: string,
  extra: Record<string, unknown> = {},
) {
  const res = await post(
    `/v1internal:streamGenerateContent?alt=sse`,
    wrapper(model, text, extra, a.project),
    a.accessToken,
  );
  const raw = Buffer.concat(await chunksOf(res)).toString("utf8");
  return { res, raw, ...parseSse(raw) };
}

function authUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: GEMINI_CLI_CLIENT_ID,
    scope: SCOPES,
    access_type: "offline",
    ...params,
  });
  return `${fake.endpoints.oauthAuthorize}?${q}`;
}

function decodeJwt(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

describe("OAuth", () => {
  it("runs the loopback flow, echoes state and makes codes single-use", async () => {
    const a = account();
    fake.setConsent({ email: a.email });
    const redirect = "http://127.0.0.1:45678/oauth2callback";
    const res = await fetch(authUrl({ redirect_uri: redirect, state: "abc123" }), { redirect: "manual" });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(`${loc.origin}${loc.pathname}`).toBe(redirect);
    expect(loc.searchParams.get("state")).toBe("abc123");
    const code = loc.searchParams.get("code")!;
    const exchange = {
      grant_type: "authorization_code",
      code,
      client_id: GEMINI_CLI_CLIENT_ID,
      client_secret: GEMINI_CLI_CLIENT_SECRET,
      redirect_uri: redirect,
    };
    const tok = await form("/token", exchange);
    expect(tok.status).toBe(200);
    const body = (await tok.json()) as Record<string, string | number>;
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(3599);
    expect(String(body.scope).split(" ")).toContain("openid");
    expect(body.refresh_token).toMatch(/^1\/\//);
    expect(decodeJwt(String(body.id_token))).toMatchObject({ email: a.email, azp: GEMINI_CLI_CLIENT_ID });
    expect(fake.account(a.email).accessToken).toBe(body.access_token);
    const again = await form("/token", exchange);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
  });

  it("shows the code on the authcode page and enforces PKCE", async () => {
    const a = account();
    fake.setConsent({ email: a.email });
    const verifier = "v".repeat(64);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const getCode = async () => {
      const page = await fetch(
        authUrl({
          redirect_uri: "https://codeassist.google.com/authcode",
          code_challenge: challenge,
          code_challenge_method: "S256",
          state: "s",
        }),
      );
      expect(page.status).toBe(200);
      return /<code id="authcode">([^<]+)<\/code>/.exec(await page.text())![1]!;
    };
    const base = {
      grant_type: "authorization_code",
      client_id: GEMINI_CLI_CLIENT_ID,
      client_secret: GEMINI_CLI_CLIENT_SECRET,
      redirect_uri: "https://codeassist.google.com/authcode",
    };
    const bad = await form("/token", { ...base, code: await getCode(), code_verifier: "wrong" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_grant" });
    const good = await form("/token", { ...base, code: await getCode(), code_verifier: verifier });
    expect(good.status).toBe(200);
    const noVerifier = await form("/token", { ...base, code: await getCode() });
    expect(noVerifier.status).toBe(400);
  });

  it("rejects foreign redirect URIs with an error page and no redirect", async () => {
    const res = await fetch(authUrl({ redirect_uri: "https://evil.example.com/cb" }), { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("redirect_uri_mismatch");
    const own = await fetch(
      authUrl({
        client_id: "own-client.apps.googleusercontent.com",
        redirect_uri: "https://proxy.example.com/oauth2/callback",
      }),
      { redirect: "manual" },
    );
    expect(own.status).toBe(302);
    expect(own.headers.get("location")).toMatch(/^https:\/\/proxy\.example\.com\/oauth2\/callback\?code=/);
    const badType = await fetch(authUrl({ redirect_uri: "http://localhost:1/cb", response_type: "token" }), {
      redirect: "manual",
    });
    expect(badType.status).toBe(400);
  });

  it("supports deny and wrong-state consent", async () => {
    const a = account();
    fake.setConsent({ email: a.email, deny: true });
    const denied = await fetch(authUrl({ redirect_uri: "http://localhost:9/cb", state: "st" }), { redirect: "manual" });
    const dl = new URL(denied.headers.get("location")!);
    expect(dl.searchParams.get("error")).toBe("access_denied");
    expect(dl.searchParams.get("state")).toBe("st");
    expect(dl.searchParams.get("code")).toBeNull();
    fake.setConsent({ email: a.email, wrongState: true });
    const wrong = await fetch(authUrl({ redirect_uri: "http://[::1]:9/", state: "st" }), { redirect: "manual" });
    expect(new URL(wrong.headers.get("location")!).searchParams.get("state")).not.toBe("st");
    const normal = await fetch(authUrl({ redirect_uri: "http://localhost:9/cb", state: "st" }), { redirect: "manual" });
    expect(new URL(normal.headers.get("location")!).searchParams.get("state")).toBe("st");
  });

  it("checks client secret and redirect_uri on exchange", async () => {
    const a = account();
    fake.setConsent({ email: a.email });
    const res = await fetch(authUrl({ redirect_uri: "http://127.0.0.1:1/cb" }), { redirect: "manual" });
    const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
    const base = {
      grant_type: "authorization_code",
      code,
      client_id: GEMINI_CLI_CLIENT_ID,
      redirect_uri: "http://127.0.0.1:1/cb",
    };
    const secret = await form("/token", { ...base, client_secret: "nope" });
    expect(secret.status).toBe(401);
    expect(await secret.json()).toMatchObject({ error: "invalid_client" });
    const mismatch = await form("/token", {
      ...base,
      client_secret: GEMINI_CLI_CLIENT_SECRET,
      redirect_uri: "http://127.0.0.1:2/cb",
    });
    expect(mismatch.status).toBe(400);
  });

  it("refreshes without a new refresh token and fails with invalid_grant after revocation", async () => {
    const a = account();
    const refresh = () =>
      form("/token", {
        grant_type: "refresh_token",
        refresh_token: a.refreshToken,
        client_id: GEMINI_CLI_CLIENT_ID,
        client_secret: GEMINI_CLI_CLIENT_SECRET,
      });
    const old = a.accessToken;
    const ok = await refresh();
    const body = (await ok.json()) as Record<string, unknown>;
    expect(ok.status).toBe(200);
    expect(body.refresh_token).toBeUndefined();
    expect(body.access_token).not.toBe(old);
    expect(fake.last({ action: "token" })?.email).toBe(a.email);
    fake.revokeRefreshToken(a.email);
    const dead = await refresh();
    expect(dead.status).toBe(400);
    expect(await dead.json()).toEqual({
      error: "invalid_grant",
      error_description: "Token has been expired or revoked.",
    });
    const call = await ca("loadCodeAssist", {}, String(body.access_token));
    expect(call.status).toBe(401);
  });

  it("answers tokeninfo, userinfo and revoke", async () => {
    const a = account();
    const info = await fetch(fake.endpoints.tokeninfo, {
      method: "POST",
      headers: { authorization: `Bearer ${a.accessToken}`, "content-type": "application/x-www-form-urlencoded" },
    });
    const ti = (await info.json()) as Record<string, string>;
    expect(ti.email).toBe(a.email);
    expect(Number(ti.expires_in)).toBeGreaterThan(3500);
    expect(ti.scope).toContain("cloud-platform");
    const byParam = await form("/tokeninfo", { access_token: a.accessToken });
    expect(byParam.status).toBe(200);
    const ui = await fetch(fake.endpoints.userinfo, { headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(await ui.json()).toMatchObject({ email: a.email, verified_email: true });
    const oidc = await fetch(`${fake.url}/v1/userinfo`, { headers: { authorization: `Bearer ${a.accessToken}` } });
    expect(await oidc.json()).toMatchObject({ email: a.email, email_verified: true });
    const bad = await fetch(fake.endpoints.userinfo, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    const rv = await fetch(`${fake.endpoints.revoke}?token=${encodeURIComponent(a.refreshToken)}`, { method: "POST" });
    expect(rv.status).toBe(200);
    const after = await form("/tokeninfo", { access_token: a.accessToken });
    expect(after.status).toBe(400);
    expect(await after.json()).toMatchObject({ error: "invalid_token" });
    const unknown = await form("/revoke", { token: "unknown" });
    expect(unknown.status).toBe(400);
  });

  it("can fail a refresh transiently via fault injection", async () => {
    const a = account();
    fake.inject({
      match: { action: "token", email: a.email },
      error: { status: 500, body: { error: "internal_failure" } },
    });
    const args = {
      grant_type: "refresh_token",
      refresh_token: a.refreshToken,
      client_id: GEMINI_CLI_CLIENT_ID,
      client_secret: GEMINI_CLI_CLIENT_SECRET,
    };
    expect((await form("/token", args)).status).toBe(500);
    expect((await form("/token", args)).status).toBe(200);
  });
});

describe("Code Assist setup", () => {
  it("requires a valid bearer token", async () => {
    const a = account();
    const missing = await ca("loadCodeAssist", {});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED" } });
    fake.expireAccessToken(a.email);
    const expired = await post(
      "/v1internal:streamGenerateContent?alt=sse",
      wrapper("gemini-2.5-flash", "hi", {}, a.project),
      a.accessToken,
    );
    expect(expired.status).toBe(401);
    const arr = (await expired.json()) as any[];
    expect(Array.isArray(arr) && arr[0].error.details[0].reason).toBe("ACCESS_TOKEN_EXPIRED");
  });

  it("reports onboarded accounts", async () => {
    const a = account("onboarded", { project: "core-gravity-9jkxm" });
    const res = await ca("loadCodeAssist", { metadata: { pluginType: "GEMINI" } }, a.accessToken);
    expect(await res.json()).toMatchObject({
      currentTier: { id: "free-tier" },
      cloudaicompanionProject: "core-gravity-9jkxm",
    });
  });

  it("onboards through a polled LRO with idempotent re-POST", async () => {
    const a = account("needs-onboarding", { onboardingPolls: 2 });
    const load = (await (await ca("loadCodeAssist", {}, a.accessToken)).json()) as any;
    expect(load.currentTier).toBeUndefined();
    expect(load.allowedTiers.find((t: any) => t.isDefault).id).toBe("free-tier");
    const first = (await (await ca("onboardUser", { tierId: "free-tier", metadata: {} }, a.accessToken)).json()) as any;
    expect(first).toMatchObject({ done: false });
    expect(first.name).toMatch(/^operations\//);
    const again = (await (await ca("onboardUser", { tierId: "free-tier" }, a.accessToken)).json()) as any;
    expect(again.name).toBe(first.name);
    const done = (await (
      await fetch(`${fake.url}/v1internal/${first.name}`, { headers: { authorization: `Bearer ${a.accessToken}` } })
    ).json()) as any;
    expect(done.done).toBe(true);
    expect(done.response.cloudaicompanionProject.id).toBe(a.project);
    expect(done.response["@type"]).toContain("OnboardUserResponse");
    expect(fake.account(a.email).onboarded).toBe(true);
    const after = (await (await ca("loadCodeAssist", {}, a.accessToken)).json()) as any;
    expect(after).toMatchObject({ currentTier: { id: "free-tier" }, cloudaicompanionProject: a.project });
  });

  it("completes onboarding immediately with onboardingPolls 0 and rejects a free-tier project", async () => {
    const a = account("needs-onboarding", { onboardingPolls: 0 });
    const bad = await ca("onboardUser", { tierId: "free-tier", cloudaicompanionProject: "mine" }, a.accessToken);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { status: "FAILED_PRECONDITION" } });
    const ok = (await (await ca("onboardUser", { tierId: "free-tier" }, a.accessToken)).json()) as any;
    expect(ok.done).toBe(true);
  });

  it("needs the user's project for standard tier", async () => {
    const a = account("standard", { project: "my-gcp-project" });
    const bare = (await (await ca("loadCodeAssist", {}, a.accessToken)).json()) as any;
    expect(bare.currentTier.id).toBe("standard-tier");
    expect(bare.currentTier.userDefinedCloudaicompanionProject).toBe(true);
    expect(bare.cloudaicompanionProject).toBeUndefined();
    const withP = (await (
      await ca("loadCodeAssist", { cloudaicompanionProject: "my-gcp-project" }, a.accessToken)
    ).json()) as any;
    expect(withP.cloudaicompanionProject).toBe("my-gcp-project");
    expect((await ca("generateContent", wrapper("gemini-2.5-pro", "hi"), a.accessToken)).status).toBe(403);
    expect((await ca("generateContent", wrapper("gemini-2.5-pro", "hi", {}, "other"), a.accessToken)).status).toBe(403);
    expect(
      (await ca("generateContent", wrapper("gemini-2.5-pro", "hi", {}, "my-gcp-project"), a.accessToken)).status,
    ).toBe(200);
  });

  it("reports ineligible and unsupported-location accounts", async () => {
    const a = account("ineligible");
    const load = (await (await ca("loadCodeAssist", {}, a.accessToken)).json()) as any;
    expect(load.currentTier).toBeUndefined();
    expect(load.cloudaicompanionProject).toBeUndefined();
    expect(load.ineligibleTiers[0]).toMatchObject({
      reasonCode: "UNSUPPORTED_CLIENT",
      reasonMessage:
        "This client is no longer supported for Gemini Code Assist for individuals. To continue using Gemini, please migrate to the Antigravity suite of products: https://antigravity.google",
    });
    expect((await ca("onboardUser", { tierId: "standard-tier" }, a.accessToken)).status).toBeGreaterThanOrEqual(400);
    const b = account("unsupported-location");
    const lb = (await (await ca("loadCodeAssist", {}, b.accessToken)).json()) as any;
    expect(lb.ineligibleTiers[0].reasonCode).toBe("UNSUPPORTED_LOCATION");
  });

  it("requires validation until markVerified", async () => {
    const a = account("validation-required");
    const load = (await (await ca("loadCodeAssist", {}, a.accessToken)).json()) as any;
    expect(load.ineligibleTiers[0].reasonCode).toBe("VALIDATION_REQUIRED");
    expect(load.ineligibleTiers[0].validationUrl).toMatch(/^https:\/\//);
    const denied = await ca("generateContent", wrapper("gemini-2.5-flash", "hi", {}, a.project), a.accessToken);
    expect(denied.status).toBe(403);
    const body = (await denied.json()) as any;
    const info = body.error.details.find((d: any) => d.reason);
    expect(info).toMatchObject({ reason: "VALIDATION_REQUIRED", domain: "cloudcode-pa.googleapis.com" });
    expect(body.error.details.find((d: any) => d.links).links).toHaveLength(2);
    fake.markVerified(a.email);
    expect((await ca("generateContent", wrapper("gemini-2.5-flash", "hi", {}, a.project), a.accessToken)).status).toBe(
      200,
    );
  });

  it("answers 403 for service-disabled, subscription-required and vpc-sc", async () => {
    const sd = account("service-disabled");
    const r1 = (await (
      await ca("generateContent", wrapper("gemini-2.5-flash", "hi", {}, sd.project), sd.accessToken)
    ).json()) as any;
    expect(r1.error.details[0]).toMatchObject({
      reason: "SERVICE_DISABLED",
      metadata: { consumer: `projects/${sd.project}` },
    });
    expect(r1.error.details[0].metadata.activationUrl).toContain("cloudaicompanion.googleapis.com");
    const sr = account("subscription-required");
    const r2 = (await (
      await ca("generateContent", wrapper("gemini-2.5-flash", "hi", {}, sr.project), sr.accessToken)
    ).json()) as any;
    expect(r2.error.message).toContain("(#3501)");
    expect(r2.error.details[0].reason).toBe("SUBSCRIPTION_REQUIRED");
    const vpc = account("vpc-sc");
    const r3 = await ca("loadCodeAssist", {}, vpc.accessToken);
    expect(r3.status).toBe(403);
    expect(JSON.stringify(await r3.json())).toContain("SECURITY_POLICY_VIOLATED");
  });

  it("serves quota buckets, experiments, settings and metrics", async () => {
    const a = account("onboarded", { previewAccess: false });
    fake.inject({ match: { email: a.email, model: "gemini-2.5-pro" }, error: "quota_exhausted" });
    const q = (await (await ca("retrieveUserQuota", { project: a.project }, a.accessToken)).json()) as any;
    const ids = q.buckets.map((b: any) => b.modelId);
    expect(ids).toContain("gemini-2.5-flash");
    expect(ids.some((id: string) => id.startsWith("gemini-3"))).toBe(false);
    expect(q.buckets.find((b: any) => b.modelId === "gemini-2.5-pro").remainingFraction).toBe(0);
    expect(q.buckets.find((b: any) => b.modelId === "gemini-2.5-flash").remainingFraction).toBe(1);
    expect((await ca("generateContent", wrapper("gemini-3-pro-preview", "hi"), a.accessToken)).status).toBe(404);
    expect((await ca("listExperiments", { project: a.project }, a.accessToken)).status).toBe(200);
    const set = await ca(
      "setCodeAssistGlobalUserSetting",
      { cloudaicompanionProject: a.project, freeTierDataCollectionOptin: false },
      a.accessToken,
    );
    expect(await set.json()).toMatchObject({ freeTierDataCollectionOptin: false });
    const get = await fetch(`${fake.url}/v1internal:getCodeAssistGlobalUserSetting`, {
      headers: { authorization: `Bearer ${a.accessToken}` },
    });
    expect(await get.json()).toMatchObject({ freeTierDataCollectionOptin: false, cloudaicompanionProject: a.project });
    expect(await (await ca("recordCodeAssistMetrics", { metrics: [] }, a.accessToken)).json()).toEqual({});
    expect((await ca("noSuchMethod", {}, a.accessToken)).status).toBe(404);
    expect((await ca("loadCodeAssist", "{not json", a.accessToken)).status).toBe(400);
  });
});

describe("Code Assist generation", () => {
  it("wraps a non-streaming response and echoes the prompt", async () => {
    const a = account();
    const res = await ca(
      "generateContent",
      wrapper(
        "gemini-2.5-flash",
        "hello there",
        { systemInstruction: { role: "user", parts: [{ text: "Be terse." }] } },
        a.project,
      ),
      a.accessToken,
    );
    const body = (await res.json()) as any;
    expect(body.traceId).toMatch(/^[0-9a-f]{16}$/);
    expect(body.response.candidates[0].content.parts[0].text).toBe(
      "[system: Be terse.] Echo from gemini-2.5-flash: hello there",
    );
    expect(body.response).toMatchObject({
      modelVersion: "gemini-2.5-flash",
      candidates: [{ finishReason: "STOP", index: 0 }],
    });
    expect(body.response.responseId).toBeTruthy();
    expect(body.response.usageMetadata.totalTokenCount).toBeGreaterThan(0);
    expect(fake.last({ action: "generateContent" })).toMatchObject({
      email: a.email,
      model: "gemini-2.5-flash",
      status: 200,
    });
  });

  it("validates the wrapper", async () => {
    const a = account();
    const bad = async (body: unknown) => (await ca("generateContent", body, a.accessToken)).status;
    expect(await bad({ project: a.project, request: { contents: [userTurn("x")] } })).toBe(400);
    expect(await bad(wrapper("gemini-9-ultra", "x", {}, a.project))).toBe(404);
    expect(await bad({ model: "gemini-2.5-flash", project: a.project, request: { contents: [] } })).toBe(400);
    expect(
      await bad({
        model: "gemini-2.5-flash",
        project: a.project,
        request: { contents: [{ role: "system", parts: [{ text: "x" }] }] },
      }),
    ).toBe(400);
    expect(await bad(wrapper("gemini-2.5-flash", "x", {}, "someone-else"))).toBe(403);
  });

  it("streams SSE with CRLF framing, one traceId and finishReason only on the last chunk", async () => {
    const a = account();
    const { res, raw, events } = await stream(a, "gemini-2.5-flash", "tell me something long enough to split");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(raw.startsWith("data: {")).toBe(true);
    expect(raw).toContain("\r\n\r\n");
    expect(raw.endsWith("\r\n\r\n")).toBe(true);
    expect(events.length).toBeGreaterThan(3);
    expect(new Set(events.map((e) => e.traceId)).size).toBe(1);
    const finishes = events.map((e) => e.response.candidates[0].finishReason);
    expect(finishes.slice(0, -1).every((f) => f === undefined)).toBe(true);
    expect(finishes.at(-1)).toBe("STOP");
    expect(events.every((e) => e.response.usageMetadata && e.response.modelVersion && e.response.responseId)).toBe(
      true,
    );
    const text = events
      .map((e) => e.response.candidates[0].content.parts.map((p: any) => p.text ?? "").join(""))
      .join("");
    expect(text).toBe("Echo from gemini-2.5-flash: tell me something long enough to split");
  });

  it("returns a JSON array without alt=sse", async () => {
    const a = account();
    const res = await ca(
      "streamGenerateContent",
      wrapper("gemini-2.5-flash", "array please", {}, a.project),
      a.accessToken,
    );
    const arr = (await res.json()) as any[];
    expect(Array.isArray(arr)).toBe(true);
    expect(arr.length).toBeGreaterThan(1);
    expect(arr[0]).toHaveProperty("response");
  });

  it("emits thoughts first and enforces thinking config", async () => {
    const a = account();
    const { events } = await stream(a, "gemini-2.5-pro", "think", {
      generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
    });
    expect(events[0].response.candidates[0].content.parts[0]).toMatchObject({ thought: true });
    expect(events[0].response.candidates[0].content.parts[0].text).toMatch(/^\*\*Considering the request\*\*/);
    expect(events.at(-1).response.usageMetadata.thoughtsTokenCount).toBeGreaterThan(0);
    const status = async (model: string, thinkingConfig: unknown) =>
      (
        await ca(
          "generateContent",
          wrapper(model, "x", { generationConfig: { thinkingConfig } }, a.project),
          a.accessToken,
        )
      ).status;
    expect(await status("gemini-2.5-pro", { thinkingBudget: 0 })).toBe(400);
    expect(await status("gemini-2.5-flash", { thinkingBudget: 0 })).toBe(200);
    expect(await status("gemini-2.5-flash-lite", { thinkingBudget: 100 })).toBe(400);
    expect(await status("gemini-2.5-flash", { thinkingLevel: "low" })).toBe(400);
    expect(await status("gemini-3-pro-preview", { thinkingLevel: "HIGH" })).toBe(200);
    expect(await status("gemini-3-pro-preview", { thinkingLevel: "medium" })).toBe(400);
    expect(await status("gemini-3-flash-preview", { thinkingLevel: "minimal" })).toBe(200);
    expect(await status("gemini-3-flash-preview", { thinkingLevel: "low", thinkingBudget: 100 })).toBe(400);
  });

  it("produces schema-shaped JSON, grounding and multiple candidates", async () => {
    const a = account();
    const schema = {
      type: "object",
      properties: { city: { type: "string" }, temp: { type: "number" } },
      required: ["city", "temp"],
    };
    const json = (await (
      await ca(
        "generateContent",
        wrapper(
          "gemini-2.5-flash",
          "x",
          { generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema } },
          a.project,
        ),
        a.accessToken,
      )
    ).json()) as any;
    const value = JSON.parse(json.response.candidates[0].content.parts[0].text);
    expect(typeof value.city).toBe("string");
    expect(typeof value.temp).toBe("number");
    const g = (await (
      await ca(
        "generateContent",
        wrapper("gemini-2.5-flash", "news", { tools: [{ googleSearch: {} }] }, a.project),
        a.accessToken,
      )
    ).json()) as any;
    const gm = g.response.candidates[0].groundingMetadata;
    expect(gm.groundingChunks[0].web.uri).toBe("https://example.com/1");
    expect(gm.groundingSupports[0].groundingChunkIndices).toEqual([0, 1]);
    const multi = (await (
      await ca(
        "generateContent",
        wrapper("gemini-2.5-flash", "x", { generationConfig: { candidateCount: 2 } }, a.project),
        a.accessToken,
      )
    ).json()) as any;
    expect(multi.response.candidates).toHaveLength(2);
  });

  it("counts tokens and rejects non-array contents", async () => {
    const a = account();
    const ok = (await (
      await ca(
        "countTokens",
        { request: { model: "models/gemini-2.5-flash", contents: [userTurn("12345678")] } },
        a.accessToken,
      )
    ).json()) as any;
    expect(ok.totalTokens).toBe(2);
    const bad = await ca(
      "countTokens",
      { request: { model: "models/gemini-2.5-flash", contents: userTurn("x") } },
      a.accessToken,
    );
    expect(bad.status).toBe(400);
  });

  it("honours Google One AI credits", async () => {
    const a = account("onboarded", { credits: 2 });
    const load = (await (await ca("loadCodeAssist", {}, a.accessToken)).json()) as any;
    expect(load.paidTier.availableCredits[0]).toEqual({ creditType: "GOOGLE_ONE_AI", creditAmount: "2" });
    const body = { ...wrapper("gemini-2.5-pro", "x", {}, a.project), enabled_credit_types: ["GOOGLE_ONE_AI"] };
    const r = (await (await ca("generateContent", body, a.accessToken)).json()) as any;
    expect(r.remainingCredits[0].creditAmount).toBe("1");
    await ca("generateContent", body, a.accessToken);
    const broke = await ca("generateContent", body, a.accessToken);
    expect(broke.status).toBe(429);
    expect(JSON.stringify(await broke.json())).toContain("INSUFFICIENT_G1_CREDITS_BALANCE");
  });

  it("supports script content: finish reasons, prompt feedback, function calls", async () => {
    const a = account();
    fake.inject({ stream: { text: "partial", finishReason: null } });
    const noFinish = await stream(a, "gemini-2.5-flash", "x");
    expect(noFinish.events.every((e) => e.response.candidates[0].finishReason === undefined)).toBe(true);
    fake.inject({ stream: { text: "", promptFeedback: { blockReason: "SAFETY" } } });
    const blocked = await stream(a, "gemini-2.5-flash", "x");
    expect(blocked.events[0].response.candidates).toBeUndefined();
    expect(blocked.events[0].response.promptFeedback).toEqual({ blockReason: "SAFETY" });
    fake.inject({ stream: { functionCalls: [{ name: "a", args: { x: 1 } }, { name: "b" }], finishReason: "STOP" } });
    const calls = await stream(a, "gemini-2.5-flash", "x");
    const parts = calls.events.flatMap((e) => e.response.candidates[0].content.parts);
    expect(parts.filter((p: any) => p.functionCall).map((p: any) => p.functionCall)).toEqual([
      { name: "a", args: { x: 1 } },
      { name: "b" },
    ]);
    expect(parts.some((p: any) => p.thoughtSignature)).toBe(false); // 2.5 does not sign by default
  });
});

describe("thought signatures", () => {
  const tools = [
    {
      functionDeclarations: [
        {
          name: "get_weather",
          parametersJsonSchema: {
            type: "object",
            properties: { city: { type: "string" }, unit: { type: "string" } },
            required: ["city"],
          },
        },
        { name: "get_time", parameters: { type: "OBJECT", properties: { tz: { type: "STRING" } }, required: ["tz"] } },
      ],
    },
  ];

  it("signs only the first of parallel calls and the final empty part otherwise", async () => {
    const a = account();
    const { events } = await stream(a, "gemini-3-pro-preview", "call:get_weather,get_time please", { tools });
    const callChunk = events.find((e) => e.response.candidates[0].content.parts[0].functionCall);
    const parts = callChunk.response.candidates[0].content.parts;
    expect(parts).toHaveLength(2);
    expect(parts[0].functionCall).toEqual({ name: "get_weather", args: { city: "city" } });
    expect(fake.signatureIssued(parts[0].thoughtSignature)).toBe(true);
    expect(parts[1].thoughtSignature).toBeUndefined();
    expect(parts[1].functionCall).toEqual({ name: "get_time", args: { tz: "tz" } });
    const text = await stream(a, "gemini-3-pro-preview", "no tools");
    const last = text.events.at(-1).response.candidates[0];
    expect(last.content.parts[0]).toMatchObject({ text: "" });
    expect(fake.signatureIssued(last.content.parts[0].thoughtSignature)).toBe(true);
    expect(last.finishReason).toBe("STOP");
  });

  it("validates signatures in the current turn only", async () => {
    const a = account();
    const first = (await (
      await ca(
        "generateContent",
        wrapper("gemini-3-flash-preview", "call:get_weather", { tools }, a.project),
        a.accessToken,
      )
    ).json()) as any;
    const callPart = first.response.candidates[0].content.parts.find((p: any) => p.functionCall);
    expect(fake.signatureIssued(callPart.thoughtSignature)).toBe(true);
    const history = (sig: string | undefined) => [
      userTurn("call:get_weather"),
      { role: "model", parts: [{ functionCall: callPart.functionCall, ...(sig ? { thoughtSignature: sig } : {}) }] },
      { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { temp: 21 } } }] },
    ];
    const send = (contents: unknown[]) =>
      ca(
        "generateContent",
        { model: "gemini-3-flash-preview", project: a.project, request: { contents, tools } },
        a.accessToken,
      );
    const ok = (await (await send(history(callPart.thoughtSignature))).json()) as any;
    expect(ok.response.candidates[0].content.parts[0].text).toBe(
      'Tool results: [{"name":"get_weather","response":{"temp":21}}]',
    );
    const missing = await send(history(undefined));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as any).error.message).toBe(
      "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:get_weather` , position 2. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.",
    );
    expect((await send(history(SKIP_SIGNATURE))).status).toBe(200);
    expect((await send(history("Zm9yZ2Vk"))).status).toBe(400);
    // An unsigned call in an earlier turn is not validated.
    expect(
      (await send([...history(undefined), { role: "model", parts: [{ text: "done" }] }, userTurn("next question")]))
        .status,
    ).toBe(200);
    // Gemini 2.5 does not validate.
    expect(
      (
        await ca(
          "generateContent",
          { model: "gemini-2.5-flash", project: a.project, request: { contents: history(undefined), tools } },
          a.accessToken,
        )
      ).status,
    ).toBe(200);
  });
});

describe("errors and faults", () => {
  it("returns objects for unary methods and one-element arrays for streams", async () => {
    const a = account();
    fake.inject({ error: "rate_limit", times: 2 });
    const unary = await ca("generateContent", wrapper("gemini-2.5-pro", "x", {}, a.project), a.accessToken);
    expect(unary.status).toBe(429);
    const u = (await unary.json()) as any;
    expect(u.error.details).toEqual([
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "RATE_LIMIT_EXCEEDED",
        domain: "cloudcode-pa.googleapis.com",
        metadata: { model: "gemini-2.5-pro" },
      },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1.5s" },
    ]);
    const streamed = await post(
      "/v1internal:streamGenerateContent?alt=sse",
      wrapper("gemini-2.5-pro", "x", {}, a.project),
      a.accessToken,
    );
    const text = await streamed.text();
    expect(text.startsWith("[{")).toBe(true);
    expect(text).toContain('\n  "error": {');
    expect((JSON.parse(text) as any[])[0].error.status).toBe("RESOURCE_EXHAUSTED");
    expect((await ca("generateContent", wrapper("gemini-2.5-pro", "x", {}, a.project), a.accessToken)).status).toBe(
      200,
    );
  });

  it("builds the quota, capacity and generic presets", async () => {
    const a = account();
    const hit = async () =>
      (await (await ca("generateContent", wrapper("gemini-2.5-pro", "x", {}, a.project), a.accessToken)).json()) as any;
    fake.inject({ error: "quota_exhausted" });
    const q = await hit();
    expect(q.error.message).toBe(
      "You have exhausted your capacity on this model. Your quota will reset after 8h44m7s.",
    );
    expect(q.error.details[0].metadata).toMatchObject({
      quotaResetDelay: "8h44m7s",
      uiMessage: "true",
      model: "gemini-2.5-pro",
    });
    fake.inject({ error: "capacity_503" });
    expect((await hit()).error).toMatchObject({
      code: 503,
      message: "No capacity available for model gemini-2.5-pro on the server",
    });
    fake.inject({ error: "generic_429" });
    expect((await hit()).error.errors).toEqual([
      expect.objectContaining({ domain: "global", reason: "rateLimitExceeded" }),
    ]);
    fake.inject({ error: "per_day_quota" });
    expect((await hit()).error.details[0].violations[0].quotaId).toBe(
      "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
    );
    fake.inject({ error: "limit_zero" });
    expect((await hit()).error.message).toContain("limit: 0");
  });

  it("can corrupt error JSON with duplicated commas", async () => {
    const a = account();
    fake.inject({ error: "rate_limit", errorOptions: { duplicateCommas: true } });
    const text = await (
      await post(
        "/v1internal:streamGenerateContent?alt=sse",
        wrapper("gemini-2.5-pro", "x", {}, a.project),
        a.accessToken,
      )
    ).text();
    expect(() => JSON.parse(text)).toThrow();
    expect(JSON.parse(text.replace(/,\s*,/g, ","))[0].error.code).toBe(429);
  });

  it("scopes faults by email and counts times", async () => {
    const a = account();
    const b = account();
    fake.inject({ match: { email: a.email }, error: "internal", times: 2 });
    const call = async (x: typeof a) =>
      (await ca("generateContent", wrapper("gemini-2.5-flash", "x", {}, x.project), x.accessToken)).status;
    expect(await call(b)).toBe(200);
    expect(await call(a)).toBe(500);
    expect(await call(a)).toBe(500);
    expect(await call(a)).toBe(200);
    fake.inject({ match: { action: "loadCodeAssist" }, times: Infinity, error: "unavailable" });
    expect((await ca("loadCodeAssist", {}, a.accessToken)).status).toBe(503);
    expect((await ca("loadCodeAssist", {}, b.accessToken)).status).toBe(503);
    fake.clearFaults();
    expect((await ca("loadCodeAssist", {}, a.accessToken)).status).toBe(200);
    fake.inject({ handler: (_req, res) => void res.writeHead(418).end("teapot") });
    expect((await ca("generateContent", wrapper("gemini-2.5-flash", "x", {}, a.project), a.accessToken)).status).toBe(
      418,
    );
    expect(fake.count({ action: "generateContent", email: a.email })).toBe(4);
  });
});

describe("stream framing", () => {
  const a = () => account();

  it("switches to LF, usage-on-last, small deltas", async () => {
    const acct = a();
    fake.inject({ stream: { lineEnding: "\n", usageOnLastChunkOnly: true, deltaChars: 3, text: "abcdefghi" } });
    const { raw, events } = await stream(acct, "gemini-2.5-flash", "x");
    expect(raw).not.toContain("\r");
    expect(events.map((e) => e.response.candidates[0].content.parts[0].text)).toEqual(["abc", "def", "ghi"]);
    expect(events.slice(0, -1).every((e) => e.response.usageMetadata === undefined)).toBe(true);
    expect(events.at(-1).response.usageMetadata.candidatesTokenCount).toBe(3);
  });

  it("emits multi-line data, comments and a malformed event", async () => {
    const acct = a();
    fake.inject({ stream: { multilineData: true, comments: true, malformedEvent: true } });
    const { raw, events, broken } = await stream(acct, "gemini-2.5-flash", "x");
    expect(raw).toMatch(/data: \{\r\ndata: {3}"response": \{/);
    for (const prefix of [": ", "id: ", "retry: ", "event: "]) expect(raw).toContain(`\r\n${prefix}`);
    expect(broken).toBe(1);
    expect(events.at(-1).response.candidates[0].finishReason).toBe("STOP");
  });

  it("can omit the final blank line", async () => {
    const acct = a();
    fake.inject({ stream: { noTrailingBlankLine: true } });
    const { raw, events } = await stream(acct, "gemini-2.5-flash", "x");
    expect(raw.endsWith("}\r\n")).toBe(true);
    expect(raw.endsWith("\r\n\r\n")).toBe(false);
    expect(events.at(-1).response.candidates[0].finishReason).toBeUndefined(); // lost, as in the CLI
  });

  it("splits writes at arbitrary offsets, including inside a multi-byte character", async () => {
    const acct = a();
    fake.inject({ stream: { splitWrites: true } });
    const res = await post(
      "/v1internal:streamGenerateContent?alt=sse",
      wrapper("gemini-2.5-flash", "héllo wörld ✓ 🎉", {}, acct.project),
      acct.accessToken,
    );
    const chunks = await chunksOf(res);
    expect(chunks.length).toBeGreaterThan(10);
    const whole = Buffer.concat(chunks);
    expect(chunks.some((c) => c.toString("utf8").includes("\uFFFD"))).toBe(true); // a chunk ends/starts mid-character
    expect(chunks[0]!.toString()).toBe("dat");
    const { events } = parseSse(whole.toString("utf8"));
    expect(events.map((e) => e.response.candidates[0].content.parts[0].text).join("")).toBe(
      "Echo from gemini-2.5-flash: héllo wörld ✓ 🎉",
    );
  });

  it("splits at explicit offsets", async () => {
    const acct = a();
    fake.inject({ stream: { splitWrites: [2, 10] } });
    const res = await post(
      "/v1internal:streamGenerateContent?alt=sse",
      wrapper("gemini-2.5-flash", "x", {}, acct.project),
      acct.accessToken,
    );
    const chunks = await chunksOf(res);
    expect(chunks[0]!.toString()).toBe("da");
    expect(chunks[1]!.toString()).toBe('ta: {"re');
  });

  it("delays the first byte and between chunks", async () => {
    const acct = a();
    fake.inject({ stream: { firstByteDelayMs: 120, chunkDelayMs: 30, text: "aaaabbbb", deltaChars: 4 } });
    const t0 = Date.now();
    const res = await post(
      "/v1internal:streamGenerateContent?alt=sse",
      wrapper("gemini-2.5-flash", "x", {}, acct.project),
      acct.accessToken,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    await res.text();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(145); // 120 ms + one 30 ms gap between the two deltas
  });

  it("closes the socket after N events without marking the request aborted", async () => {
    const acct = a();
    fake.inject({ stream: { closeAfterEvents: 1 } });
    const res = await post(
      "/v1internal:streamGenerateContent?alt=sse",
      wrapper("gemini-2.5-flash", "a longer prompt for several chunks", {}, acct.project),
      acct.accessToken,
    );
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const rec = fake.last({ action: "streamGenerateContent" })!;
    expect(rec.aborted).toBeFalsy();
  });

  it("records a client abort promptly and stops writing", async () => {
    const acct = a();
    fake.inject({ stream: { hangAfterEvents: 1 } });
    const ctrl = new AbortController();
    const res = await fetch(`${fake.url}/v1internal:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { authorization: `Bearer ${acct.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify(wrapper("gemini-2.5-flash", "x", {}, acct.project)),
      signal: ctrl.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString()).toContain("data: ");
    const rec = fake.last({ action: "streamGenerateContent" })!;
    expect(rec.aborted).toBeFalsy();
    const t0 = Date.now();
    ctrl.abort();
    await fake.waitFor(() => rec.aborted === true, 500);
    expect(Date.now() - t0).toBeLessThan(100);
    expect(rec.status).toBe(200);
  });
});

describe("Gemini API", () => {
  it("requires a valid key", async () => {
    const none = await fetch(`${fake.url}/v1beta/models`);
    expect(none.status).toBe(403);
    const bad = await fetch(`${fake.url}/v1beta/models?key=AIzaWrong`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.details[0]).toMatchObject({
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
    });
  });

  it("lists models with paging and gets one", async () => {
    const key = fake.addApiKey();
    const p1 = (await (
      await fetch(`${fake.url}/v1beta/models?pageSize=3`, { headers: { "x-goog-api-key": key } })
    ).json()) as any;
    expect(p1.models).toHaveLength(3);
    expect(p1.models[0]).toMatchObject({
      name: "models/gemini-2.5-pro",
      thinking: true,
      supportedGenerationMethods: expect.arrayContaining(["generateContent"]),
    });
    const p2 = (await (
      await fetch(`${fake.url}/v1beta/models?pageSize=3&pageToken=${p1.nextPageToken}&key=${key}`)
    ).json()) as any;
    expect(p2.models[0].name).not.toBe(p1.models[0].name);
    const one = (await (await fetch(`${fake.url}/v1beta/models/gemini-2.5-flash?key=${key}`)).json()) as any;
    expect(one.name).toBe("models/gemini-2.5-flash");
    const limited = fake.addApiKey(undefined, { models: ["gemini-2.5-flash"] });
    expect((await fetch(`${fake.url}/v1beta/models/gemini-2.5-pro?key=${limited}`)).status).toBe(404);
  });

  it("generates, streams and counts tokens with unwrapped objects", async () => {
    const key = fake.addApiKey();
    const url = (m: string) => `${fake.url}/v1beta/models/gemini-3-pro-preview:${m}`;
    const body = { contents: [userTurn("hi api")] };
    const gen = (await (
      await post(`/v1beta/models/gemini-3-pro-preview:generateContent?key=${key}`, body)
    ).json()) as any;
    expect(gen.candidates[0].content.parts[0].text).toBe("Echo from gemini-3-pro-preview: hi api");
    expect(fake.signatureIssued(gen.candidates[0].content.parts[0].thoughtSignature)).toBe(true);
    expect(gen.traceId).toBeUndefined();
    const res = await fetch(`${url("streamGenerateContent")}?alt=sse`, {
      method: "POST",
      headers: { "x-goog-api-key": key, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const { events } = parseSse(await res.text());
    expect(events[0].candidates).toBeDefined();
    expect(new Set(events.map((e) => e.responseId)).size).toBe(1);
    expect(fake.last({ action: "streamGenerateContent" })).toMatchObject({
      apiKey: key,
      model: "gemini-3-pro-preview",
      surface: "gemini-api",
    });
    const arr = (await (
      await fetch(url("streamGenerateContent"), {
        method: "POST",
        headers: { "x-goog-api-key": key },
        body: JSON.stringify(body),
      })
    ).json()) as any[];
    expect(Array.isArray(arr)).toBe(true);
    const ct1 = (await (
      await post(`/v1beta/models/gemini-2.5-flash:countTokens?key=${key}`, { contents: [userTurn("12345678")] })
    ).json()) as any;
    const ct2 = (await (
      await post(`/v1beta/models/gemini-2.5-flash:countTokens?key=${key}`, {
        generateContentRequest: { model: "models/gemini-2.5-flash", contents: [userTurn("12345678")] },
      })
    ).json()) as any;
    expect(ct1.totalTokens).toBe(2);
    expect(ct2.totalTokens).toBe(2);
  });

  it("embeds deterministically", async () => {
    const key = fake.addApiKey();
    const one = async (text: string, extra: Record<string, unknown> = {}) =>
      (
        (await (
          await post(`/v1beta/models/gemini-embedding-001:embedContent?key=${key}`, {
            content: { parts: [{ text }] },
            ...extra,
          })
        ).json()) as any
      ).embedding.values as number[];
    const v1 = await one("hello");
    expect(v1).toHaveLength(768);
    expect(await one("hello")).toEqual(v1);
    expect(await one("other")).not.toEqual(v1);
    expect(await one("hello", { outputDimensionality: 16 })).toHaveLength(16);
    const batch = (await (
      await post(`/v1beta/models/gemini-embedding-001:batchEmbedContents?key=${key}`, {
        requests: [
          { model: "models/gemini-embedding-001", content: { parts: [{ text: "hello" }] } },
          { model: "models/gemini-embedding-001", content: { parts: [{ text: "b" }] } },
        ],
      })
    ).json()) as any;
    expect(batch.embeddings).toHaveLength(2);
    expect(batch.embeddings[0].values).toEqual(v1);
    expect(
      (await post(`/v1beta/models/gemini-2.5-flash:embedContent?key=${key}`, { content: { parts: [{ text: "x" }] } }))
        .status,
    ).toBe(404);
  });

  it("applies fault rules by api key", async () => {
    const key = fake.addApiKey();
    fake.inject({ match: { apiKey: key }, error: "per_minute_quota" });
    const res = await post(`/v1beta/models/gemini-2.5-flash:generateContent?key=${key}`, { contents: [userTurn("x")] });
    expect(res.status).toBe(429);
    const body = (await res.json()) as any;
    expect(body.error.details[0].violations[0].quotaId).toContain("PerMinute");
    expect(
      (await post(`/v1beta/models/gemini-2.5-flash:generateContent?key=${key}`, { contents: [userTurn("x")] })).status,
    ).toBe(200);
  });
});

describe("options and extras", () => {
  it("records client aborts while the fake is still waiting to answer", async () => {
    const acct = account();
    fake.inject({ delayMs: 5000 });
    const ctrl = new AbortController();
    const pending = fetch(`${fake.url}/v1internal:generateContent`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${acct.accessToken}`,
        "User-Agent": "GeminiCLI/0.56.0/gemini-2.5-flash (linux; x64; terminal)",
      },
      body: JSON.stringify(wrapper("gemini-2.5-flash", "x", {}, acct.project)),
      signal: ctrl.signal,
    }).catch((e: unknown) => e);
    await fake.waitFor(() => fake.count({ action: "generateContent" }) === 1);
    const rec = fake.last({ action: "generateContent" })!;
    expect(rec.headers["user-agent"]).toMatch(/^GeminiCLI\//);
    ctrl.abort();
    expect(await pending).toBeInstanceOf(Error);
    await fake.waitFor(() => rec.aborted === true, 500);
    expect(rec.status).toBeUndefined();
  });

  it("sends custom raw errors and plain-object errors on the Gemini API SSE path", async () => {
    const acct = account();
    fake.inject({ error: { status: 502, body: null, raw: "<html>Bad Gateway</html>" } });
    const raw = await ca("generateContent", wrapper("gemini-2.5-flash", "x", {}, acct.project), acct.accessToken);
    expect(raw.status).toBe(502);
    expect(await raw.text()).toBe("<html>Bad Gateway</html>");
    const key = fake.addApiKey();
    fake.inject({ match: { apiKey: key, action: "streamGenerateContent" }, error: "unavailable" });
    const sse = await post(`/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=${key}`, {
      contents: [userTurn("x")],
    });
    expect(sse.status).toBe(503);
    expect(((await sse.json()) as any).error.message).toBe("The model is overloaded. Please try again later.");
  });

  it("honours fake-wide options", async () => {
    const other = await createFakeGoogle({
      accessTokenTtlSec: 1,
      strictFreeTierProject: false,
      requireProjectForFreeTier: true,
    });
    try {
      const a = other.addAccount({ email: "opt@example.com", scenario: "needs-onboarding", onboardingPolls: 0 });
      const onboard = await fetch(`${other.url}/v1internal:onboardUser`, {
        method: "POST",
        headers: { authorization: `Bearer ${a.accessToken}` },
        body: JSON.stringify({ tierId: "free-tier", cloudaicompanionProject: a.project }),
      });
      expect(((await onboard.json()) as any).done).toBe(true);
      const gen = (project?: string) =>
        fetch(`${other.url}/v1internal:generateContent`, {
          method: "POST",
          headers: { authorization: `Bearer ${a.accessToken}` },
          body: JSON.stringify(wrapper("gemini-2.5-flash", "x", {}, project)),
        });
      expect((await gen()).status).toBe(403);
      expect((await gen(a.project)).status).toBe(200);
      expect(a.accessTokenExpiresAt - Date.now()).toBeLessThanOrEqual(1000);
      const v1 = await fetch(
        `${other.url}/o/oauth2/auth?${new URLSearchParams({ response_type: "code", client_id: GEMINI_CLI_CLIENT_ID, scope: SCOPES, redirect_uri: "http://localhost:8085/oauth2callback" })}`,
        { redirect: "manual" },
      );
      expect(v1.status).toBe(302);
    } finally {
      await other.close();
    }
  });

  it("overrides quota buckets, forces calls with mode ANY and signs 2.5 on request", async () => {
    const a = account();
    fake.setQuota(a.email, "gemini-2.5-flash", 0.25);
    const q = (await (await ca("retrieveUserQuota", { project: a.project }, a.accessToken)).json()) as any;
    expect(q.buckets.find((b: any) => b.modelId === "gemini-2.5-flash").remainingFraction).toBe(0.25);
    const tools = [
      { functionDeclarations: [{ name: "ping", parametersJsonSchema: { type: "object", properties: {} } }] },
    ];
    const forced = (await (
      await ca(
        "generateContent",
        wrapper(
          "gemini-2.5-flash",
          "no marker",
          { tools, toolConfig: { functionCallingConfig: { mode: "ANY" } } },
          a.project,
        ),
        a.accessToken,
      )
    ).json()) as any;
    expect(forced.response.candidates[0].content.parts[0].functionCall).toEqual({ name: "ping" });
    fake.inject({ stream: { signAll25: true } });
    const signed = await stream(a, "gemini-2.5-flash", "x");
    const sig = signed.events.at(-1).response.candidates[0].content.parts[0].thoughtSignature;
    expect(fake.signatureIssued(sig)).toBe(true);
  });
});
