import { defineConfig } from "vitest/config";

// VITEST_JSON=path also writes a JSON report (.ci/run prints a plain "N passed, N failed" line from it).
const json = process.env.VITEST_JSON;

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: json ? ["default", ["json", { outputFile: json }]] : ["default"],
  },
});
