// The native surface driven by the official @google/genai SDK through a real server.
import { GoogleGenAI } from "@google/genai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGeminiProxy, type GeminiProxy } from "../src/index.ts";
import { CLIENT_KEY, listen, proxyOptionsFor } from "./_setup.ts";
import { createFakeGoogle, type FakeGoogle } from "./fake-google/index.ts";

for (const pool of ["oauth", "api_key"] as const) {
  describe(`@google/genai against the proxy (${pool} pool)`, () => {
    let fake: FakeGoogle;
    let proxy: GeminiProxy;
    let close: () => Promise<void>;
    let ai: GoogleGenAI;

    beforeAll(async () => {
      fake = await createFakeGoogle();
      fake.addAccount({ email: "genai@example.com" });
      const options =
        pool === "oauth"
          ? { credentials: [fake.simpleCredential("genai@example.com")] }
          : { geminiApiKeys: [fake.addApiKey()] };
      proxy = createGeminiProxy(proxyOptionsFor(fake, options));
      const server = await listen(proxy.node);
      close = server.close;
      ai = new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: server.url } });
    });
    afterAll(async () => {
      await close();
      await proxy.close();
      await fake.close();
    });

    it("generateContent", async () => {
      const res = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: "hello from genai" });
      expect(res.text).toContain("hello from genai");
      expect(res.usageMetadata?.totalTokenCount).toBeGreaterThan(0);
      expect(fake.count({ surface: pool === "oauth" ? "code-assist" : "gemini-api", action: "generateContent" })).toBe(
        1,
      );
    });

    it("generateContentStream", async () => {
      const stream = await ai.models.generateContentStream({
        model: "gemini-2.5-flash",
        contents: "a streamed answer",
      });
      let text = "";
      let chunks = 0;
      let finish: string | undefined;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.text ?? "";
        finish = chunk.candidates?.[0]?.finishReason ?? finish;
      }
      expect(chunks).toBeGreaterThan(1);
      expect(text).toContain("a streamed answer");
      expect(finish).toBe("STOP");
    });

    it("generateContent with thinking and a system instruction", async () => {
      const res = await ai.models.generateContent({
        model: "gemini-2.5-pro",
        contents: "think first",
        config: { systemInstruction: "be brief", thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } },
      });
      const parts = res.candidates?.[0]?.content?.parts ?? [];
      expect(parts.some((p) => p.thought === true)).toBe(true);
      expect(res.text).toContain("think first");
    });

    it("countTokens", async () => {
      const res = await ai.models.countTokens({ model: "gemini-2.5-pro", contents: "count me please" });
      expect(res.totalTokens).toBeGreaterThan(0);
    });

    it("models.list", async () => {
      const pager = await ai.models.list();
      const names: string[] = [];
      for await (const model of pager) names.push(model.name ?? "");
      expect(names).toContain("models/gemini-2.5-pro");
      expect(names).toContain("models/gemini-3-pro-preview");
    });

    it("surfaces a Google-shaped error as an ApiError", async () => {
      await expect(ai.models.generateContent({ model: "no-such-model", contents: "x" })).rejects.toMatchObject({
        status: 404,
      });
    });
  });
}
