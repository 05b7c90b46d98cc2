// The public TypeScript surface, checked as a consumer sees it: build with tsdown, `npm pack`,
// install the tarball into a fresh project and compile a consumer file with the repo's tsc
// against the packed `.d.mts` files. Also: every export of the entries carries TSDoc.
import { execFile } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

const CONSUMER = `
import { createConsola } from "consola";
import { createStorage } from "unstorage";
import {
  createGeminiProxy, createModelCatalogue, createStorageUsageStore, DEFAULT_MODELS, GOOGLE_ENDPOINTS,
  NoCredentialError, RequestDeniedError, UpstreamError, KeyInputError,
  type ClientKeyWithUsage, type CreatedClientKey,
  type CredentialInput, type CredentialStateEvent, type CredentialView, type GeminiProxy,
  type GeminiProxyOptions, type Logger, type ModelInfo, type PoolApi, type RequestRecord, type StorageLike,
} from "gemini-cli-proxy";
import { toH3V1Handler, toWebRequest, type H3V1EventLike } from "gemini-cli-proxy/h3-v1";

const storage: StorageLike = createStorage();
const logger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
const credential: CredentialInput = { apiKey: "AIza-example" };
const model: Partial<ModelInfo> & { id: string } = { id: "gemini-2.5-flash" };

const options: GeminiProxyOptions = {
  authKeys: async (key) => key.startsWith("sk-"),
  storage,
  credentials: [credential, { refresh_token: "1//r", access_token: "ya29.a" }],
  geminiApiKeys: ["AIza-other"],
  endpoints: { codeAssist: GOOGLE_ENDPOINTS.codeAssist },
  basePath: "/gemini",
  logger,
  models: ["gemini-2.5-pro", model],
  requestTimeouts: { connect: 10, read: 60 },
  httpProxy: null,
  pool: { strategy: "least-used", maxAttempts: 3, healthCheck: { enabled: false } },
  admin: { username: "admin", password: "secret" },
  clientKeys: { syncMs: 500, refreshMs: 5000 },
  usage: { retentionDays: 7, logging: { enabled: false }, store: createStorageUsageStore(storage) },
  hooks: {
    onRequestStart: ({ record }) => (record.path.startsWith("/admin") ? { status: 403, message: "no" } : undefined),
    onRequestEnd: (record: Readonly<RequestRecord>) => void record.status,
  },
};
const silent: GeminiProxyOptions = { authKeys: ["k"], logger: false };
const withConsola: GeminiProxyOptions = { authKeys: false, logger: createConsola({ level: 0 }) };

const proxy: GeminiProxy = createGeminiProxy(options);
const web: Promise<Response> = proxy.fetch(new Request("http://localhost/gemini/v1/models"));
const pool: PoolApi = proxy.pool;
const views: CredentialView[] = pool.list();
const off: () => void = pool.on("credential:state", (event: CredentialStateEvent) => void event.status);
const catalogue = createModelCatalogue(DEFAULT_MODELS);
const isUpstream = (error: unknown): boolean => error instanceof UpstreamError && error.kind === "rate_limited";

const created: Promise<CreatedClientKey> = proxy.keys.create({ name: "ci", models: ["gemini-2.5-*"], rpm: 60 });
const keyList: Promise<ClientKeyWithUsage[]> = proxy.keys.list();
const badKey = (error: unknown): string | undefined => (error instanceof KeyInputError ? error.field : undefined);

const event = {} as H3V1EventLike;
const request: Request = toWebRequest(event);
const handler = toH3V1Handler(proxy);
const marked: true = handler.__is_handler__;

await proxy.ready();
await proxy.close();
export { created, keyList, badKey, web, views, off, catalogue, isUpstream, request, marked, silent, withConsola, NoCredentialError, RequestDeniedError };
`;

const MISUSE = `
import { createGeminiProxy } from "gemini-cli-proxy";
createGeminiProxy({ authKeys: "not-a-list", pool: { strategy: "random" } });
`;

async function tsc(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [TSC, "-p", project], { cwd: project });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("public types, as a consumer of the packed package", () => {
  let dir: string;
  let consumer: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gcp-types-"));
    // Build into a copy of the package, so the repo's own dist/ is left alone.
    const pkg = join(dir, "pkg");
    await mkdir(pkg);
    await copyFile(join(ROOT, "package.json"), join(pkg, "package.json"));
    await cp(join(ROOT, "bin"), join(pkg, "bin"), { recursive: true });
    await run(
      process.execPath,
      [join(ROOT, "node_modules", ".bin", "tsdown"), "--out-dir", join(pkg, "dist"), "--log-level", "error"],
      { cwd: ROOT },
    );
    await run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir], { cwd: pkg });
    const tarball = (await readdir(dir)).find((name) => name.endsWith(".tgz"));
    consumer = join(dir, "consumer");
    await mkdir(consumer);
    await writeFile(
      join(consumer, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    await run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, tarball!)],
      { cwd: consumer },
    );
    await writeFile(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2023",
          lib: ["ES2023", "DOM", "DOM.Iterable"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(ROOT, "node_modules", "@types")],
        },
        include: ["*.ts"],
      }),
    );
  }, 180_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("compiles a consumer that uses every kind of option, the pool API and the h3 v1 bridge", async () => {
    await writeFile(join(consumer, "index.ts"), CONSUMER);
    const result = await tsc(consumer);
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  }, 60_000);

  it("rejects a misuse of the options", async () => {
    await rm(join(consumer, "index.ts"), { force: true });
    await writeFile(join(consumer, "misuse.ts"), MISUSE);
    const result = await tsc(consumer);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/misuse\.ts\(3,.*error TS2322/);
  }, 60_000);
});

describe("TSDoc", () => {
  it("documents every export of the package's entries", () => {
    const entries = ["src/index.ts", "src/h3-v1.ts"].map((file) => join(ROOT, file));
    const program = ts.createProgram(entries, {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      types: ["node"],
    });
    const checker = program.getTypeChecker();
    const missing: string[] = [];
    for (const entry of entries) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
      for (const exported of checker.getExportsOfModule(module)) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        if (!ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()) missing.push(exported.name);
      }
      expect(checker.getExportsOfModule(module).length).toBeGreaterThan(0);
    }
    expect(missing).toEqual([]);
  });
});
