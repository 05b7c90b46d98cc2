// Contract tests of the fake Google's reply scripts (fake.script, toolRoundTrip, answerWhen): the
// scripted answers stay on Google's wire (functionCall parts, Gemini 3 thoughtSignature on the first
// call, usageMetadata, finishReason) and follow what the client declared and sent back.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerWhen, createFakeGoogle, toolRoundTrip, type FakeGoogle } from "./fake-google/index.ts";

let fake: FakeGoogle;
let key: string;

beforeAll(async () => {
  fake = await createFakeGoogle();
  key = fake.addApiKey();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

const READ = {
  functionDeclarations: [
    {
      name: "Read",
      parametersJsonSchema: { type: "object", properties: { file_path: { type: "string" } }, required: ["file_path"] },
    },
  ],
};

async function generate(model: string, body: unknown): Promise<any> {
  const res = await fetch(`${fake.url}/v1beta/models/${model}:generateContent`, {
    method: "POST",
    headers: { "x-goog-api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function stream(model: string, body: unknown): Promise<any[]> {
  const res = await fetch(`${fake.url}/v1beta/models/${model}:streamGenerateContent?alt=sse`, {
    method: "POST",
    headers: { "x-goog-api-key": key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.text())
    .split(/\r?\n/)
    .filter((l) => l.startsWith("data: "))
    .map((l) => JSON.parse(l.slice(6)));
}

describe("fake Google reply scripts", () => {
  it("toolRoundTrip: a functionCall to a declared tool, then text quoting its functionResponse (Gemini 3, signed)", async () => {
    fake.script(toolRoundTrip({ tool: "Read", args: { file_path: "/tmp/notes.txt" } }));
    const user = { role: "user", parts: [{ text: "what is in notes.txt?" }] };
    const first = await generate("gemini-3-pro-preview", { contents: [user], tools: [READ] });
    const parts = first.candidates[0].content.parts;
    const call = parts.find((p: any) => p.functionCall);
    expect(call.functionCall).toEqual({ name: "Read", args: { file_path: "/tmp/notes.txt" } });
    expect(typeof call.thoughtSignature).toBe("string");
    expect(first.candidates[0].finishReason).toBe("STOP");
    expect(first.usageMetadata.totalTokenCount).toBeGreaterThan(0);

    // The fake validates the signature it issued; the answer quotes the tool result.
    const second = await stream("gemini-3-pro-preview", {
      contents: [
        user,
        { role: "model", parts: [call] },
        { role: "user", parts: [{ functionResponse: { name: "Read", response: { output: "PAPAYA-42" } } }] },
      ],
      tools: [READ],
    });
    const text = second
      .flatMap((c) => c.candidates?.[0]?.content?.parts ?? [])
      .map((p: any) => p.text ?? "")
      .join("");
    expect(text).toContain("PAPAYA-42");
    expect(second.at(-1).candidates[0].finishReason).toBe("STOP");
    expect(second.some((c) => c.candidates[0].content.parts.some((p: any) => p.functionCall))).toBe(false);
  });

  it("toolRoundTrip leaves requests that do not declare the tool to the default answer", async () => {
    fake.script(toolRoundTrip({ tool: "Read", args: { file_path: "/x" } }));
    const res = await generate("gemini-2.5-flash", { contents: [{ role: "user", parts: [{ text: "hello there" }] }] });
    expect(res.candidates[0].content.parts.at(-1).text).toContain("hello there");
  });

  it("answerWhen: answers the marked prompt, but not a JSON-output side call", async () => {
    fake.script(answerWhen("MARK-1", "scripted answer"));
    const plain = await generate("gemini-2.5-flash", { contents: [{ role: "user", parts: [{ text: "hi MARK-1" }] }] });
    expect(plain.candidates[0].content.parts.at(-1).text).toBe("scripted answer");
    const json = await generate("gemini-2.5-flash", {
      contents: [{ role: "user", parts: [{ text: "classify MARK-1" }] }],
      generationConfig: {
        responseMimeType: "application/json",
        responseJsonSchema: { type: "object", properties: { score: { type: "integer" } }, required: ["score"] },
      },
    });
    expect(JSON.parse(json.candidates[0].content.parts.at(-1).text)).toEqual({ score: 1 });
  });

  it("a fault rule's stream script wins over reply scripts; reset() removes the scripts", async () => {
    fake.script(answerWhen("MARK-2", "scripted"));
    fake.inject({ stream: { text: "from the fault rule" } });
    const first = await generate("gemini-2.5-flash", { contents: [{ role: "user", parts: [{ text: "MARK-2" }] }] });
    expect(first.candidates[0].content.parts.at(-1).text).toBe("from the fault rule");
    const second = await generate("gemini-2.5-flash", { contents: [{ role: "user", parts: [{ text: "MARK-2" }] }] });
    expect(second.candidates[0].content.parts.at(-1).text).toBe("scripted");
    fake.reset();
    const third = await generate("gemini-2.5-flash", { contents: [{ role: "user", parts: [{ text: "MARK-2" }] }] });
    expect(third.candidates[0].content.parts.at(-1).text).toContain("Echo from gemini-2.5-flash");
  });
});
