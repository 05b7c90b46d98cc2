// Codex CLI (the real, unmodified `codex` from @openai/codex) in `codex exec` mode against the
// proxy's Responses surface, configured as a custom model provider in a temporary CODEX_HOME: a
// plain prompt, and a round trip through its own shell tool (exec_command) on Gemini 2.5 and on
// Gemini 3 (thought signatures across a stateless `store: false` conversation).
// AGENTS_WRITE_FIXTURES=1 writes the captured requests to test/fixtures/agents/codex-*.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerWhen, toolRoundTrip } from "../fake-google/index.ts";
import {
  agentBin,
  checkAgent,
  RUN_TIMEOUT_MS,
  CLIENT_KEY,
  describeRun,
  offlineEnv,
  runAgent,
  useAgentSuite,
  tempDir,
  writeFixture,
  type AgentProxy,
  type RunResult,
} from "./_agents.ts";

const bin = agentBin("codex");
const enabled = checkAgent("codex", bin, "@openai/codex");

/** The config.toml docs/agents.md shows (the proxy as a custom provider on the Responses API). */
function codexConfig(url: string, model: string): string {
  return `model = "${model}"
model_provider = "gemini-cli-proxy"
check_for_update_on_startup = false

[model_providers.gemini-cli-proxy]
name = "gemini-cli-proxy"
base_url = "${url}/v1"
wire_api = "responses"
env_key = "GEMINI_PROXY_KEY"

[analytics]
enabled = false

[feedback]
enabled = false

[otel]
exporter = "none"
`;
}

describe.skipIf(!enabled)("Codex CLI through the Responses surface", { timeout: RUN_TIMEOUT_MS + 30_000 }, () => {
  let p: AgentProxy;
  let home: ReturnType<typeof tempDir>;
  let project: ReturnType<typeof tempDir>;

  useAgentSuite("codex", (s) => ({ p, home, project } = s));

  const codex = (prompt: string, model = "gemini-2.5-pro"): Promise<RunResult> => {
    const codexHome = join(home.dir, ".codex");
    mkdirSync(codexHome, { recursive: true });
    writeFileSync(join(codexHome, "config.toml"), codexConfig(p.url, model));
    return runAgent(bin!, ["exec", "--skip-git-repo-check", prompt], {
      cwd: project.dir,
      timeoutMs: RUN_TIMEOUT_MS,
      env: { ...offlineEnv(home.dir), CODEX_HOME: codexHome, GEMINI_PROXY_KEY: CLIENT_KEY },
    });
  };
  const responses = () => p.captured.filter((c) => c.url.startsWith("/v1/responses"));
  const fixture = (name: string, run: RunResult, prompt: string, model: string) =>
    writeFixture(
      "codex",
      name,
      {
        version: "0.171.0",
        args: ["exec", "--skip-git-repo-check", prompt],
        config: codexConfig("http://127.0.0.1:PORT", model),
        exit: run.code,
        stdout: run.stdout.slice(0, 4000),
      },
      p.captured,
    );

  it("answers a plain prompt (codex exec)", async () => {
    p.fake.script(answerWhen("PLAIN-5a3", "Hello from the proxy: MANGO-5a3"));
    const prompt = "Say hello (PLAIN-5a3)";
    const run = await codex(prompt);
    fixture("plain", run, prompt, "gemini-2.5-pro");
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    expect(run.stdout).toContain("MANGO-5a3");
    const first = responses()[0]!;
    expect(first.headers.authorization).toBe(`Bearer ${CLIENT_KEY}`);
    expect(first.body).toMatchObject({ model: "gemini-2.5-pro", stream: true });
    expect(first.status).toBe(200);
    expect(p.fake.find({ surface: "gemini-api" }).every((r) => r.model === "gemini-2.5-pro")).toBe(true);
  });

  for (const model of ["gemini-2.5-pro", "gemini-3-pro-preview"]) {
    it(`runs a shell command through its exec_command tool and answers from the output (${model})`, async () => {
      writeFileSync(join(project.dir, "notes.txt"), "the secret word is PAPAYA-42\n");
      p.fake.script(toolRoundTrip({ tool: "exec_command", args: { cmd: "cat notes.txt" } }));
      const prompt = "What is the secret word in notes.txt?";
      const run = await codex(prompt, model);
      fixture(model.startsWith("gemini-3") ? "tool-shell-gemini-3" : "tool-shell", run, prompt, model);
      expect(run.code, describeRun(run, p.captured)).toBe(0);
      expect(run.stdout).toContain("PAPAYA-42");
      const followUp = responses().find((c) => JSON.stringify(c.body).includes('"function_call_output"'));
      expect(followUp, describeRun(run, p.captured)).toBeDefined();
      expect(JSON.stringify(followUp!.body)).toContain("PAPAYA-42");
      expect(followUp!.status).toBe(200);
      const upstream = p.fake
        .find({ surface: "gemini-api" })
        .filter((r) => JSON.stringify(r.body).includes('"functionResponse"'));
      expect(upstream.map((r) => r.status)).toEqual([200]);
    });
  }
});
