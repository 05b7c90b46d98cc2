import { defineConfig } from "tsdown";

/**
 * Writes every character past Latin-1 in the output as a `\uXXXX` escape (the same value in
 * strings, templates, regular expressions and identifiers; comments only read differently). V8
 * keeps each module's source in memory as long as the process runs: one such character makes it a
 * two-byte string, twice the size.
 */
const latin1Output = {
  name: "latin1-output",
  // After every renderChunk: the code generator of a later step writes string escapes back as characters.
  generateBundle(_options: unknown, bundle: Record<string, { type: string; fileName: string; code?: string }>) {
    for (const chunk of Object.values(bundle))
      if (chunk.type === "chunk" && chunk.code && chunk.fileName.endsWith(".mjs"))
        chunk.code = chunk.code.replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  },
};

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts", "src/h3-v1.ts"],
  format: "esm",
  platform: "node",
  target: "node20.19",
  dts: true,
  clean: true,
  // Inlined and tree-shaken: only the config schema uses it, and its whole 0.4 MB source would
  // stay in memory otherwise. The declarations still import its types from the dependency.
  deps: { alwaysBundle: ["valibot"] },
  plugins: [latin1Output],
});
