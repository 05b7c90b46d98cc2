// Client authentication, all four ways of the predecessor, and their failures, on both surfaces.
import { expect, it } from "vitest";
import { CLIENT_KEY, describeMatrix } from "./_setup.ts";

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;

describeMatrix(
  "client auth",
  (fake) => {
    fake.addAccount({ email: "bob@example.com" });
    return { credentials: [fake.simpleCredential("bob@example.com")], authKeys: [CLIENT_KEY, "second-key"] };
  },
  (h) => {
    const accepted: [string, string, Record<string, string>][] = [
      ["Bearer", "/v1beta/models", { authorization: `Bearer ${CLIENT_KEY}` }],
      ["Basic with any user", "/v1beta/models", { authorization: basic("anyone", CLIENT_KEY) }],
      ["Basic with empty user", "/v1beta/models", { authorization: basic("", "second-key") }],
      ["?key=", `/v1beta/models?key=${CLIENT_KEY}`, {}],
      ["x-goog-api-key", "/v1beta/models", { "x-goog-api-key": CLIENT_KEY }],
    ];
    for (const [name, path, headers] of accepted) {
      it(`accepts ${name}`, async () => {
        const res = await h.request(path, { headers });
        expect(res.status).toBe(200);
      });
    }

    const refused: [string, string, Record<string, string>, RegExp][] = [
      ["no key", "/v1beta/models", {}, /Missing API key/],
      ["wrong Bearer", "/v1beta/models", { authorization: "Bearer nope" }, /Invalid API key/],
      ["wrong Basic password", "/v1beta/models", { authorization: basic("u", "nope") }, /Invalid API key/],
      ["wrong ?key=", "/v1beta/models?key=nope", {}, /Invalid API key/],
      ["wrong x-goog-api-key", "/v1beta/models", { "x-goog-api-key": `${CLIENT_KEY}x` }, /Invalid API key/],
      ["key prefix only", "/v1beta/models", { authorization: `Bearer ${CLIENT_KEY.slice(0, 4)}` }, /Invalid API key/],
    ];
    for (const [name, path, headers, message] of refused) {
      it(`refuses ${name} with a Google-shaped 401 on /v1beta`, async () => {
        const res = await h.request(path, { headers });
        expect(res.status).toBe(401);
        const body = (await res.json()) as { error: { code: number; status: string; message: string } };
        expect(body.error).toMatchObject({ code: 401, status: "UNAUTHENTICATED" });
        expect(body.error.message).toMatch(message);
      });
    }

    it("refuses with an OpenAI-shaped 401 on /v1", async () => {
      const res = await h.request("/v1/models", { headers: { authorization: "Bearer nope" } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { message: "Invalid API key", type: "authentication_error", param: null, code: "invalid_api_key" },
      });
    });

    it("serves /health without a key", async () => {
      const res = await h.request("/health");
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "healthy" });
    });
  },
);

describeMatrix(
  "client auth with a checker function",
  (fake) => {
    fake.addAccount({ email: "carol@example.com" });
    return {
      credentials: [fake.simpleCredential("carol@example.com")],
      authKeys: async (key: string) => key.startsWith("team-"),
    };
  },
  (h) => {
    it("asks the function", async () => {
      expect((await h.request("/v1beta/models", { headers: { authorization: "Bearer team-42" } })).status).toBe(200);
      expect((await h.request("/v1beta/models", { headers: { authorization: "Bearer other" } })).status).toBe(401);
    });
  },
);
