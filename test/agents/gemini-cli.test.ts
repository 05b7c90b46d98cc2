// Gemini CLI (the real, unmodified `gemini` from @google/gemini-cli) in API-key mode against the
// proxy's native Gemini surface (GOOGLE_GEMINI_BASE_URL = the proxy, GEMINI_API_KEY = a client key):
// a non-interactive prompt on its default (auto-routed, Gemini 3) model, and a round trip through
// its own list_directory tool.
// AGENTS_WRITE_FIXTURES=1 writes the captured requests to test/fixtures/agents/gemini-cli-*.json.
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

const bin = agentBin("gemini");
const enabled = checkAgent("gemini-cli", bin, "@google/gemini-cli");

/** ~/.gemini/settings.json as docs/agents.md shows it: API-key auth, no telemetry, stats or updates. */
const SETTINGS = {
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  security: { auth: { selectedType: "gemini-api-key" }, folderTrust: { enabled: false } },
};

describe.skipIf(!enabled)("Gemini CLI through the native Gemini surface", { timeout: RUN_TIMEOUT_MS + 30_000 }, () => {
  let p: AgentProxy;
  let home: ReturnType<typeof tempDir>;
  let project: ReturnType<typeof tempDir>;

  useAgentSuite("gemini", (s) => ({ p, home, project } = s));

  const env = () => ({
    GEMINI_API_KEY: CLIENT_KEY,
    GOOGLE_GEMINI_BASE_URL: p.url,
    GEMINI_CLI_NO_RELAUNCH: "true",
  });
  const gemini = (args: string[]): Promise<RunResult> => {
    mkdirSync(join(home.dir, ".gemini"), { recursive: true });
    writeFileSync(join(home.dir, ".gemini/settings.json"), JSON.stringify(SETTINGS, null, 2));
    return runAgent(bin!, args, {
      cwd: project.dir,
      timeoutMs: RUN_TIMEOUT_MS,
      env: { ...offlineEnv(home.dir), ...env() },
    });
  };
  /** The main turn's calls (its router's classifier and other side calls ask for JSON). */
  const turns = () => p.captured.filter((c) => c.url.includes(":streamGenerateContent"));
  const fixture = (name: string, run: RunResult, args: string[]) =>
    writeFixture(
      "gemini-cli",
      name,
      {
        version: "0.61.0",
        args,
        env: { ...env(), GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:PORT" },
        settings: SETTINGS,
        exit: run.code,
        stdout: run.stdout.slice(0, 4000),
      },
      p.captured,
    );

  it("answers a non-interactive prompt (gemini -p)", async () => {
    p.fake.script(answerWhen("PLAIN-3f8", "Hello from the proxy: GUAVA-3f8"));
    const args = ["-p", "Say hello (PLAIN-3f8)"];
    const run = await gemini(args);
    fixture("plain", run, args);
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    expect(run.stdout).toContain("GUAVA-3f8");
    const turn = turns()[0];
    expect(turn, describeRun(run, p.captured)).toBeDefined();
    expect(turn!.headers["x-goog-api-key"]).toBe(CLIENT_KEY);
    expect(turn!.url).toMatch(/^\/v1beta\/models\/gemini-[\w.-]+:streamGenerateContent\?alt=sse$/);
    expect(turn!.status).toBe(200);
  });

  it("serves its auto router's classifier call (gemini-3.5-flash-lite, JSON output)", async () => {
    const args = ["-p", "Say hello (ROUTER-6b2)"];
    const run = await gemini(args);
    fixture("router", run, args);
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    const classifier = p.captured.find(
      (c) =>
        JSON.stringify(c.body).includes("responseJsonSchema") || JSON.stringify(c.body).includes("application/json"),
    );
    expect(classifier, describeRun(run, p.captured)).toBeDefined();
    // Without it every prompt silently goes to the Pro model (the CLI logs the failure and falls back).
    expect(
      p.captured.map((c) => `${c.url} ${c.status}`),
      describeRun(run, p.captured),
    ).toEqual(p.captured.map((c) => `${c.url} 200`));
  });

  it("runs its list_directory tool and answers from the listing", async () => {
    writeFileSync(join(project.dir, "alpha-PAPAYA.txt"), "a\n");
    writeFileSync(join(project.dir, "beta-notes.md"), "b\n");
    p.fake.script(toolRoundTrip({ tool: "list_directory", args: { dir_path: project.dir } }));
    const args = ["-p", "Which files are in this directory?"];
    const run = await gemini(args);
    fixture("tool-list-directory", run, args);
    expect(run.code, describeRun(run, p.captured)).toBe(0);
    // The file names are only on disk: they reached the answer through functionCall → functionResponse.
    expect(run.stdout).toContain("alpha-PAPAYA.txt");
    expect(run.stdout).toContain("beta-notes.md");
    const followUp = turns().find((c) => JSON.stringify(c.body).includes('"functionResponse"'));
    expect(followUp, describeRun(run, p.captured)).toBeDefined();
    expect(followUp!.status).toBe(200);
    const upstream = p.fake
      .find({ surface: "gemini-api" })
      .filter((r) => JSON.stringify(r.body).includes('"functionResponse"'));
    expect(upstream.map((r) => r.status)).toEqual([200]);
  });
});
