// Claude Code (the real, unmodified `claude` from @anthropic-ai/claude-code) in print mode against
// the proxy's Anthropic surface: a plain prompt on its default (Claude) model with ANTHROPIC_API_KEY
// and with ANTHROPIC_AUTH_TOKEN, stream-json output, a Gemini model named by ANTHROPIC_MODEL, and
// a round trip through its own Read tool (on Gemini 2.5 and on Gemini 3, whose thought signatures
// the fake validates).
//
// AGENTS_WRITE_FIXTURES=1 writes the captured requests to test/fixtures/agents/claude-code-*.json;
// with AGENTS_CAPTURE_SHIM=1 too, mid-conversation system messages are folded into the user turn
// before the proxy sees them, so that the capture gets past today's 400 and records the tool-result
// follow-up (the fixtures keep the client's exact body, and the folded one as `rewrittenBody`).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerWhen, toolRoundTrip } from "../fake-google/index.ts";
import {
  agentBin,
  checkAgent,
  RUN_TIMEOUT_MS,
  CLIENT_KEY,
  describeRun,
  foldSystemMessages,
  offlineEnv,
  runAgent,
  useAgentSuite,
  tempDir,
  writeFixture,
  type AgentProxy,
  type RunResult,
} from "./_agents.ts";

const bin = agentBin("claude");
const enabled = checkAgent("claude-code", bin, "@anthropic-ai/claude-code");
const SHIM = process.env.AGENTS_CAPTURE_SHIM === "1";

/**
 * What docs/agents.md tells Claude Code users to set: the proxy as ANTHROPIC_BASE_URL (no /v1), a
 * client key, and the switches that keep it from calling anywhere else.
 */
function claudeEnv(
  url: string,
  auth: { ANTHROPIC_API_KEY: string } | { ANTHROPIC_AUTH_TOKEN: string },
): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: url,
    ...auth,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_TELEMETRY: "1",
    DISABLE_AUTOUPDATER: "1",
    DISABLE_ERROR_REPORTING: "1",
    DISABLE_BUG_COMMAND: "1",
    DISABLE_NON_ESSENTIAL_MODEL_CALLS: "1",
  };
}

describe.skipIf(!enabled)("Claude Code through the Anthropic surface", { timeout: RUN_TIMEOUT_MS + 30_000 }, () => {
  let p: AgentProxy;
  let home: ReturnType<typeof tempDir>;
  let project: ReturnType<typeof tempDir>;

  useAgentSuite("claude", (s) => ({ p, home, project } = s), { rewrite: SHIM ? foldSystemMessages : undefined });

  const claude = (
    args: string[],
    extra: Record<string, string> = {},
    auth: "key" | "token" = "key",
  ): Promise<RunResult> =>
    runAgent(bin!, args, {
      cwd: project.dir,
      timeoutMs: RUN_TIMEOUT_MS,
      env: {
        ...offlineEnv(home.dir),
        ...claudeEnv(p.url, auth === "key" ? { ANTHROPIC_API_KEY: CLIENT_KEY } : { ANTHROPIC_AUTH_TOKEN: CLIENT_KEY }),
        ...extra,
      },
    });
  const messages = () =>
    p.captured.filter((c) => c.url.startsWith("/v1/messages") && !c.url.startsWith("/v1/messages/count_tokens"));
  const fixture = (name: string, run: RunResult, env: Record<string, string>, args: string[]) => {
    if (!SHIM && name !== "first-contact") return;
    writeFixture(
      "claude-code",
      name,
      {
        version: "2.1.332",
        args,
        env,
        exit: run.code,
        stdout: run.stdout.slice(0, 4000),
        captureShim: SHIM ? "foldSystemMessages" : undefined,
      },
      p.captured,
    );
  };

  it("answers a plain prompt on its default model (ANTHROPIC_API_KEY → x-api-key)", async () => {
    p.fake.script(answerWhen("PLAIN-7c1", "Hello from the proxy: KIWI-7c1"));
    const args = ["-p", "Say hello (PLAIN-7c1)"];
    const run = await claude(args);
    fixture(SHIM ? "plain" : "first-contact", run, { ANTHROPIC_API_KEY: CLIENT_KEY }, args);
    const first = messages()[0];
    expect(first, describeRun(run, p.captured)).toBeDefined();
    expect(first!.headers["x-api-key"]).toBe(CLIENT_KEY);
    expect((first!.body as { model: string }).model).toMatch(/^claude-/);
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    expect(run.stdout).toContain("KIWI-7c1");
    expect(
      p.fake.count({ action: "streamGenerateContent" }) + p.fake.count({ action: "generateContent" }),
    ).toBeGreaterThan(0);
  });

  it("authenticates with ANTHROPIC_AUTH_TOKEN (Authorization: Bearer)", async () => {
    p.fake.script(answerWhen("TOKEN-2d4", "Token accepted: FIG-2d4"));
    const args = ["-p", "Say hello (TOKEN-2d4)"];
    const run = await claude(args, {}, "token");
    fixture("auth-token", run, { ANTHROPIC_AUTH_TOKEN: CLIENT_KEY }, args);
    const first = messages()[0];
    expect(first, describeRun(run, p.captured)).toBeDefined();
    expect(first!.headers.authorization).toBe(`Bearer ${CLIENT_KEY}`);
    expect(first!.headers["x-api-key"]).toBeUndefined();
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    expect(run.stdout).toContain("FIG-2d4");
  });

  it("streams its events with --output-format stream-json --verbose", async () => {
    p.fake.script(answerWhen("STREAM-9e0", "Streamed answer: LIME-9e0"));
    const args = ["-p", "Say hello (STREAM-9e0)", "--output-format", "stream-json", "--verbose"];
    const run = await claude(args);
    fixture("stream-json", run, { ANTHROPIC_API_KEY: CLIENT_KEY }, args);
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    const events = run.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            subtype?: string;
            result?: string;
            is_error?: boolean;
            message?: { content?: { type: string; text?: string }[] };
          },
      );
    expect(events[0]).toMatchObject({ type: "system", subtype: "init" });
    const texts = events
      .filter((e) => e.type === "assistant")
      .flatMap((e) => e.message?.content ?? [])
      .filter((c) => c.type === "text");
    expect(texts.map((t) => t.text).join("")).toContain("LIME-9e0");
    const result = events.find((e) => e.type === "result");
    expect(result).toMatchObject({ subtype: "success", is_error: false });
    expect(result?.result).toContain("LIME-9e0");
  });

  it("uses the Gemini model named by ANTHROPIC_MODEL", async () => {
    p.fake.script(answerWhen("MODEL-41b", "Pro here: PEAR-41b"));
    const args = ["-p", "Say hello (MODEL-41b)"];
    const run = await claude(args, { ANTHROPIC_MODEL: "gemini-2.5-pro" });
    fixture("anthropic-model", run, { ANTHROPIC_API_KEY: CLIENT_KEY, ANTHROPIC_MODEL: "gemini-2.5-pro" }, args);
    const first = messages()[0];
    expect(first, describeRun(run, p.captured)).toBeDefined();
    expect((first!.body as { model: string }).model).toBe("gemini-2.5-pro");
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    expect(run.stdout).toContain("PEAR-41b");
    expect(p.fake.find({ surface: "gemini-api" }).every((r) => r.model === "gemini-2.5-pro")).toBe(true);
  });

  for (const model of [undefined, "gemini-3-pro-preview"] as const) {
    it(`runs its Read tool and answers from the result (${model ?? "default model"})`, async () => {
      const file = join(project.dir, "notes.txt");
      writeFileSync(file, "the secret word is PAPAYA-42\n");
      // The "model" asks for the client's own Read tool, then quotes what came back.
      p.fake.script(toolRoundTrip({ tool: "Read", args: { file_path: file } }));
      const args = ["-p", "What is the secret word in notes.txt?"];
      const run = await claude(args, model ? { ANTHROPIC_MODEL: model } : {});
      fixture(
        model ? "tool-read-gemini-3" : "tool-read",
        run,
        { ANTHROPIC_API_KEY: CLIENT_KEY, ...(model ? { ANTHROPIC_MODEL: model } : {}) },
        args,
      );
      expect(run.code, describeRun(run, p.captured)).toBe(0);
      // The secret is only in the file: it reached the answer through tool_use → tool_result.
      expect(run.stdout).toContain("PAPAYA-42");
      const followUp = messages().find((c) => JSON.stringify(c.body).includes('"tool_result"'));
      expect(followUp, describeRun(run, p.captured)).toBeDefined();
      expect(JSON.stringify(followUp!.body)).toContain("PAPAYA-42");
      const upstream = p.fake
        .find({ surface: "gemini-api" })
        .filter((r) => JSON.stringify(r.body).includes('"functionResponse"'));
      expect(upstream.length).toBeGreaterThan(0);
      expect(upstream[0]!.status).toBe(200);
    });
  }
});
