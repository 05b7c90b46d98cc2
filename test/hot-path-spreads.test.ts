// On Node 20, V8 builds an object literal that adds properties after a spread (`{ ...x, y }`,
// `{ ...x, ...z }`) on a slow runtime path: about 1 µs each, 20× `Object.assign({}, x, { y })`,
// while a spread written last (`{ y, ...x }`) stays fast. The CLI's profile had several on every
// request (bench/README.md, "What moved the figures"). This keeps them out of the request path.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
/** Folders and files every proxied request runs through. */
const HOT = [
  "src/dispatch",
  "src/chat",
  "src/surfaces",
  "src/http",
  "src/upstream/_request.ts",
  "src/upstream/http-client.ts",
  "src/upstream/code-assist.ts",
  "src/upstream/gemini-api.ts",
  "src/upstream/transport.ts",
  "src/pool/reactions.ts",
  "src/pool/selection.ts",
  "src/pool/pool.ts",
  "src/usage/record.ts",
  "src/usage/ledger.ts",
  "src/usage/service.ts",
  "src/usage/request-log.ts",
  "src/gemini/sse.ts",
  "src/gemini/sse-split.ts",
];

function filesOf(path: string): string[] {
  if (path.endsWith(".ts")) return [path];
  return readdirSync(join(root, path), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(path, name));
}

/** `file:line: text` of every object literal with a spread that is not its last member. */
export function spreadsNotLast(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const members = node.properties;
      const spread = members.findIndex((m) => ts.isSpreadAssignment(m));
      if (spread >= 0 && spread < members.length - 1) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart());
        found.push(`${file}:${line + 1}: ${node.getText().replace(/\s+/g, " ").slice(0, 80)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("request path: no object literal adds properties after a spread", () => {
  it("the check finds the slow forms and passes the fast ones", () => {
    const text = [
      "const a = { ...x, y: 1 };",
      "const b = { ...x, ...z };",
      "const c = { y: 1, ...x };",
      "const d = { ...x };",
      "const e = Object.assign({}, x, { y: 1 });",
    ].join("\n");
    expect(spreadsNotLast("t.ts", text)).toEqual(["t.ts:1: { ...x, y: 1 }", "t.ts:2: { ...x, ...z }"]);
  });

  it("none in the files every request runs through", () => {
    const files = HOT.flatMap(filesOf);
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) => spreadsNotLast(file, readFileSync(join(root, file), "utf8")));
    expect(found).toEqual([]);
  });
});
